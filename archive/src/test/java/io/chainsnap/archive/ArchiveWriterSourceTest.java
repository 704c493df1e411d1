package io.chainsnap.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the writer accepts from a source directory, and how it refuses the rest. */
class ArchiveWriterSourceTest {

  @TempDir Path dir;

  private Path smallTree() throws IOException {
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.createDirectories(src.resolve("chainstate"));
    Files.createDirectories(src.resolve("wallets/default"));
    Files.writeString(src.resolve("chainstate/000001.ldb"), "ldb");
    Files.writeString(src.resolve("wallets/default/wallet.dat"), "secret");
    Files.writeString(src.resolve("LOCK"), "");
    Files.writeString(src.resolve("debug.log"), "log");
    Files.writeString(src.resolve("blk00000.dat"), "blocks");
    return src;
  }

  @Test
  void refusesASymlinkNamingIt() throws IOException {
    Path src = smallTree();
    Files.createSymbolicLink(src.resolve("chainstate/link"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(src.resolve("dirlink"), src.resolve("chainstate"));
    ArchiveException e =
        assertThrows(
            ArchiveException.class,
            () -> ArchiveWriter.builder().build().write(src, new ByteArrayOutputStream()));
    assertEquals(ArchiveException.Kind.SOURCE, e.kind());
    assertTrue(e.getMessage().contains("chainstate/link (symbolic link)"), e.getMessage());
    assertTrue(e.getMessage().contains("dirlink (symbolic link)"), e.getMessage());
  }

  @Test
  void skipsASymlinkTheFilterExcludes() throws IOException {
    Path src = smallTree();
    Files.createSymbolicLink(src.resolve("chainstate/link"), Path.of("/etc/passwd"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ArchiveManifest m =
        ArchiveWriter.builder()
            .chunkSize(ArchiveFormat.MIN_CHUNK_SIZE)
            .filter(p -> !p.equals("chainstate/link"))
            .build()
            .write(src, out);
    Path target = dir.resolve("restored");
    ArchiveReader.create().extract(new ByteArrayInputStream(out.toByteArray()), m, target);
    assertFalse(Files.exists(target.resolve("chainstate/link"), LinkOption.NOFOLLOW_LINKS));
    assertTrue(Files.exists(target.resolve("chainstate/000001.ldb")));
  }

  @Test
  void refusesAFifo() throws Exception {
    Path src = smallTree();
    Path fifo = src.resolve("node.fifo");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(p.waitFor() == 0, "mkfifo unavailable");
    ArchiveException e =
        assertThrows(
            ArchiveException.class,
            () -> ArchiveWriter.builder().build().write(src, new ByteArrayOutputStream()));
    assertEquals(ArchiveException.Kind.SOURCE, e.kind());
    assertTrue(e.getMessage().contains("node.fifo (device, FIFO or socket)"), e.getMessage());
  }

  @Test
  void filterExcludesFilesAndWholeDirectories() throws IOException {
    Path src = smallTree();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ArchiveManifest m =
        ArchiveWriter.builder()
            .chunkSize(ArchiveFormat.MIN_CHUNK_SIZE)
            .filter(p -> !p.equals("wallets") && !p.equals("LOCK") && !p.endsWith(".log"))
            .build()
            .write(src, out);
    assertEquals(2, m.fileCount());
    Path target = dir.resolve("restored");
    ArchiveReader.create().extract(new ByteArrayInputStream(out.toByteArray()), m, target);
    assertFalse(Files.exists(target.resolve("wallets")));
    assertFalse(Files.exists(target.resolve("LOCK")));
    assertFalse(Files.exists(target.resolve("debug.log")));
    assertEquals("ldb", Files.readString(target.resolve("chainstate/000001.ldb")));
    assertEquals("blocks", Files.readString(target.resolve("blk00000.dat")));
  }

  @Test
  void failsWhenAFileChangesSizeWhileBeingRead() throws IOException {
    Path src = Files.createDirectories(dir.resolve("growing"));
    Files.write(src.resolve("a-first.dat"), new byte[3 * ArchiveFormat.MIN_CHUNK_SIZE]);
    Path later = src.resolve("z-later.dat");
    Files.write(later, new byte[1000]);
    AtomicBoolean grown = new AtomicBoolean();
    ArchiveWriter writer =
        ArchiveWriter.builder()
            .chunkSize(ArchiveFormat.MIN_CHUNK_SIZE)
            .workers(1) // chunk i's report comes before chunk i + 2 is planned
            .progress(
                (done, total) -> {
                  // after the first chunk, while a-first.dat is being read: grow the next file
                  if (grown.compareAndSet(false, true)) {
                    try {
                      Files.write(later, new byte[5000], StandardOpenOption.APPEND);
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  }
                })
            .build();
    Path out = dir.resolve("snapshot.tar.zst");
    ArchiveException e = assertThrows(ArchiveException.class, () -> writer.write(src, out));
    assertEquals(ArchiveException.Kind.SOURCE, e.kind());
    assertEquals("z-later.dat", e.entry());
    assertTrue(e.getMessage().contains("changed while being archived"), e.getMessage());
    assertFalse(Files.exists(out), "a failed write leaves no partial archive");
  }

  @Test
  void failsWhenAFileShrinksWhileBeingRead() throws IOException {
    Path src = Files.createDirectories(dir.resolve("shrinking"));
    Files.write(src.resolve("a-first.dat"), new byte[3 * ArchiveFormat.MIN_CHUNK_SIZE]);
    Path later = src.resolve("z-later.dat");
    Files.write(later, new byte[10_000]);
    AtomicBoolean cut = new AtomicBoolean();
    ArchiveWriter writer =
        ArchiveWriter.builder()
            .chunkSize(ArchiveFormat.MIN_CHUNK_SIZE)
            .workers(1) // chunk i's report comes before chunk i + 2 is planned
            .progress(
                (done, total) -> {
                  if (cut.compareAndSet(false, true)) {
                    try {
                      Files.write(later, new byte[10]);
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  }
                })
            .build();
    ArchiveException e =
        assertThrows(ArchiveException.class, () -> writer.write(src, new ByteArrayOutputStream()));
    assertEquals(ArchiveException.Kind.SOURCE, e.kind());
    assertTrue(e.getMessage().contains("z-later.dat shrank while being read"), e.getMessage());
  }

  @Test
  void refusesAMissingSource() {
    ArchiveException e =
        assertThrows(
            ArchiveException.class,
            () ->
                ArchiveWriter.builder()
                    .build()
                    .write(dir.resolve("missing"), new ByteArrayOutputStream()));
    assertEquals(ArchiveException.Kind.SOURCE, e.kind());
  }

  @Test
  void builderRejectsOutOfRangeSettings() {
    assertThrows(IllegalArgumentException.class, () -> ArchiveWriter.builder().chunkSize(100));
    assertThrows(IllegalArgumentException.class, () -> ArchiveWriter.builder().workers(0));
    assertThrows(IllegalArgumentException.class, () -> ArchiveWriter.builder().level(99));
  }

  @Test
  void oddNamesAndOutOfRangeTimesRoundTrip() throws Exception {
    Path src = Files.createDirectories(dir.resolve("odd"));
    List<String> names =
        new ArrayList<>(List.of("with\nnewline", "back\\slash", "c".repeat(250), "-dash", " lead"));
    if (TestTrees.utf8FileNames()) {
      names.add("日本語-ñ.dat");
    }
    for (String n : names) {
      Files.writeString(src.resolve(n), n);
    }
    Path old = src.resolve("before-1970");
    Files.writeString(old, "old");
    Files.setLastModifiedTime(old, FileTime.from(-86_400L, TimeUnit.SECONDS));
    Path future = src.resolve("after-2242");
    Files.writeString(future, "future");
    Files.setLastModifiedTime(future, FileTime.from(10_000_000_000L, TimeUnit.SECONDS));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ArchiveManifest m =
        ArchiveWriter.builder().chunkSize(ArchiveFormat.MIN_CHUNK_SIZE).build().write(src, out);
    Path target = dir.resolve("odd-restored");
    ArchiveReader.create().extract(new ByteArrayInputStream(out.toByteArray()), m, target);
    TestTrees.assertSameTree(src, target);
    assertEquals(
        Files.getLastModifiedTime(old).toMillis() / 1000,
        Files.getLastModifiedTime(target.resolve("before-1970")).toMillis() / 1000);
  }

  @Test
  void refusesToWriteTheArchiveInsideTheSource() throws IOException {
    Path src = smallTree();
    ArchiveException e =
        assertThrows(
            ArchiveException.class,
            () -> ArchiveWriter.builder().build().write(src, src.resolve("snapshot.tar.zst")));
    assertEquals(ArchiveException.Kind.SOURCE, e.kind());
    assertFalse(Files.exists(src.resolve("snapshot.tar.zst")));
  }

  @Test
  void outputFailureStopsTheWriteAndEveryThread() throws Exception {
    Path src = Files.createDirectories(dir.resolve("big"));
    Files.write(
        src.resolve("data"),
        TestTrees.randomBytes(new Random(9), 40 * ArchiveFormat.MIN_CHUNK_SIZE));
    OutputStream failing =
        new OutputStream() {
          long written;

          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            written += len;
            if (written > 5 * ArchiveFormat.MIN_CHUNK_SIZE) {
              throw new IOException("disk full");
            }
          }
        };
    ArchiveException e =
        assertThrows(
            ArchiveException.class,
            () ->
                ArchiveWriter.builder()
                    .chunkSize(ArchiveFormat.MIN_CHUNK_SIZE)
                    .workers(2)
                    .build()
                    .write(src, failing));
    assertEquals(ArchiveException.Kind.IO, e.kind());
    assertTrue(e.getMessage().contains("disk full"), e.getMessage());
    assertNoArchiveThreads();
  }

  @Test
  void streamedListingIsInTheGlobalByteOrderOfPaths() throws IOException {
    // names around '/' (0x2f): '-' and '.' sort before it, '0' and 'é' after it
    Path src = Files.createDirectories(dir.resolve("order"));
    Random random = new Random(7);
    String[] names = {"a", "a-b", "a.b", "a0", "b", "é", "a b", "Z", "a_", "aa"};
    List<Path> dirs = new ArrayList<>(List.of(src));
    for (int i = 0; i < 300; i++) {
      Path parent = dirs.get(random.nextInt(dirs.size()));
      Path child = parent.resolve(names[random.nextInt(names.length)]);
      if (Files.exists(child) || parent.getNameCount() - src.getNameCount() > 4) {
        continue;
      }
      if (random.nextBoolean()) {
        dirs.add(Files.createDirectories(child));
      } else {
        Files.writeString(child, "x");
      }
    }
    List<SourceTree.Entry> streamed = SourceTree.scan(src, p -> true);
    List<SourceTree.Entry> sorted = new ArrayList<>(streamed);
    sorted.sort((x, y) -> SourceTree.compareUtf8(x.name(), x.directory(), y.name(), y.directory()));
    assertTrue(streamed.size() > 100, "entries: " + streamed.size());
    assertEquals(
        sorted.stream().map(SourceTree.Entry::path).toList(),
        streamed.stream().map(SourceTree.Entry::path).toList());
    // and every path is listed once: the walk equals a plain recursive listing
    try (Stream<Path> all = Files.walk(src)) {
      assertEquals(all.count() - 1, streamed.size());
    }
  }

  @Test
  void aSymlinkListedAfterTheFirstChunksStillFailsTheArchiveAndNamesIt() throws Exception {
    Path src = Files.createDirectories(dir.resolve("late"));
    byte[] big = new byte[3 << 20];
    new Random(3).nextBytes(big);
    Files.write(src.resolve("a-first.dat"), big); // hundreds of 4 KiB chunks before the link
    Files.createDirectories(src.resolve("z"));
    Files.createSymbolicLink(src.resolve("z/link"), Path.of("/etc/passwd"));
    Path out = dir.resolve("late.tar.zst");
    ArchiveException e =
        assertThrows(
            ArchiveException.class,
            () ->
                ArchiveWriter.builder()
                    .chunkSize(ArchiveFormat.MIN_CHUNK_SIZE)
                    .build()
                    .write(src, out));
    assertEquals(ArchiveException.Kind.SOURCE, e.kind());
    assertTrue(e.getMessage().contains("z/link (symbolic link)"), e.getMessage());
    assertFalse(Files.exists(out), "no partial archive is left");
    assertNoArchiveThreads();
  }

  static void assertNoArchiveThreads() throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      boolean alive =
          Thread.getAllStackTraces().keySet().stream()
              .anyMatch(t -> t.isAlive() && t.getName().startsWith("chainsnap-"));
      if (!alive) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("archive threads still alive after the call returned");
  }
}
