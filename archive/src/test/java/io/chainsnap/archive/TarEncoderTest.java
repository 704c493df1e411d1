package io.chainsnap.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

/** The header encoder, checked against an independent tar reader (commons-compress). */
class TarEncoderTest {

  private static TarArchiveEntry parse(byte[] header) throws IOException {
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(header))) {
      return in.getNextEntry();
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shortAsciiNameIsOneUstarBlock() throws IOException {
    byte[] h = TarEncoder.header(utf8("chainstate/000001.ldb"), '0', 1234, 0644, 1_700_000_000L);
    assertEquals(512, h.length);
    assertEquals("ustar\0", new String(h, 257, 6, StandardCharsets.US_ASCII));
    assertEquals("00", new String(h, 263, 2, StandardCharsets.US_ASCII));
    TarArchiveEntry e = parse(h);
    assertEquals("chainstate/000001.ldb", e.getName());
    assertEquals(1234, e.getSize());
    assertEquals(0644, e.getMode() & 07777);
    assertEquals(1_700_000_000L, e.getLastModifiedTime().toMillis() / 1000);
    assertEquals(0, e.getLongUserId());
    assertEquals("", e.getUserName());
  }

  @Test
  void longOrNonAsciiNamesGoToAPaxPath() throws IOException {
    for (String name :
        new String[] {"d/" + "n".repeat(200), "blocks/état.dat", "line\nbreak", "dir/"}) {
      byte[] h = TarEncoder.header(utf8(name), name.endsWith("/") ? '5' : '0', 0, 0755, 5);
      TarArchiveEntry e = parse(h);
      assertEquals(name, e.getName());
      boolean needsPax = name.length() > 100 || !name.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
      assertEquals(needsPax ? 1536 : 512, h.length, name);
      if (needsPax) {
        assertEquals('x', h[156]);
        assertEquals(TarEncoder.PAX_NAME, new String(h, 0, 14, StandardCharsets.US_ASCII));
      }
    }
  }

  @Test
  void sizesOfEightGibibytesAndMoreUsePax() throws IOException {
    long size = 10L << 30;
    byte[] h = TarEncoder.header(utf8("blocks/huge.dat"), '0', size, 0644, 5);
    assertEquals(1536, h.length);
    assertEquals(size, parse(h).getSize());
    assertEquals(512, TarEncoder.header(utf8("a"), '0', TarEncoder.MAX_OCTAL_11, 0644, 5).length);
  }

  @Test
  void mtimesOutsideUstarRangeUsePax() throws IOException {
    for (long mtime : new long[] {-86_400L, 10_000_000_000L}) {
      byte[] h = TarEncoder.header(utf8("a"), '0', 0, 0644, mtime);
      assertEquals(1536, h.length);
      assertEquals(mtime, Math.floorDiv(parse(h).getLastModifiedTime().toMillis(), 1000));
    }
  }

  @Test
  void paxRecordLengthCountsItsOwnDigits() {
    // a 92-byte path gives a record of exactly 100 bytes once its own length is counted
    String name = "é" + "p".repeat(88);
    byte[] h = TarEncoder.header(utf8(name), '0', 0, 0644, 5);
    String data = new String(h, 512, 512, StandardCharsets.UTF_8);
    String record = data.substring(0, data.indexOf('\n') + 1);
    int declared = Integer.parseInt(record.substring(0, record.indexOf(' ')));
    assertEquals(record.getBytes(StandardCharsets.UTF_8).length, declared);
    assertTrue(record.startsWith(declared + " path="));
  }

  @Test
  void sortPutsDirectoriesBeforeTheirContentByUnsignedBytes() {
    byte[] dir = utf8("a/");
    byte[] inside = utf8("a/x");
    byte[] sibling = utf8("a-b");
    byte[] accent = utf8("é");
    // order: "a/" (compared as "a"), "a-b", "a/x": '-' (0x2d) sorts before '/' (0x2f)
    assertTrue(SourceTree.compareUtf8(dir, true, inside, false) < 0);
    assertTrue(SourceTree.compareUtf8(dir, true, sibling, false) < 0);
    assertTrue(SourceTree.compareUtf8(sibling, false, inside, false) < 0);
    assertTrue(SourceTree.compareUtf8(utf8("z"), false, accent, false) < 0); // 0xC3 > 'z'
  }
}
