package io.chainsnap.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive file's output: the same bytes whether they go out direct, buffered or both. */
class ArchiveFileOutputTest {

  @TempDir Path dir;

  /** Writes {@code data} in pieces of varying size, as the output thread's slices and frames. */
  private static void writeInPieces(ArchiveFileOutput out, byte[] data, Random random)
      throws IOException {
    int off = 0;
    while (off < data.length) {
      int n = Math.min(data.length - off, 1 + random.nextInt(1_500_000));
      ByteBuffer direct = ByteBuffer.allocateDirect(n).put(data, off, n).flip();
      out.write(direct);
      assertFalse(direct.hasRemaining());
      off += n;
    }
  }

  private static byte[] data(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return b;
  }

  @Test
  void directOutputHasTheExactBytesAndLengthOfAnUnalignedArchive() throws IOException {
    // two full staging buffers, then a tail that is not a multiple of any block size
    byte[] data = data(2 * ArchiveFileOutput.STAGE + 1_234_567);
    Path file = dir.resolve("direct.tar.zst");
    try (ArchiveFileOutput out = ArchiveFileOutput.open(file, true)) {
      String type = Files.getFileStore(dir).type();
      if (Set.of("ext4", "xfs", "btrfs").contains(type)) {
        assertTrue(out.direct(), "a " + type + " file system takes O_DIRECT");
      }
      writeInPieces(out, data, new Random(1));
      out.finish();
    }
    assertArrayEquals(data, Files.readAllBytes(file));
  }

  @Test
  void bufferedOutputHasTheSameBytes() throws IOException {
    byte[] data = data(ArchiveFileOutput.STAGE + 77);
    Path file = dir.resolve("buffered.tar.zst");
    try (ArchiveFileOutput out = ArchiveFileOutput.open(file, false)) {
      assertFalse(out.direct());
      writeInPieces(out, data, new Random(2));
      out.finish();
    }
    assertArrayEquals(data, Files.readAllBytes(file));
  }

  @Test
  void aFileSystemRefusingDirectWritesMidwayLosesNoByte() throws IOException {
    byte[] data = data(3 * ArchiveFileOutput.STAGE + 4097);
    Path file = dir.resolve("fallback.tar.zst");
    try (ArchiveFileOutput out = ArchiveFileOutput.open(file, true)) {
      int first = ArchiveFileOutput.STAGE + 100; // one stage goes out the first way
      writeInPieces(out, Arrays.copyOf(data, first), new Random(3));
      out.failDirectWritesForTest();
      writeInPieces(out, Arrays.copyOfRange(data, first, data.length), new Random(4));
      out.finish();
      assertFalse(out.direct(), "continued through the page cache");
    }
    assertArrayEquals(data, Files.readAllBytes(file));
  }

  @Test
  void anExistingLongerFileIsReplacedNotOverlaid() throws IOException {
    Path file = dir.resolve("old.tar.zst");
    Files.write(file, data(ArchiveFileOutput.STAGE * 2));
    byte[] data = data(5000);
    try (ArchiveFileOutput out = ArchiveFileOutput.open(file, true)) {
      writeInPieces(out, data, new Random(5));
      out.finish();
    }
    assertArrayEquals(data, Files.readAllBytes(file));
  }

  @Test
  void archiveFilesAreTheSameWithAndWithoutDirectIo() throws IOException {
    Path source = dir.resolve("source");
    TestTrees.generate(source);
    Path direct = dir.resolve("a.tar.zst");
    Path buffered = dir.resolve("b.tar.zst");
    ArchiveWriter.Builder b = ArchiveWriter.builder().chunkSize(1 << 20).workers(2);
    ArchiveManifest m1 = b.directIo(true).build().write(source, direct);
    ArchiveManifest m2 = b.directIo(false).build().write(source, buffered);
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    b.build().write(source, stream);
    assertArrayEquals(stream.toByteArray(), Files.readAllBytes(direct));
    assertArrayEquals(stream.toByteArray(), Files.readAllBytes(buffered));
    assertEquals(m1, m2);
  }
}
