package io.chainsnap.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveRoundTripTest {

  static final int CHUNK = 1 << 20;

  @TempDir static Path shared;
  static Path source;
  static Path archive;
  static ArchiveManifest manifest;
  static double writeMBps;

  @BeforeAll
  static void writeOnce() throws IOException {
    source = shared.resolve("source");
    TestTrees.generate(source);
    archive = shared.resolve("snapshot.tar.zst");
    long t0 = System.nanoTime();
    manifest = ArchiveWriter.builder().chunkSize(CHUNK).workers(2).build().write(source, archive);
    writeMBps = manifest.tarSize() / 1e6 / ((System.nanoTime() - t0) / 1e9);
  }

  @Test
  void roundTripRestoresTheSameTree() throws IOException {
    Path target = shared.resolve("restored");
    long t0 = System.nanoTime();
    ArchiveReader.create().extract(archive, manifest, target);
    double extractMBps = manifest.tarSize() / 1e6 / ((System.nanoTime() - t0) / 1e9);
    System.out.printf(
        "round trip: %d files, tar %.1f MB -> %.1f MB in %d chunks; write %.0f MB/s, extract %.0f MB/s%n",
        manifest.fileCount(),
        manifest.tarSize() / 1e6,
        manifest.compressedSize() / 1e6,
        manifest.chunks().size(),
        writeMBps,
        extractMBps);
    TestTrees.assertSameTree(source, target);
    TestTrees.assertFormatModes(target);
  }

  @Test
  void manifestNumbersDescribeTheTreeAndTheFile() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(source)) {
      files = s.filter(Files::isRegularFile).toList();
    }
    long content = 0;
    for (Path f : files) {
      content += Files.size(f);
    }
    assertEquals(1, manifest.formatVersion());
    assertEquals("zstd", manifest.compression());
    assertEquals(3, manifest.level());
    assertEquals("strategy=1,hashLog=18,minMatch=6", manifest.zstdParameters());
    assertEquals(CHUNK, manifest.chunkSize());
    assertEquals(files.size(), manifest.fileCount());
    assertEquals(content, manifest.contentSize());
    byte[] bytes = Files.readAllBytes(archive);
    assertEquals(bytes.length, manifest.compressedSize());
    assertEquals(TestTrees.sha256(bytes), manifest.sha256());
    assertTrue(manifest.chunks().size() > 15, "many chunks: " + manifest.chunks().size());
    assertEquals((manifest.tarSize() + CHUNK - 1) / CHUNK, manifest.chunks().size());
    assertEquals(0, manifest.tarSize() % 512);

    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    long offset = 0;
    for (ChunkInfo c : manifest.chunks()) {
      assertEquals(offset, c.offset());
      byte[] frame = Arrays.copyOfRange(bytes, (int) c.offset(), (int) c.end());
      assertEquals(c.sha256(), TestTrees.sha256(frame), "chunk " + c.index() + " hash");
      assertEquals(c.uncompressedLength(), Zstd.getFrameContentSize(frame), "content size flag");
      assertTrue((frame[4] & 0x04) != 0, "checksum flag of chunk " + c.index());
      assertEquals(frame.length, Zstd.findFrameCompressedSize(frame), "one frame per chunk");
      tar.writeBytes(ArchiveChunks.decompress(c, frame, 0, frame.length));
      offset = c.end();
    }
    assertEquals(manifest.tarSize(), tar.size());
    // the manifest is self-consistent
    manifest.validate();
  }

  @Test
  void writerIsDeterministicWhateverTheWorkerCount() throws IOException {
    ByteArrayOutputStream one = new ByteArrayOutputStream();
    ByteArrayOutputStream three = new ByteArrayOutputStream();
    ArchiveManifest m1 =
        ArchiveWriter.builder().chunkSize(CHUNK).workers(1).build().write(source, one);
    ArchiveManifest m3 =
        ArchiveWriter.builder().chunkSize(CHUNK).workers(3).build().write(source, three);
    assertArrayEquals(one.toByteArray(), three.toByteArray());
    assertArrayEquals(Files.readAllBytes(archive), one.toByteArray());
    assertEquals(m1, m3);
    assertEquals(manifest, m1);
  }

  @Test
  void tarEntriesAreSortedPosixWithFixedOwnerAndModes() throws IOException {
    List<String> names = new ArrayList<>();
    try (InputStream z = new ZstdInputStream(Files.newInputStream(archive));
        TarArchiveInputStream tar = new TarArchiveInputStream(z)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        names.add(e.getName());
        assertEquals(0, e.getLongUserId(), e.getName());
        assertEquals(0, e.getLongGroupId(), e.getName());
        assertEquals("", e.getUserName(), e.getName());
        assertEquals("", e.getGroupName(), e.getName());
        assertTrue(e.isDirectory() || e.isFile(), e.getName());
        int mode = e.getMode() & 07777;
        if (e.isDirectory()) {
          assertEquals(0755, mode, e.getName());
          assertTrue(e.getName().endsWith("/"));
        } else {
          assertEquals(e.getName().equals("bin-tool") ? 0755 : 0644, mode, e.getName());
        }
        assertEquals(0, e.getLastModifiedTime().toMillis() % 1000, "whole seconds");
      }
    }
    List<String> sorted = new ArrayList<>(names);
    sorted.sort(
        (a, b) ->
            Arrays.compareUnsigned(
                strip(a).getBytes(StandardCharsets.UTF_8),
                strip(b).getBytes(StandardCharsets.UTF_8)));
    assertEquals(sorted, names);
    assertTrue(names.contains("empty-dir/"));
    assertTrue(names.indexOf("blocks/") < names.indexOf("blocks/blk00000.dat"));
    assertTrue(
        names.stream().anyMatch(n -> n.getBytes(StandardCharsets.UTF_8).length > 100),
        "a pax path is used for long names");
    assertFalse(names.stream().anyMatch(n -> n.startsWith("/") || n.startsWith("./")));
  }

  @Test
  void verifyAcceptsTheArchiveAndReportsProgress() throws IOException {
    List<long[]> calls = new ArrayList<>();
    ArchiveReader reader =
        ArchiveReader.builder()
            .progress((done, total) -> calls.add(new long[] {done, total}))
            .build();
    try (InputStream in = Files.newInputStream(archive)) {
      assertEquals(manifest, reader.verify(in, manifest));
    }
    assertEquals(manifest.chunks().size(), calls.size());
    long[] last = calls.get(calls.size() - 1);
    assertEquals(manifest.compressedSize(), last[0]);
    assertEquals(manifest.compressedSize(), last[1]);
  }

  @Test
  void writerReportsProgressUpToTheExactTarSize() throws IOException {
    List<long[]> calls = new ArrayList<>();
    ArchiveManifest m =
        ArchiveWriter.builder()
            .chunkSize(CHUNK)
            .workers(2)
            .progress((done, total) -> calls.add(new long[] {done, total}))
            .build()
            .write(source, new ByteArrayOutputStream());
    assertEquals(m.chunks().size(), calls.size(), "one report per chunk written");
    long previous = 0;
    boolean known = false;
    for (long[] c : calls) {
      assertTrue(c[0] > previous);
      // -1 only while the tree is still being listed; once known, the total never goes back
      if (known || c[1] != -1) {
        assertEquals(m.tarSize(), c[1]);
        known = true;
      }
      previous = c[0];
    }
    assertEquals(m.tarSize(), previous);
    assertEquals(m.tarSize(), calls.get(calls.size() - 1)[1], "the last report has the total");
  }

  @Test
  void writerReportsAnUnknownTotalWhileTheTreeIsStillBeingListed(@TempDir Path dir)
      throws Exception {
    // a/big.dat fills several chunks; the listing is then held at b/x (the filter runs on the
    // listing thread) until the first chunk has been reported, so that report cannot know the total
    Path tree = dir.resolve("tree");
    Files.createDirectories(tree.resolve("a"));
    Files.createDirectories(tree.resolve("b"));
    byte[] big = new byte[20 * ArchiveFormat.MIN_CHUNK_SIZE];
    new Random(7).nextBytes(big);
    Files.write(tree.resolve("a/big.dat"), big);
    Files.writeString(tree.resolve("b/x"), "x");
    CountDownLatch firstReport = new CountDownLatch(1);
    List<long[]> calls = Collections.synchronizedList(new ArrayList<>());
    ArchiveManifest m =
        ArchiveWriter.builder()
            .chunkSize(4 * ArchiveFormat.MIN_CHUNK_SIZE)
            .workers(2)
            .filter(
                rel -> {
                  if (rel.equals("b/x")) {
                    try {
                      assertTrue(firstReport.await(30, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }
                  return true;
                })
            .progress(
                (done, total) -> {
                  calls.add(new long[] {done, total});
                  firstReport.countDown();
                })
            .build()
            .write(tree, dir.resolve("out.tar.zst"));
    assertEquals(m.chunks().size(), calls.size());
    assertEquals(-1, calls.get(0)[1], "the first chunk is out before the listing ended");
    assertTrue(calls.get(0)[0] > 0);
    assertEquals(m.tarSize(), calls.get(calls.size() - 1)[0]);
    assertEquals(m.tarSize(), calls.get(calls.size() - 1)[1]);
    ArchiveReader.create().extract(dir.resolve("out.tar.zst"), m, dir.resolve("back"));
    TestTrees.assertSameTree(tree, dir.resolve("back"));
  }

  @Test
  void writerMemoryIsBoundedByWorkersNotByDataSize() {
    int workers = 2;
    ArchiveWriter writer =
        ArchiveWriter.builder()
            .chunkSize(ArchiveFormat.MIN_CHUNK_SIZE * 16)
            .workers(workers)
            .build();
    ChunkPipeline[] seen = new ChunkPipeline[1];
    ArchiveManifest m =
        writer.write(
            SourceTree.start(source, p -> true),
            Channels.newChannel(new ByteArrayOutputStream()),
            p -> seen[0] = p);
    assertNotNull(seen[0]);
    assertTrue(m.chunks().size() > 100, "many chunks: " + m.chunks().size());
    assertEquals(workers + 1, seen[0].maxInFlight());
    assertTrue(
        seen[0].frameBuffersAllocated() <= workers + 1,
        "frames " + seen[0].frameBuffersAllocated());
    assertEquals(
        (long) (workers + 1) * Zstd.compressBound(writer.chunkSize())
            + (long) workers * ChunkPipeline.READ_BUFFER
            + ArchiveFileOutput.maxBufferBytes(),
        writer.maxBufferBytes());
  }

  @Test
  void emptyDirectoryMakesAValidArchive() throws IOException {
    Path empty = Files.createDirectories(shared.resolve("empty-source"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ArchiveManifest m = ArchiveWriter.builder().chunkSize(CHUNK).build().write(empty, out);
    assertEquals(1024, m.tarSize());
    assertEquals(0, m.fileCount());
    assertEquals(1, m.chunks().size());
    Path target = shared.resolve("empty-restored");
    ArchiveReader.create().extract(new ByteArrayInputStream(out.toByteArray()), m, target);
    try (Stream<Path> s = Files.list(target)) {
      assertEquals(0, s.count());
    }
  }

  @Test
  void readerAcceptsATarWrittenByCommonsCompress() throws IOException {
    byte[] data = TestTrees.text(new Random(1), 50_000);
    byte[] tar =
        TestArchives.tar(
            t -> {
              TestArchives.dir(t, "d");
              TestArchives.file(t, "d/" + "x".repeat(150), data);
              TestArchives.file(t, "top.txt", "hello");
            });
    TestArchives.Built built =
        TestArchives.frame(tar, ArchiveFormat.MIN_CHUNK_SIZE, data.length + 5, 2);
    Path target = shared.resolve("from-commons");
    ArchiveReader.create()
        .extract(new ByteArrayInputStream(built.bytes()), built.manifest(), target);
    assertArrayEquals(data, Files.readAllBytes(target.resolve("d/" + "x".repeat(150))));
    assertEquals("hello", Files.readString(target.resolve("top.txt")));
  }

  private static String strip(String name) {
    return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
  }
}
