package io.chainsnap.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZstdSettingsTest {

  @Test
  void theDefaultIsLevel3WithTheChainDataParameters() {
    ZstdSettings d = ZstdSettings.DEFAULT;
    assertEquals(3, d.level());
    assertEquals("strategy=1,hashLog=18,minMatch=6", d.parameters());
    assertEquals("-3 --zstd=strategy=1,hashLog=18,minMatch=6", d.toString());
    assertEquals(1, d.get(ZstdSettings.Parameter.STRATEGY));
    assertEquals(-1, d.get(ZstdSettings.Parameter.WINDOW_LOG), "left to the level");
  }

  @Test
  void parsesZstdNamesAndCliAliasesIntoOneCanonicalForm() {
    ZstdSettings s = ZstdSettings.of(5, " mml=5, WLOG=22 ,strat=2,targetLength=0");
    assertEquals("strategy=2,windowLog=22,minMatch=5,targetLength=0", s.parameters());
    assertEquals(s, ZstdSettings.of(5, s.parameters()));
    assertEquals("", ZstdSettings.of(3, "none").parameters());
    assertEquals("", ZstdSettings.of(3, " ").parameters());
    assertEquals("--fast=4", ZstdSettings.level(-4).toString());
  }

  @Test
  void refusesWhatZstdWouldNotTakeWithTheReason() {
    assertMessage("unknown zstd parameter 'hashlength'", () -> ZstdSettings.of(3, "hashlength=3"));
    assertMessage("is not name=value", () -> ZstdSettings.of(3, "strategy=1,,hashLog=17"));
    assertMessage("needs an integer, got 'fast'", () -> ZstdSettings.of(3, "strategy=fast"));
    assertMessage("minMatch must be in [3, 7], got 8", () -> ZstdSettings.of(3, "mml=8"));
    assertMessage("hashLog given twice", () -> ZstdSettings.of(3, "hlog=17,hashLog=18"));
    assertMessage("zstd level must be in", () -> ZstdSettings.level(99));
    assertMessage(
        "larger windows need a flag to decompress with plain zstd",
        () -> ZstdSettings.of(3, "windowLog=28"));
  }

  @Test
  void resolvesWhatTheUserGave() {
    assertEquals(ZstdSettings.DEFAULT, ZstdSettings.resolve(null, null));
    assertEquals(ZstdSettings.level(19), ZstdSettings.resolve(19, null), "a level alone is plain");
    assertEquals(ZstdSettings.of(3, "hashLog=17"), ZstdSettings.resolve(null, "hashLog=17"));
    assertEquals(ZstdSettings.level(3), ZstdSettings.resolve(null, "none"));
    assertEquals(ZstdSettings.of(1, "minMatch=5"), ZstdSettings.resolve(1, "minMatch=5"));
  }

  /**
   * The writer sets the parameters on each frame: with a 1 KiB window and chunks larger than it,
   * every frame's header declares that window (RFC 8878 Window_Descriptor), which no level alone
   * would choose for a 64 KiB chunk.
   */
  @Test
  void theWriterAppliesTheParametersToEveryFrame(@TempDir Path dir) throws IOException {
    Path source = dir.resolve("source");
    Files.createDirectories(source);
    byte[] data = new byte[300_000];
    new Random(1).nextBytes(data);
    Files.write(source.resolve("a.bin"), data);
    Path archive = dir.resolve("snapshot.tar.zst");
    ArchiveManifest m =
        ArchiveWriter.builder()
            .chunkSize(64 << 10)
            .workers(2)
            .zstd(ZstdSettings.of(3, "windowLog=10"))
            .build()
            .write(source, archive);
    assertEquals("windowLog=10", m.zstdParameters());
    byte[] bytes = Files.readAllBytes(archive);
    assertTrue(m.chunks().size() >= 4);
    for (ChunkInfo c : m.chunks()) {
      int descriptor = bytes[(int) c.offset() + 4] & 0xff;
      assertEquals(0, descriptor & 0x20, "chunk " + c.index() + " is not single-segment");
      int windowLog = 10 + ((bytes[(int) c.offset() + 5] & 0xff) >> 3);
      assertEquals(10, windowLog, "chunk " + c.index() + " window");
    }
    Path restored = dir.resolve("restored");
    ArchiveReader.create().extract(archive, m, restored);
    assertArrayEquals(data, Files.readAllBytes(restored.resolve("a.bin")));
  }

  /**
   * Why the default: on block-like data (records that quote earlier 32-byte hashes and keys from
   * far back, as transactions quote the outputs they spend) one lookup in a 2^18-entry table finds
   * more than level 3's two smaller tables. Deterministic: fixed data, fixed library.
   */
  @Test
  void theDefaultIsSmallerThanPlainLevel3OnBlockLikeData() {
    byte[] data = blockLike(16 << 20);
    int plain = compressedSize(ZstdSettings.level(3), data);
    int tuned = compressedSize(ZstdSettings.DEFAULT, data);
    System.out.printf(
        "block-like 16 MiB: plain level 3 %d bytes, default %d bytes%n", plain, tuned);
    assertTrue(tuned < plain, "default " + tuned + " bytes, plain level 3 " + plain + " bytes");
  }

  private static byte[] blockLike(int size) {
    Random random = new Random(42);
    byte[][] seen = new byte[1 << 15][];
    int added = 0;
    byte[] out = new byte[size];
    int pos = 0;
    while (pos + 80 <= size) {
      // a 32-byte reference: half of the time one of the last 32 Ki seen (up to ~2 MB back)
      byte[] ref;
      if (added > 0 && random.nextBoolean()) {
        ref = seen[random.nextInt(Math.min(added, seen.length))];
      } else {
        ref = new byte[32];
        random.nextBytes(ref);
        seen[added++ % seen.length] = ref;
      }
      System.arraycopy(ref, 0, out, pos, 32);
      pos += 32;
      // an amount, a script template and some noise
      out[pos++] = (byte) random.nextInt(8);
      out[pos++] = 0x76;
      out[pos++] = (byte) 0xa9;
      out[pos++] = 0x14;
      byte[] noise = new byte[12 + random.nextInt(20)];
      random.nextBytes(noise);
      System.arraycopy(noise, 0, out, pos, noise.length);
      pos += noise.length;
      out[pos++] = (byte) 0x88;
      out[pos++] = (byte) 0xac;
    }
    return out;
  }

  private static int compressedSize(ZstdSettings settings, byte[] data) {
    try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
      settings.applyTo(ctx);
      byte[] frame = ctx.compress(data);
      assertArrayEquals(data, Zstd.decompress(frame, data.length));
      return frame.length;
    }
  }

  private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
    IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, e);
    assertTrue(thrown.getMessage().contains(expected), thrown.getMessage());
  }
}
