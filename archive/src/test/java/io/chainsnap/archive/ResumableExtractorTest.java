package io.chainsnap.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resumable extraction stopped at every chunk boundary and continued by a fresh extractor from the
 * saved state: the tree must come out identical, whatever the boundary cuts (a header, a pax
 * record, file data, padding, the end-of-archive blocks).
 */
class ResumableExtractorTest {

  /** Not a multiple of 512: boundaries fall inside headers, data and padding. */
  static final int CHUNK = 4096 + 700;

  @TempDir Path dir;
  Path source;
  byte[] archive;
  ArchiveManifest manifest;

  @BeforeEach
  void setUp() throws IOException {
    source = dir.resolve("src");
    Random random = new Random(3);
    Files.createDirectories(source.resolve("a/b/c"));
    Files.createDirectories(source.resolve("empty-dir"));
    for (int i = 0; i < 40; i++) {
      int size =
          switch (i % 5) {
            case 0 -> 0;
            case 1 -> 511;
            case 2 -> 512;
            case 3 -> random.nextInt(3 * CHUNK);
            default -> random.nextInt(700);
          };
      String dirName = i % 3 == 0 ? "a" : i % 3 == 1 ? "a/b" : "a/b/c";
      TestTrees.write(
          source.resolve(dirName).resolve("f" + i), TestTrees.randomBytes(random, size));
    }
    // long names need pax headers; several in a row make pax records straddle boundaries
    for (int i = 0; i < 12; i++) {
      TestTrees.write(
          source.resolve("a/" + "long-name-".repeat(12) + i),
          TestTrees.text(random, random.nextInt(900)));
    }
    TestTrees.write(source.resolve("big.dat"), TestTrees.halfRandom(random, 5 * CHUNK + 123));
    Path exe = source.resolve("run.sh");
    TestTrees.write(exe, "#!/bin/sh\n".getBytes(StandardCharsets.US_ASCII));
    Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
    TestTrees.setMtimes(source);
    write(CHUNK);
    assertTrue(manifest.chunks().size() > 20, "enough boundaries: " + manifest.chunks().size());
  }

  void write(int chunkSize) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    manifest = ArchiveWriter.builder().chunkSize(chunkSize).workers(2).build().write(source, out);
    archive = out.toByteArray();
  }

  /** Decompressed chunks from the in-memory archive; fails when asked for {@code stopAt}. */
  final class Feed implements ResumableExtractor.ChunkFeed {
    final int stopAt;
    final List<Integer> taken = new ArrayList<>();

    Feed(int stopAt) {
      this.stopAt = stopAt;
    }

    @Override
    public ByteBuffer take(int index) {
      if (index == stopAt) {
        throw new IllegalStateException("killed before chunk " + index);
      }
      taken.add(index);
      ChunkInfo c = manifest.chunks().get(index);
      return ByteBuffer.wrap(
          ArchiveChunks.decompress(c, archive, (int) c.offset(), (int) c.compressedLength()));
    }

    @Override
    public void release(int index, ByteBuffer buffer) {}
  }

  /** Keeps every state and the created-files log, like the restore engine's journal. */
  static final class Journal implements ResumableExtractor.Journal {
    final List<ExtractionState> states = new ArrayList<>();
    final Map<Long, String> created = new HashMap<>();
    final List<Path> written = new ArrayList<>();
    int first;

    @Override
    public void beforeCreate(long sequence, String path) {
      created.put(sequence, path);
    }

    @Override
    public void chunkApplied(ExtractionState state, List<Path> paths) {
      assertEquals(first + states.size() + 1, state.nextChunk(), "states come in chunk order");
      states.add(state);
      written.addAll(paths);
    }
  }

  @Test
  void stoppingAtEveryBoundaryAndResumingGivesTheSameTree() throws IOException {
    EnumSet<ExtractionState.Phase> seen = EnumSet.noneOf(ExtractionState.Phase.class);
    int withCarry = 0;
    // several chunk sizes, none a multiple of 512, so that boundaries land in every phase
    for (int chunkSize : new int[] {CHUNK, 4096 + 1234, 4096 + 3001, 9000}) {
      write(chunkSize);
      int n = manifest.chunks().size();
      for (int stop = 1; stop <= n; stop++) {
        Path target = dir.resolve("t" + chunkSize + "-" + stop);
        Journal first = new Journal();
        if (stop < n) {
          int s = stop;
          assertThrows(
              IllegalStateException.class,
              () -> ResumableExtractor.extract(manifest, target, null, new Feed(s), first));
        } else {
          ResumableExtractor.extract(manifest, target, null, new Feed(-1), first);
        }
        assertEquals(stop, first.states.size(), "one state per applied chunk");
        // go on from the state of the last applied chunk, as after a crash right after it
        ExtractionState state = first.states.get(stop - 1);
        seen.add(state.phase());
        withCarry += state.carry().length > 0 ? 1 : 0;
        removeCreatedAfter(target, first.created, state.files());
        Journal second = new Journal();
        second.first = stop;
        Feed rest = new Feed(-1);
        ResumableExtractor.extract(manifest, target, roundTrip(state), rest, second);
        assertEquals(stop < n ? stop : -1, rest.taken.isEmpty() ? -1 : rest.taken.get(0));
        TestTrees.assertSameTree(source, target);
        TestTrees.assertFormatModes(target);
      }
    }
    assertTrue(seen.containsAll(EnumSet.allOf(ExtractionState.Phase.class)), "phases " + seen);
    assertTrue(withCarry > 0, "some boundary cut a header");
  }

  @Test
  void resumingFromAnOlderStateRemovesNothingItShouldKeep() throws IOException {
    // crash with the journal two chunks behind the extraction: the files of those two chunks exist
    int n = manifest.chunks().size();
    for (int stop = 3; stop < n; stop += 4) {
      Path target = dir.resolve("lag" + stop);
      Journal first = new Journal();
      int s = stop;
      assertThrows(
          IllegalStateException.class,
          () -> ResumableExtractor.extract(manifest, target, null, new Feed(s), first));
      ExtractionState older = first.states.get(stop - 3);
      removeCreatedAfter(target, first.created, older.files());
      Journal second = new Journal();
      second.first = older.nextChunk();
      ResumableExtractor.extract(manifest, target, older, new Feed(-1), second);
      TestTrees.assertSameTree(source, target);
    }
  }

  @Test
  void leftoverFilesNotRemovedAreRefusedAsExisting() throws IOException {
    // without removing the files created after the state, the extractor refuses to overwrite them
    int stop = manifest.chunks().size() - 2;
    Path target = dir.resolve("strict");
    Journal first = new Journal();
    assertThrows(
        IllegalStateException.class,
        () -> ResumableExtractor.extract(manifest, target, null, new Feed(stop), first));
    ExtractionState older = first.states.get(stop - 3);
    if (first.created.keySet().stream().noneMatch(seq -> seq > older.files() + 1)) {
      return; // nothing created in between for this layout
    }
    ArchiveException e =
        assertThrows(
            ArchiveException.class,
            () -> ResumableExtractor.extract(manifest, target, older, new Feed(-1), new Journal()));
    assertEquals(ArchiveException.Kind.UNSAFE_ENTRY, e.kind());
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
  }

  @Test
  void aStateOfAnotherArchiveIsRefused() {
    ExtractionState bogus =
        new ExtractionState(
            2, 12345, ExtractionState.Phase.HEADER, 0, 0, null, null, 0, 0, 0, 0, 0, 0, 0, null);
    ArchiveException e =
        assertThrows(
            ArchiveException.class,
            () ->
                ResumableExtractor.extract(
                    manifest, dir.resolve("x"), bogus, new Feed(-1), new Journal()));
    assertEquals(ArchiveException.Kind.INVALID_MANIFEST, e.kind());
  }

  @Test
  void theJournalNamesAreReserved() throws IOException {
    byte[] tar =
        TestArchives.tar(t -> TestArchives.file(t, ".chainsnap-restore.json", "{\"evil\":1}"));
    TestArchives.Built built = TestArchives.frame(tar, ArchiveFormat.MIN_CHUNK_SIZE, 10, 1);
    ArchiveException e =
        assertThrows(
            ArchiveException.class,
            () ->
                ResumableExtractor.extract(
                    built.manifest(), dir.resolve("r"), null, feedOf(built), new Journal()));
    assertEquals(ArchiveException.Kind.UNSAFE_ENTRY, e.kind());
    assertTrue(e.getMessage().contains("reserved"), e.getMessage());
    // the plain extractor has no journal and accepts the name
    ArchiveReader.create()
        .extract(
            new java.io.ByteArrayInputStream(built.bytes()), built.manifest(), dir.resolve("p"));
  }

  @Test
  void writtenPathsCoverEveryFileAndDirectory() throws IOException {
    Path target = dir.resolve("w");
    Journal journal = new Journal();
    ResumableExtractor.extract(manifest, target, null, new Feed(-1), journal);
    Set<Path> written = Set.copyOf(journal.written);
    try (Stream<Path> all = Files.walk(target)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        assertTrue(written.contains(p), p + " is reported for syncing");
      }
    }
  }

  static ResumableExtractor.ChunkFeed feedOf(TestArchives.Built built) {
    return new ResumableExtractor.ChunkFeed() {
      @Override
      public ByteBuffer take(int index) {
        ChunkInfo c = built.manifest().chunks().get(index);
        // direct, as the restore engine's buffers are
        byte[] tar =
            ArchiveChunks.decompress(
                c, built.bytes(), (int) c.offset(), (int) c.compressedLength());
        return ByteBuffer.allocateDirect(tar.length).put(0, tar);
      }

      @Override
      public void release(int index, ByteBuffer buffer) {}
    };
  }

  /** Through JSON and back, as the restore engine persists it. */
  static ExtractionState roundTrip(ExtractionState state) throws IOException {
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    ExtractionState back = mapper.readValue(mapper.writeValueAsBytes(state), ExtractionState.class);
    assertEquals(mapper.writeValueAsString(state), mapper.writeValueAsString(back));
    return back;
  }

  static void removeCreatedAfter(Path target, Map<Long, String> created, long files)
      throws IOException {
    for (var e : created.entrySet()) {
      if (e.getKey() > files) {
        Files.deleteIfExists(target.resolve(e.getValue()));
      }
    }
  }
}
