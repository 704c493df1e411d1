package io.chainsnap.archive.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainsnap.archive.ArchiveFormat;
import io.chainsnap.archive.ArchiveManifest;
import io.chainsnap.archive.ArchiveWriter;
import io.chainsnap.archive.ChunkInfo;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.archive.TestArchives;
import io.chainsnap.archive.TestTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The restore engine over a local file source: round trip, resume, failures and markers. */
class RestorerTest {

  @TempDir static Path shared;
  static Path source;
  static Path archive;
  static SnapshotMetadata metadata;

  @TempDir Path dir;

  @BeforeAll
  static void writeArchive() throws IOException {
    source = shared.resolve("src");
    TestTrees.generate(source);
    archive = shared.resolve("snapshot.tar.zst");
    ArchiveManifest manifest =
        ArchiveWriter.builder().chunkSize(1 << 20).build().write(source, archive);
    metadata = metadata("snap-1", manifest);
  }

  static SnapshotMetadata metadata(String id, ArchiveManifest manifest) {
    return new SnapshotMetadata(
        1,
        id,
        "litecoin",
        "regtest",
        io.chainsnap.domain.Mode.FULL,
        "test",
        100,
        "00ab",
        Instant.parse("2026-01-01T00:00:00Z"),
        io.chainsnap.domain.QuiesceStrategy.STOP,
        0,
        manifest);
  }

  /** Records the ranges read; can fail from a given chunk on. */
  static final class RecordingSource implements RangeSource {
    final RangeSource delegate;
    final List<long[]> reads = new CopyOnWriteArrayList<>();
    final long failFrom;
    final long delayNanos;

    RecordingSource(RangeSource delegate, long failFrom, Duration delay) {
      this.delegate = delegate;
      this.failFrom = failFrom;
      this.delayNanos = delay.toNanos();
    }

    @Override
    public long size() throws IOException {
      return delegate.size();
    }

    @Override
    public void read(long offset, byte[] buffer, int bufferOffset, int length, Transfer transfer)
        throws IOException {
      reads.add(new long[] {offset, offset + length});
      if (offset >= failFrom) {
        throw new IOException("connection reset (test)");
      }
      long until = System.nanoTime() + delayNanos;
      while (System.nanoTime() < until) {
        transfer.arrived(0);
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          throw new java.io.InterruptedIOException();
        }
      }
      delegate.read(offset, buffer, bufferOffset, length, transfer);
    }

    @Override
    public String describe() {
      return "recording " + delegate.describe();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  static JsonNode marker(Path dest) throws IOException {
    return RestoreJournal.MAPPER.readTree(dest.resolve(RestoreJournal.JOURNAL).toFile());
  }

  static boolean hasReservedFiles(Path dest) throws IOException {
    try (Stream<Path> s = Files.list(dest)) {
      return s.anyMatch(p -> p.getFileName().toString().startsWith(".chainsnap-restore"));
    }
  }

  @Test
  void roundTripWithOneAndFourConnections() throws IOException {
    for (int connections : new int[] {1, 4}) {
      Path dest = dir.resolve("dest-" + connections);
      List<RestoreProgress> reports = new CopyOnWriteArrayList<>();
      RestoreResult result;
      try (RangeSource src = FileRangeSource.open(archive)) {
        result =
            Restorer.builder()
                .connections(connections)
                .progressInterval(Duration.ofMillis(50))
                .listener(
                    new RestoreListener() {
                      @Override
                      public void progress(RestoreProgress p) {
                        reports.add(p);
                      }
                    })
                .build()
                .restore(metadata, src, dest);
      }
      TestTrees.assertSameTree(source, dest);
      TestTrees.assertFormatModes(dest);
      assertFalse(hasReservedFiles(dest), "marker, log and lock are removed");
      assertEquals(metadata.archive().sha256(), result.sha256());
      assertEquals(metadata.archive().compressedSize(), result.fetchedBytes());
      assertEquals(0, result.resumedChunks());
      RestoreProgress last = reports.get(reports.size() - 1);
      assertEquals(last.archiveBytes(), last.doneBytes());
      assertEquals(metadata.archive().chunks().size(), last.chunksDone());
    }
  }

  @Test
  void aResumedRestoreNeverFetchesAnAppliedChunk() throws IOException {
    Path dest = dir.resolve("dest");
    List<ChunkInfo> chunks = metadata.archive().chunks();
    long failFrom = chunks.get(12).offset();
    RestoreException e;
    try (RecordingSource src =
        new RecordingSource(FileRangeSource.open(archive), failFrom, Duration.ZERO)) {
      e =
          assertThrows(
              RestoreException.class,
              () -> Restorer.builder().connections(3).build().restore(metadata, src, dest));
    }
    assertEquals(RestoreException.Reason.NETWORK, e.reason());
    JsonNode marker = marker(dest);
    assertEquals("failed", marker.path("status").asText());
    assertTrue(marker.path("reason").asText().contains("connection reset"), marker.toString());
    int next = marker.path("applied").path("nextChunk").asInt();
    assertTrue(next >= 1 && next <= 12, "journal at chunk " + next);
    try (RecordingSource src =
        new RecordingSource(FileRangeSource.open(archive), Long.MAX_VALUE, Duration.ZERO)) {
      RestoreResult r = Restorer.builder().connections(4).build().restore(metadata, src, dest);
      assertEquals(next, r.resumedChunks());
      long resumedAt = chunks.get(next).offset();
      for (long[] read : src.reads) {
        assertTrue(read[0] >= resumedAt, "read at " + read[0] + " before the resume point");
      }
      assertEquals(chunks.size() - next, src.reads.size(), "each missing chunk fetched once");
    }
    TestTrees.assertSameTree(source, dest);
    assertFalse(hasReservedFiles(dest));
  }

  /** Restores into {@code dest} with a source that fails from chunk 15 on. */
  private void failAtChunk15(Path dest, Restorer.Builder restorer) throws IOException {
    try (RecordingSource src =
        new RecordingSource(
            FileRangeSource.open(archive),
            metadata.archive().chunks().get(15).offset(),
            Duration.ZERO)) {
      assertThrows(RestoreException.class, () -> restorer.build().restore(metadata, src, dest));
    }
  }

  @Test
  void afterARebootOnlyTheSyncedPointIsTrusted() throws IOException {
    Path dest = dir.resolve("dest");
    List<ChunkInfo> chunks = metadata.archive().chunks();
    // sync at the first boundary only: the durable point stays far behind the applied one
    failAtChunk15(dest, Restorer.builder().connections(2).syncInterval(Duration.ofHours(1)));
    Path journal = dest.resolve(RestoreJournal.JOURNAL);
    com.fasterxml.jackson.databind.node.ObjectNode marker =
        (com.fasterxml.jackson.databind.node.ObjectNode) marker(dest);
    int applied = marker.path("applied").path("nextChunk").asInt();
    int durable = marker.path("durable").path("nextChunk").asInt();
    assertTrue(applied > durable, "applied " + applied + ", durable " + durable);
    // pretend the machine rebooted since: the page cache of the applied chunks is not trusted
    marker.put("bootId", "another-boot");
    RestoreJournal.MAPPER.writeValue(journal.toFile(), marker);
    try (RecordingSource src =
        new RecordingSource(FileRangeSource.open(archive), Long.MAX_VALUE, Duration.ZERO)) {
      RestoreResult r = Restorer.builder().build().restore(metadata, src, dest);
      assertEquals(durable, r.resumedChunks());
      long from = durable == 0 ? 0 : chunks.get(durable).offset();
      for (long[] read : src.reads) {
        assertTrue(read[0] >= from);
      }
    }
    // the files of the chunks after the durable point were removed and extracted again
    TestTrees.assertSameTree(source, dest);
  }

  @Test
  void restoredBytesTriggerSyncsWhateverTheInterval() throws IOException {
    Path dest = dir.resolve("dest-bytes");
    long chunkSize = metadata.archive().chunkSize();
    // no sync by time within the hour; one every 4 chunks of restored data; stops at chunk 15
    failAtChunk15(
        dest,
        Restorer.builder()
            .connections(1)
            .syncInterval(Duration.ofHours(1))
            .syncBytes(4 * chunkSize));
    JsonNode marker = marker(dest);
    int applied = marker.path("applied").path("nextChunk").asInt();
    int durable = marker.path("durable").path("nextChunk").asInt();
    assertTrue(applied >= 12, "applied " + applied);
    assertTrue(
        durable >= 4 && applied - durable < 8,
        "synced by bytes: applied " + applied + ", durable " + durable);
  }

  @Test
  void aFlippedByteFailsAtItsChunkAndLeavesTheMarker() throws IOException {
    Path bad = dir.resolve("bad.tar.zst");
    byte[] bytes = Files.readAllBytes(archive);
    ChunkInfo victim = metadata.archive().chunks().get(5);
    bytes[(int) victim.offset() + 100] ^= 0x01;
    Files.write(bad, bytes);
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("keep"), "x");
    Path dest = dir.resolve("dest");
    RestoreException e;
    try (RangeSource src = FileRangeSource.open(bad)) {
      e =
          assertThrows(
              RestoreException.class,
              () -> Restorer.builder().build().restore(metadata, src, dest));
    }
    assertEquals(RestoreException.Reason.CORRUPT, e.reason());
    assertEquals(5, e.chunkIndex());
    assertTrue(
        e.getMessage().contains("chunk 5") && e.getMessage().contains("SHA-256"), e.getMessage());
    JsonNode marker = marker(dest);
    assertEquals("failed", marker.path("status").asText());
    assertTrue(marker.path("reason").asText().contains("chunk 5"), marker.toString());
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(
          List.of("bad.tar.zst", "dest", "outside"),
          s.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void aNonEmptyDirectoryWithoutMarkerIsRefusedUntouched() throws IOException {
    Path dest = Files.createDirectories(dir.resolve("data"));
    Files.writeString(dest.resolve("wallet.dat"), "precious");
    RestoreException e;
    try (RangeSource src = FileRangeSource.open(archive)) {
      e =
          assertThrows(
              RestoreException.class,
              () -> Restorer.builder().build().restore(metadata, src, dest));
    }
    assertEquals(RestoreException.Reason.DESTINATION, e.reason());
    try (Stream<Path> s = Files.list(dest)) {
      assertEquals(List.of(dest.resolve("wallet.dat")), s.toList());
    }
  }

  @Test
  void aMarkerOfAnotherSnapshotIsRefused() throws IOException {
    Path dest = dir.resolve("dest");
    try (RecordingSource src =
        new RecordingSource(
            FileRangeSource.open(archive),
            metadata.archive().chunks().get(3).offset(),
            Duration.ZERO)) {
      assertThrows(
          RestoreException.class, () -> Restorer.builder().build().restore(metadata, src, dest));
    }
    SnapshotMetadata other = metadata("snap-2", metadata.archive());
    try (RangeSource src = FileRangeSource.open(archive)) {
      RestoreException e =
          assertThrows(
              RestoreException.class, () -> Restorer.builder().build().restore(other, src, dest));
      assertEquals(RestoreException.Reason.DESTINATION, e.reason());
      assertTrue(e.getMessage().contains("snap-1"), e.getMessage());
    }
  }

  @Test
  void notEnoughSpaceIsRefusedBeforeFetching() throws IOException {
    Path dest = dir.resolve("dest");
    try (RecordingSource src =
        new RecordingSource(FileRangeSource.open(archive), Long.MAX_VALUE, Duration.ZERO)) {
      RestoreException e =
          assertThrows(
              RestoreException.class,
              () ->
                  Restorer.builder()
                      .freeSpace(d -> 1_000_000)
                      .build()
                      .restore(metadata, src, dest));
      assertEquals(RestoreException.Reason.NO_SPACE, e.reason());
      assertTrue(src.reads.isEmpty());
    }
  }

  @Test
  void aManifestWhoseWholeHashDiffersIsRejectedAtTheEnd() throws IOException {
    ArchiveManifest m = metadata.archive();
    ArchiveManifest lying =
        new ArchiveManifest(
            m.formatVersion(),
            m.chunkSize(),
            m.tarSize(),
            m.contentSize(),
            m.fileCount(),
            m.compressedSize(),
            "0".repeat(64),
            m.compression(),
            m.level(),
            m.chunks());
    Path dest = dir.resolve("dest");
    try (RangeSource src = FileRangeSource.open(archive)) {
      RestoreException e =
          assertThrows(
              RestoreException.class,
              () -> Restorer.builder().build().restore(metadata("snap-1", lying), src, dest));
      assertEquals(RestoreException.Reason.CORRUPT, e.reason());
      assertTrue(e.getMessage().contains("whole-archive"), e.getMessage());
    }
    assertEquals("failed", marker(dest).path("status").asText());
  }

  @Test
  void aTruncatedObjectIsCorrupt() throws IOException {
    Path cut = dir.resolve("cut.tar.zst");
    byte[] bytes = Files.readAllBytes(archive);
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 10));
    try (RangeSource src = FileRangeSource.open(cut)) {
      RestoreException e =
          assertThrows(
              RestoreException.class,
              () -> Restorer.builder().build().restore(metadata, src, dir.resolve("dest")));
      assertEquals(RestoreException.Reason.CORRUPT, e.reason());
    }
  }

  @Test
  void anUnsafeEntryIsRefusedAndNothingIsWrittenOutside() throws IOException {
    byte[] tar =
        TestArchives.tar(
            t -> {
              TestArchives.file(t, "ok.txt", "fine");
              TestArchives.file(t, "../escaped.txt", "evil");
            });
    TestArchives.Built built = TestArchives.frame(tar, ArchiveFormat.MIN_CHUNK_SIZE, 8, 2);
    Path evil = dir.resolve("evil.tar.zst");
    Files.write(evil, built.bytes());
    Path dest = dir.resolve("dest");
    try (RangeSource src = FileRangeSource.open(evil)) {
      RestoreException e =
          assertThrows(
              RestoreException.class,
              () ->
                  Restorer.builder()
                      .build()
                      .restore(metadata("evil", built.manifest()), src, dest));
      assertEquals(RestoreException.Reason.UNSAFE, e.reason());
      assertTrue(e.getMessage().contains("escapes"), e.getMessage());
    }
    assertFalse(Files.exists(dir.resolve("escaped.txt")));
    assertEquals("failed", marker(dest).path("status").asText());
  }

  @Test
  void cancellingStopsTheRestoreAndSaysSoInTheMarker() throws Exception {
    Path dest = dir.resolve("dest");
    Restorer restorer = Restorer.builder().connections(2).build();
    try (RecordingSource src =
        new RecordingSource(
            FileRangeSource.open(archive), Long.MAX_VALUE, Duration.ofMillis(200))) {
      Thread killer =
          new Thread(
              () -> {
                try {
                  Thread.sleep(700);
                } catch (InterruptedException ignored) {
                  return;
                }
                restorer.cancel("SIGTERM");
              });
      killer.start();
      RestoreException e =
          assertThrows(RestoreException.class, () -> restorer.restore(metadata, src, dest));
      killer.join();
      assertEquals(RestoreException.Reason.CANCELLED, e.reason());
    }
    JsonNode marker = marker(dest);
    assertTrue(marker.path("reason").asText().contains("SIGTERM"), marker.toString());
    assertNotNull(marker.get("applied"));
    // and it can be finished afterwards
    try (RangeSource src = FileRangeSource.open(archive)) {
      Restorer.builder().build().restore(metadata, src, dest);
    }
    TestTrees.assertSameTree(source, dest);
  }

  @Test
  void aDownloadResumesAndVerifies() throws IOException {
    Path out = dir.resolve("copy.tar.zst");
    List<ChunkInfo> chunks = metadata.archive().chunks();
    try (RecordingSource src =
        new RecordingSource(FileRangeSource.open(archive), chunks.get(9).offset(), Duration.ZERO)) {
      RestoreException e =
          assertThrows(
              RestoreException.class,
              () ->
                  ArchiveDownloader.builder().connections(2).build().download(metadata, src, out));
      assertEquals(RestoreException.Reason.NETWORK, e.reason());
    }
    assertTrue(Files.exists(dir.resolve("copy.tar.zst.part")));
    try (RecordingSource src =
        new RecordingSource(FileRangeSource.open(archive), Long.MAX_VALUE, Duration.ZERO)) {
      RestoreResult r = ArchiveDownloader.builder().build().download(metadata, src, out);
      assertTrue(r.resumedChunks() > 0, "resumed " + r.resumedChunks());
      assertEquals(chunks.size() - r.resumedChunks(), src.reads.size());
    }
    assertEquals(TestTrees.sha256(archive), TestTrees.sha256(out));
    assertFalse(Files.exists(dir.resolve("copy.tar.zst.part")));
    assertFalse(Files.exists(dir.resolve("copy.tar.zst" + ArchiveDownloader.JOURNAL_SUFFIX)));
  }

  @Test
  void aRemoteVerificationChecksEveryChunkAndTheWholeHash() throws IOException {
    try (RangeSource src = FileRangeSource.open(archive)) {
      RestoreResult r = ArchiveDownloader.builder().build().verify(metadata, src);
      assertEquals(metadata.archive().compressedSize(), r.fetchedBytes());
    }
    Path bad = dir.resolve("bad.tar.zst");
    byte[] bytes = Files.readAllBytes(archive);
    bytes[bytes.length - 5] ^= 0x40;
    Files.write(bad, bytes);
    try (RangeSource src = FileRangeSource.open(bad)) {
      RestoreException e =
          assertThrows(
              RestoreException.class,
              () -> ArchiveDownloader.builder().build().verify(metadata, src));
      assertEquals(RestoreException.Reason.CORRUPT, e.reason());
      assertEquals(metadata.archive().chunks().size() - 1, e.chunkIndex());
    }
  }

  @Test
  void restoringAgainIntoAFinishedRestoreOfTheSameSnapshotDoesNothing() throws IOException {
    Path dest = dir.resolve("data");
    Restorer restorer = Restorer.builder().keepRecord(true).build();
    try (RangeSource src = FileRangeSource.open(archive)) {
      RestoreResult first = restorer.restore(metadata, src, dest);
      assertFalse(first.alreadyRestored());
    }
    assertTrue(Files.isRegularFile(dest.resolve(".chainsnap-restored.json")));
    TestTrees.assertSameTree(source, dest);
    try (RecordingSource src =
        new RecordingSource(FileRangeSource.open(archive), Long.MAX_VALUE, Duration.ZERO)) {
      RestoreResult again = restorer.restore(metadata, src, dest);
      assertTrue(again.alreadyRestored());
      assertNotNull(again.alreadyRestoredAt());
      assertEquals(0, again.fetchedBytes());
      assertEquals(List.of(), src.reads, "nothing fetched");
    }
    assertFalse(Files.exists(dest.resolve(".chainsnap-restore.lock")), "no lock left behind");
    TestTrees.assertSameTree(source, dest);
  }

  @Test
  void anotherSnapshotIsRefusedOverAFinishedRestoreUnlessReplaced() throws IOException {
    Path dest = dir.resolve("data");
    try (RangeSource src = FileRangeSource.open(archive)) {
      Restorer.builder().keepRecord(true).build().restore(metadata, src, dest);
    }
    Files.writeString(dest.resolve("node-wrote-this.log"), "x");
    Path other = dir.resolve("other-src");
    Files.createDirectories(other.resolve("d"));
    Files.writeString(other.resolve("d/f"), "other snapshot");
    Path otherArchive = dir.resolve("other.tar.zst");
    SnapshotMetadata otherMeta =
        metadata("snap-2", ArchiveWriter.builder().build().write(other, otherArchive));
    try (RangeSource src = FileRangeSource.open(otherArchive)) {
      RestoreException e =
          assertThrows(
              RestoreException.class,
              () -> Restorer.builder().keepRecord(true).build().restore(otherMeta, src, dest));
      assertEquals(RestoreException.Reason.DESTINATION, e.reason());
      assertTrue(
          e.getMessage().contains("holds a finished restore of snapshot snap-1"), e.getMessage());
      assertTrue(e.getMessage().contains("--force"), e.getMessage());
    }
    assertTrue(Files.exists(dest.resolve("node-wrote-this.log")), "a refused destination is kept");
    try (RangeSource src = FileRangeSource.open(otherArchive)) {
      RestoreResult r =
          Restorer.builder().keepRecord(true).replace(true).build().restore(otherMeta, src, dest);
      assertFalse(r.alreadyRestored());
    }
    TestTrees.assertSameTree(other, dest);
  }

  @Test
  void replaceNeverEmptiesADirectoryChainsnapDidNotRestore() throws IOException {
    Path dest = Files.createDirectories(dir.resolve("data"));
    Files.writeString(dest.resolve("wallet.dat"), "keep me");
    try (RangeSource src = FileRangeSource.open(archive)) {
      RestoreException e =
          assertThrows(
              RestoreException.class,
              () -> Restorer.builder().replace(true).build().restore(metadata, src, dest));
      assertEquals(RestoreException.Reason.DESTINATION, e.reason());
    }
    assertEquals("keep me", Files.readString(dest.resolve("wallet.dat")));
  }

  @Test
  void largeChunksUseFewerConnectionsSoMemoryStaysBounded() throws IOException {
    byte[] tar = TestArchives.tar(t -> TestArchives.file(t, "a", "data"));
    ArchiveManifest small =
        TestArchives.frame(tar, ArchiveFormat.DEFAULT_CHUNK_SIZE, 4, 1).manifest();
    ArchiveManifest m = metadata.archive();
    ArchiveManifest big =
        new ArchiveManifest(
            1,
            ArchiveFormat.MAX_CHUNK_SIZE,
            (long) ArchiveFormat.MAX_CHUNK_SIZE * 3,
            0,
            0,
            3,
            m.sha256(),
            "zstd",
            3,
            List.of(
                new ChunkInfo(0, 0, 1, ArchiveFormat.MAX_CHUNK_SIZE, m.sha256()),
                new ChunkInfo(1, 1, 1, ArchiveFormat.MAX_CHUNK_SIZE, m.sha256()),
                new ChunkInfo(2, 2, 1, ArchiveFormat.MAX_CHUNK_SIZE, m.sha256())));
    assertEquals(4, FetchLimits.connectionsFor(4, small));
    assertEquals(4, FetchLimits.connectionsFor(4, m), "1 MiB chunks: all connections");
    assertEquals(1, FetchLimits.connectionsFor(4, big), "256 MiB chunks: 4 x 128 MiB allows one");
    assertEquals(16, FetchLimits.connectionsFor(64, big));
    assertEquals(1, FetchLimits.connectionsFor(1, big), "never fewer than one");
    for (int connections = 1; connections <= 64; connections++) {
      int parallel = FetchLimits.connectionsFor(connections, big);
      long memory = (2L * parallel + 1) * ArchiveFormat.MAX_CHUNK_SIZE;
      assertTrue(
          memory
              <= Math.max(
                  3L * ArchiveFormat.MAX_CHUNK_SIZE,
                  connections * FetchLimits.WINDOW_PER_CONNECTION + ArchiveFormat.MAX_CHUNK_SIZE),
          connections + " connections: " + memory);
    }
  }
}
