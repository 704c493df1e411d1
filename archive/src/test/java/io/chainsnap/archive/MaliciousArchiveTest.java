package io.chainsnap.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.archive.restore.ArchiveDownloader;
import io.chainsnap.archive.restore.FileRangeSource;
import io.chainsnap.archive.restore.RangeSource;
import io.chainsnap.archive.restore.RestoreException;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.QuiesceStrategy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malicious and corrupt archives. Each is built by hand (commons-compress tar, format v1 framing, a
 * manifest whose hashes match) and must be rejected with a clear message naming the entry or chunk,
 * without writing anything outside the target directory. Verification without extracting ({@link
 * ArchiveReader#verify} on a stream, {@link ArchiveDownloader#verify} by ranged reads) must refuse
 * each the same way, with the same message, unless the refusal depends on what the target already
 * holds.
 */
class MaliciousArchiveTest {

  static final int CHUNK = ArchiveFormat.MIN_CHUNK_SIZE;

  @TempDir Path sandbox;
  Path target;
  Path outside;
  Map<String, String> outsideBefore;

  @BeforeEach
  void setUp() throws IOException {
    target = Files.createDirectories(sandbox.resolve("target"));
    outside = Files.createDirectories(sandbox.resolve("outside"));
    Files.writeString(outside.resolve("marker"), "untouched");
    outsideBefore = snapshotOutsideTarget();
  }

  private void resetTarget() throws IOException {
    try (Stream<Path> s = Files.walk(target)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    Files.createDirectories(target);
  }

  /** Everything under the sandbox except the target: must never change. */
  private Map<String, String> snapshotOutsideTarget() throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(sandbox)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (p.startsWith(target) && !p.equals(target)) {
          continue;
        }
        String state =
            Files.isSymbolicLink(p)
                ? "link"
                : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir" : Files.readString(p);
        m.put(sandbox.relativize(p).toString(), state);
      }
    }
    return m;
  }

  private ArchiveException rejected(TestArchives.Built built, ArchiveException.Kind kind)
      throws IOException {
    ArchiveException e = rejectedByExtraction(built, kind);
    ArchiveException v =
        assertThrows(
            ArchiveException.class,
            () ->
                ArchiveReader.create()
                    .verify(new ByteArrayInputStream(built.bytes()), built.manifest()),
            "verify must refuse what extraction refuses: " + e.getMessage());
    assertEquals(kind, v.kind(), v.getMessage());
    assertEquals(e.getMessage(), v.getMessage(), "verify fails the same way");
    assertEquals(e.chunkIndex(), v.chunkIndex());
    return e;
  }

  /** Extraction, a verification by stream and one by ranged reads all refuse it alike. */
  private ArchiveException unsafeEverywhere(TestArchives.Built built, String entry, String why)
      throws IOException {
    ArchiveException e = unsafe(built, entry, why);
    Path file = Files.write(sandbox.resolve("remote.tar.zst"), built.bytes());
    SnapshotMetadata metadata =
        new SnapshotMetadata(
            1,
            "evil-1",
            "litecoin",
            "regtest",
            Mode.FULL,
            "x",
            1,
            "00",
            Instant.now(),
            QuiesceStrategy.STOP,
            0,
            built.manifest());
    for (int connections : new int[] {1, 3}) {
      try (RangeSource src = FileRangeSource.open(file)) {
        RestoreException r =
            assertThrows(
                RestoreException.class,
                () ->
                    ArchiveDownloader.builder()
                        .connections(connections)
                        .build()
                        .verify(metadata, src));
        assertEquals(RestoreException.Reason.UNSAFE, r.reason(), r.getMessage());
        assertEquals(e.getMessage(), r.getMessage(), "remote verify fails the same way");
      }
    }
    Files.delete(file);
    return e;
  }

  private ArchiveException rejectedByExtraction(
      TestArchives.Built built, ArchiveException.Kind kind) throws IOException {
    ArchiveException e =
        assertThrows(
            ArchiveException.class,
            () ->
                ArchiveReader.create()
                    .extract(new ByteArrayInputStream(built.bytes()), built.manifest(), target));
    assertEquals(kind, e.kind(), e.getMessage());
    assertEquals(outsideBefore, snapshotOutsideTarget(), "nothing written outside the target");
    assertFalse(Files.exists(sandbox.resolve("evil"), LinkOption.NOFOLLOW_LINKS));
    assertFalse(Files.exists(outside.resolve("evil"), LinkOption.NOFOLLOW_LINKS));
    try {
      ArchiveWriterSourceTest.assertNoArchiveThreads();
    } catch (InterruptedException ie) {
      throw new AssertionError(ie);
    }
    return e;
  }

  /** Refused because of what the target holds: a verification cannot know it. */
  private ArchiveException unsafeInTarget(TestArchives.Built built, String entry, String why)
      throws IOException {
    ArchiveException e = rejectedByExtraction(built, ArchiveException.Kind.UNSAFE_ENTRY);
    assertTrue(e.getMessage().contains("entry '" + entry + "'"), e.getMessage());
    assertTrue(e.getMessage().contains(why), e.getMessage());
    return e;
  }

  private ArchiveException unsafe(TestArchives.Built built, String entry, String why)
      throws IOException {
    ArchiveException e = rejected(built, ArchiveException.Kind.UNSAFE_ENTRY);
    assertTrue(e.getMessage().contains("entry '" + entry + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("(chunk "), e.getMessage());
    assertTrue(e.getMessage().contains(why), e.getMessage());
    assertEquals(entry, e.entry());
    assertTrue(e.chunkIndex() >= 0);
    return e;
  }

  private static TestArchives.Built frame(byte[] tar, long content, long files) {
    return TestArchives.frame(tar, CHUNK, content, files);
  }

  @Test
  void pathTraversalIsRejected() throws IOException {
    byte[] tar = TestArchives.tar(t -> TestArchives.file(t, "../evil", "pwned"));
    unsafeEverywhere(frame(tar, 5, 1), "../evil", "'..' component");
  }

  @Test
  void nestedPathTraversalIsRejectedAfterHarmlessEntries() throws IOException {
    byte[] filler = TestTrees.randomBytes(new Random(3), 3 * CHUNK);
    byte[] tar =
        TestArchives.tar(
            t -> {
              TestArchives.dir(t, "a");
              TestArchives.file(t, "a/ok.dat", filler);
              TestArchives.file(t, "a/../../evil", "pwned");
            });
    ArchiveException e = unsafe(frame(tar, filler.length + 5, 2), "a/../../evil", "'..'");
    assertEquals(3, e.chunkIndex(), e.getMessage()); // the header sits after 3 chunks of data
  }

  @Test
  void traversalInAPaxPathIsRejected() throws IOException {
    String name = "../" + "x".repeat(120) + "/evil";
    byte[] tar = TestArchives.tar(t -> TestArchives.file(t, name, "pwned"));
    unsafeEverywhere(frame(tar, 5, 1), name, "'..'");
  }

  @Test
  void absolutePathIsRejected() throws IOException {
    String abs = outside.resolve("evil").toString();
    byte[] tar =
        TestArchives.tar(
            t -> {
              TarArchiveEntry e = new TarArchiveEntry(abs, true);
              e.setSize(5);
              t.putArchiveEntry(e);
              t.write("pwned".getBytes(StandardCharsets.US_ASCII));
              t.closeArchiveEntry();
            });
    unsafeEverywhere(frame(tar, 5, 1), abs, "absolute path");
  }

  @Test
  void symlinkInsideTheTargetIsRejected() throws IOException {
    byte[] tar =
        TestArchives.tar(
            t -> {
              TestArchives.file(t, "real", "data");
              TarArchiveEntry link = new TarArchiveEntry("alias", TarConstants.LF_SYMLINK);
              link.setLinkName("real");
              TestArchives.entry(t, link);
            });
    unsafe(frame(tar, 4, 1), "alias", "symbolic link to 'real'");
    assertFalse(Files.exists(target.resolve("alias"), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void symlinkPointingOutsideThenWriteThroughItIsRejected() throws IOException {
    byte[] tar =
        TestArchives.tar(
            t -> {
              TarArchiveEntry link = new TarArchiveEntry("escape", TarConstants.LF_SYMLINK);
              link.setLinkName("../outside");
              TestArchives.entry(t, link);
              TestArchives.file(t, "escape/evil", "pwned");
            });
    unsafeEverywhere(frame(tar, 5, 1), "escape", "symbolic link to '../outside'");
  }

  @Test
  void hardlinkEntriesAreRejected() throws IOException {
    byte[] outsideLink =
        TestArchives.tar(
            t -> {
              TarArchiveEntry link = new TarArchiveEntry("h", TarConstants.LF_LINK);
              link.setLinkName("../outside/marker");
              TestArchives.entry(t, link);
            });
    unsafeEverywhere(frame(outsideLink, 0, 0), "h", "hard link to '../outside/marker'");

    byte[] insideLink =
        TestArchives.tar(
            t -> {
              TestArchives.file(t, "a", "data");
              TarArchiveEntry link = new TarArchiveEntry("b", TarConstants.LF_LINK);
              link.setLinkName("a");
              TestArchives.entry(t, link);
            });
    unsafe(frame(insideLink, 4, 1), "b", "hard link to 'a'");
  }

  @Test
  void devicesAndFifosAreRejected() throws IOException {
    for (byte type : new byte[] {TarConstants.LF_CHR, TarConstants.LF_BLK, TarConstants.LF_FIFO}) {
      byte[] tar =
          TestArchives.tar(
              t -> {
                TarArchiveEntry dev = new TarArchiveEntry("node", type);
                dev.setDevMajor(1);
                dev.setDevMinor(3);
                TestArchives.entry(t, dev);
              });
      String why = type == TarConstants.LF_FIFO ? "FIFO" : "device";
      unsafeEverywhere(frame(tar, 0, 0), "node", why);
      assertFalse(Files.exists(target.resolve("node"), LinkOption.NOFOLLOW_LINKS));
    }
  }

  @Test
  void gnuLongNamesAreRejected() throws IOException {
    byte[] tar =
        TestArchives.tar(
            t -> {
              t.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
              TestArchives.file(t, "y".repeat(150), "data");
            });
    ArchiveException e = rejected(frame(tar, 4, 1), ArchiveException.Kind.UNSAFE_ENTRY);
    assertTrue(e.getMessage().contains("GNU long name"), e.getMessage());
  }

  @Test
  void frameLargerThanTheManifestSaysIsRejectedBeforeDecompressing() throws IOException {
    byte[] tar = TestArchives.tar(t -> TestArchives.file(t, "zeros", new byte[1 << 20]));
    // the frame expands to ~1 MiB; the manifest claims 1 KiB
    TestArchives.Built bomb = TestArchives.singleChunk(TestArchives.zstdFrame(tar), 1024, 0, 0);
    ArchiveException e = rejected(bomb, ArchiveException.Kind.CORRUPT);
    assertEquals(0, e.chunkIndex());
    assertTrue(e.getMessage().contains("decompression bomb"), e.getMessage());
    assertFalse(Files.exists(target.resolve("zeros")));
  }

  @Test
  void frameWithoutContentSizeIsRejected() throws IOException {
    byte[] tar = TestArchives.tar(t -> TestArchives.file(t, "zeros", new byte[1 << 20]));
    TestArchives.Built unbounded =
        TestArchives.singleChunk(TestArchives.streamedFrame(tar), tar.length, 1 << 20, 1);
    ArchiveException e = rejected(unbounded, ArchiveException.Kind.CORRUPT);
    assertTrue(e.getMessage().contains("chunk 0"), e.getMessage());
    assertTrue(e.getMessage().contains("does not declare its content size"), e.getMessage());
  }

  @Test
  void secondFrameHiddenInAChunkIsRejected() throws IOException {
    byte[] tar = TestArchives.tar(t -> TestArchives.file(t, "a", "data"));
    byte[] first = TestArchives.zstdFrame(tar);
    byte[] second = TestArchives.zstdFrame(new byte[1 << 20]);
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    TestArchives.Built built = TestArchives.singleChunk(both, tar.length, 4, 1);
    ArchiveException e = rejected(built, ArchiveException.Kind.CORRUPT);
    assertTrue(e.getMessage().contains("not exactly one zstd frame"), e.getMessage());
  }

  @Test
  void contentBeyondTheManifestsContentSizeIsRejected() throws IOException {
    byte[] big = new byte[200_000];
    byte[] tar =
        TestArchives.tar(
            t -> {
              TestArchives.file(t, "small", "12345");
              TestArchives.file(t, "huge", big);
            });
    unsafeEverywhere(frame(tar, 1000, 2), "huge", "beyond the manifest's contentSize 1000");
    assertFalse(Files.exists(target.resolve("huge")), "refused before writing any byte");
  }

  @Test
  void moreFilesThanTheManifestsFileCountIsRejected() throws IOException {
    byte[] tar =
        TestArchives.tar(
            t -> {
              TestArchives.file(t, "one", "1");
              TestArchives.file(t, "two", "2");
              TestArchives.file(t, "three", "3");
            });
    unsafeEverywhere(frame(tar, 3, 2), "three", "more files than the manifest's fileCount 2");
  }

  @Test
  void truncatedChunkIsRejected() throws IOException {
    byte[] filler = TestTrees.randomBytes(new Random(5), 5 * CHUNK);
    byte[] tar = TestArchives.tar(t -> TestArchives.file(t, "data", filler));
    TestArchives.Built good = frame(tar, filler.length, 1);
    ChunkInfo last = good.manifest().chunks().get(good.manifest().chunks().size() - 1);
    byte[] cut = Arrays.copyOf(good.bytes(), (int) (last.offset() + last.compressedLength() / 2));
    ArchiveException e = rejected(good.withBytes(cut), ArchiveException.Kind.CORRUPT);
    assertTrue(e.getMessage().contains("archive truncated: chunk " + last.index()), e.getMessage());

    // cut exactly at a chunk boundary
    resetTarget();
    ChunkInfo third = good.manifest().chunks().get(2);
    byte[] atBoundary = Arrays.copyOf(good.bytes(), (int) third.offset());
    ArchiveException e2 = rejected(good.withBytes(atBoundary), ArchiveException.Kind.CORRUPT);
    assertTrue(e2.getMessage().contains("chunk 2"), e2.getMessage());
  }

  @Test
  void flippedByteIsCaughtByTheChunkHashBeforeDecompression() throws IOException {
    byte[] filler = TestTrees.text(new Random(6), 6 * CHUNK);
    byte[] tar = TestArchives.tar(t -> TestArchives.file(t, "data", filler));
    TestArchives.Built good = frame(tar, filler.length, 1);
    ChunkInfo chunk = good.manifest().chunks().get(3);
    byte[] flipped = good.bytes().clone();
    flipped[(int) (chunk.offset() + chunk.compressedLength() / 2)] ^= 0x01;
    ArchiveException e = rejected(good.withBytes(flipped), ArchiveException.Kind.CORRUPT);
    assertEquals(3, e.chunkIndex());
    assertTrue(e.getMessage().contains("chunk 3"), e.getMessage());
    assertTrue(e.getMessage().contains("SHA-256 mismatch"), e.getMessage());
    assertTrue(e.getMessage().contains("not decompressed"), e.getMessage());

    ArchiveException v =
        assertThrows(
            ArchiveException.class,
            () ->
                ArchiveReader.create().verify(new ByteArrayInputStream(flipped), good.manifest()));
    assertEquals(3, v.chunkIndex());
  }

  @Test
  void unknownFormatVersionIsRejectedBeforeReadingTheArchive() throws IOException {
    byte[] tar = TestArchives.tar(t -> TestArchives.file(t, "a", "data"));
    TestArchives.Built good = frame(tar, 4, 1);
    ArchiveManifest m = good.manifest();
    ArchiveManifest v2 =
        new ArchiveManifest(
            2,
            m.chunkSize(),
            m.tarSize(),
            m.contentSize(),
            m.fileCount(),
            m.compressedSize(),
            m.sha256(),
            m.compression(),
            m.level(),
            m.chunks());
    InputStream untouchable =
        new InputStream() {
          @Override
          public int read() {
            throw new AssertionError("the archive must not be read");
          }
        };
    ArchiveException e =
        assertThrows(
            ArchiveException.class, () -> ArchiveReader.create().extract(untouchable, v2, target));
    assertEquals(ArchiveException.Kind.UNSUPPORTED_FORMAT, e.kind());
    assertTrue(e.getMessage().contains("formatVersion 2"), e.getMessage());
    try (Stream<Path> s = Files.list(target)) {
      assertEquals(0, s.count());
    }
  }

  @Test
  void trailingGarbageIsRejected() throws IOException {
    byte[] tar = TestArchives.tar(t -> TestArchives.file(t, "a", "data"));
    TestArchives.Built good = frame(tar, 4, 1);
    byte[] longer = Arrays.copyOf(good.bytes(), good.bytes().length + 7);
    ArchiveException e = rejected(good.withBytes(longer), ArchiveException.Kind.CORRUPT);
    assertTrue(e.getMessage().contains("trailing bytes"), e.getMessage());
    ArchiveException v =
        assertThrows(
            ArchiveException.class,
            () -> ArchiveReader.create().verify(new ByteArrayInputStream(longer), good.manifest()));
    assertTrue(v.getMessage().contains("trailing bytes"), v.getMessage());
  }

  @Test
  void dataAfterTheEndOfArchiveMarkerIsRejected() throws IOException {
    byte[] tar = TestArchives.tar(t -> TestArchives.file(t, "a", "data"));
    // commons-compress pads to 10240 bytes with zeros; put a byte in the padding
    tar[tar.length - 100] = 'X';
    ArchiveException e = rejected(frame(tar, 4, 1), ArchiveException.Kind.CORRUPT);
    assertTrue(e.getMessage().contains("after the end-of-archive marker"), e.getMessage());
  }

  @Test
  void existingSymlinkInTheTargetIsNeverFollowed() throws IOException {
    Files.createSymbolicLink(target.resolve("link"), Path.of("../outside"));
    outsideBefore = snapshotOutsideTarget();
    byte[] throughDir =
        TestArchives.tar(
            t -> {
              TestArchives.dir(t, "link");
              TestArchives.file(t, "link/evil", "pwned");
            });
    ArchiveException e =
        unsafeInTarget(frame(throughDir, 5, 1), "link/", "symbolic link (never followed)");
    assertTrue(e.getMessage().contains("not a directory"), e.getMessage());

    byte[] implicitParent = TestArchives.tar(t -> TestArchives.file(t, "link/evil", "pwned"));
    unsafeInTarget(frame(implicitParent, 5, 1), "link/evil", "symbolic link (never followed)");

    byte[] overFile = TestArchives.tar(t -> TestArchives.file(t, "link", "pwned"));
    unsafeInTarget(frame(overFile, 5, 1), "link", "already exists");
    // the archive itself is fine: only this target refuses it
    ArchiveReader.create()
        .verify(
            new ByteArrayInputStream(frame(overFile, 5, 1).bytes()),
            frame(overFile, 5, 1).manifest());
    assertEquals("untouched", Files.readString(outside.resolve("marker")));
  }

  @Test
  void duplicateEntryIsRejectedInsteadOfOverwriting() throws IOException {
    byte[] tar =
        TestArchives.tar(
            t -> {
              TestArchives.file(t, "a", "first");
              TestArchives.file(t, "a", "second");
            });
    unsafeEverywhere(frame(tar, 11, 2), "a", "already exists");
    assertEquals("first", Files.readString(target.resolve("a")));
  }

  @Test
  void tamperedManifestIsRejected() throws IOException {
    byte[] tar = TestArchives.tar(t -> TestArchives.file(t, "a", new byte[3 * CHUNK]));
    TestArchives.Built good = frame(tar, 3 * CHUNK, 1);
    ArchiveManifest m = good.manifest();
    List<ChunkInfo> shifted =
        m.chunks().stream()
            .map(
                c ->
                    c.index() == 1
                        ? new ChunkInfo(
                            1,
                            c.offset() + 1,
                            c.compressedLength(),
                            c.uncompressedLength(),
                            c.sha256())
                        : c)
            .toList();
    ArchiveManifest bad =
        new ArchiveManifest(
            1,
            m.chunkSize(),
            m.tarSize(),
            m.contentSize(),
            m.fileCount(),
            m.compressedSize(),
            m.sha256(),
            "zstd",
            3,
            shifted);
    ArchiveException e = rejected(good.withManifest(bad), ArchiveException.Kind.INVALID_MANIFEST);
    assertTrue(e.getMessage().contains("chunk 1 starts at offset"), e.getMessage());
  }

  @Test
  void manifestDeclaringMoreThanTheArchiveHoldsIsRejected() throws IOException {
    byte[] tar = TestArchives.tar(t -> TestArchives.file(t, "a", "data"));
    ArchiveException e = rejected(frame(tar, 4, 2), ArchiveException.Kind.CORRUPT);
    assertTrue(e.getMessage().contains("manifest declares 2 files"), e.getMessage());
  }

  @Test
  void corruptTarHeaderIsRejected() throws IOException {
    byte[] tar = TestArchives.tar(t -> TestArchives.file(t, "a", "data"));
    tar[10] = 'Z'; // inside the name: the header checksum no longer matches
    ArchiveException e = rejected(frame(tar, 4, 1), ArchiveException.Kind.CORRUPT);
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
  }

  @Test
  void aDirectoryOverAFileIsRejectedByExtractionAndVerification() throws IOException {
    byte[] fileThenDir =
        TestArchives.tar(
            t -> {
              TestArchives.file(t, "a", "data");
              TestArchives.file(t, "a/b", "more");
            });
    unsafeEverywhere(
        frame(fileThenDir, 8, 2), "a/b", "'a' already exists in the target and is not a directory");
    resetTarget();
    byte[] dirThenFile =
        TestArchives.tar(
            t -> {
              TestArchives.dir(t, "d");
              TestArchives.file(t, "d", "data");
            });
    unsafeEverywhere(frame(dirThenFile, 4, 1), "d", "already exists");
  }

  @Test
  void namesReservedForTheRestoreJournalAreRejectedByVerification() throws IOException {
    byte[] tar = TestArchives.tar(t -> TestArchives.file(t, ".chainsnap-restore.json", "{}"));
    TestArchives.Built built = frame(tar, 2, 1);
    // plain extraction (into scratch space, no journal) accepts it; a restore and verify do not
    ArchiveException v =
        assertThrows(
            ArchiveException.class,
            () ->
                ArchiveReader.create()
                    .verify(new ByteArrayInputStream(built.bytes()), built.manifest()));
    assertEquals(ArchiveException.Kind.UNSAFE_ENTRY, v.kind());
    assertTrue(v.getMessage().contains("reserved for the restore journal"), v.getMessage());
  }

  @Test
  void anOverLongNameIsUnsafeNotAnIoError() throws IOException {
    String component = "n".repeat(300);
    byte[] tar = TestArchives.tar(t -> TestArchives.file(t, component, "data"));
    ArchiveException e =
        unsafeEverywhere(frame(tar, 4, 1), component, "path component of 300 bytes");
    assertTrue(e.getMessage().contains("limited to 255 bytes"), e.getMessage());
    resetTarget();
    String path = ("d".repeat(200) + "/").repeat(21) + "f";
    byte[] deep = TestArchives.tar(t -> TestArchives.file(t, path, "data"));
    unsafeEverywhere(frame(deep, 4, 1), path, "limited to 4095 bytes");
  }

  @Test
  void aNameThatIsNotUtf8IsNamedWithEscapes() throws IOException {
    byte[] tar = TestArchives.tar(t -> TestArchives.file(t, "abc-d", "data"));
    // replace the name "abc-d" in the ustar header with invalid UTF-8, fix the checksum
    int header = 0;
    while (!new String(tar, header, 6, StandardCharsets.US_ASCII).equals("abc-d\0")) {
      header += 512; // past the pax header commons-compress writes first
    }
    tar[header + 3] = (byte) 0xff;
    fixChecksum(tar, header);
    ArchiveException e = rejected(frame(tar, 4, 1), ArchiveException.Kind.CORRUPT);
    assertTrue(e.getMessage().contains("entry 'abc\\xffd' "), e.getMessage());
    assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
    assertEquals("abc\\xffd", e.entry());
  }

  @Test
  void aPaxHeaderErrorNamesTheRealPathNotPaxHeader() throws IOException {
    String name = "blocks/" + "x".repeat(120) + "/blk.dat";
    byte[] tar =
        TestArchives.tar(
            t -> {
              TarArchiveEntry e = new TarArchiveEntry(name);
              e.setSize(4);
              e.addPaxHeader("GNU.sparse.major", "1");
              t.putArchiveEntry(e);
              t.write("data".getBytes(StandardCharsets.US_ASCII));
              t.closeArchiveEntry();
            });
    ArchiveException e = unsafeEverywhere(frame(tar, 4, 1), name, "GNU sparse file");
    assertFalse(e.getMessage().contains("PaxHeader"), e.getMessage());
  }

  @Test
  void aGnuLongNameErrorNamesTheRealPath() throws IOException {
    String name = "y".repeat(150);
    byte[] tar =
        TestArchives.tar(
            t -> {
              t.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
              TestArchives.file(t, name, "data");
            });
    ArchiveException e = unsafeEverywhere(frame(tar, 4, 1), name, "GNU long name header");
    assertFalse(e.getMessage().contains("@LongLink"), e.getMessage());
  }

  @Test
  void chunkSizesAboveTheReadersMaximumAreRefusedBeforeReading() throws IOException {
    byte[] tar = TestArchives.tar(t -> TestArchives.file(t, "a", "data"));
    TestArchives.Built good = frame(tar, 4, 1);
    ArchiveManifest m = good.manifest();
    ArchiveManifest huge =
        new ArchiveManifest(
            1,
            ArchiveFormat.MAX_CHUNK_SIZE + 512,
            m.tarSize(),
            m.contentSize(),
            m.fileCount(),
            m.compressedSize(),
            m.sha256(),
            "zstd",
            3,
            m.chunks());
    ArchiveException e = rejected(good.withManifest(huge), ArchiveException.Kind.INVALID_MANIFEST);
    assertTrue(
        e.getMessage().contains("chunkSize " + (ArchiveFormat.MAX_CHUNK_SIZE + 512)),
        e.getMessage());
    assertEquals(256 << 20, ArchiveFormat.MAX_CHUNK_SIZE, "the documented maximum");
    IllegalArgumentException w =
        assertThrows(
            IllegalArgumentException.class,
            () -> ArchiveWriter.builder().chunkSize(ArchiveFormat.MAX_CHUNK_SIZE + 1));
    assertTrue(
        w.getMessage().contains(String.valueOf(ArchiveFormat.MAX_CHUNK_SIZE)), w.getMessage());
  }

  /** Recomputes the ustar checksum of the header at {@code offset}. */
  static void fixChecksum(byte[] tar, int offset) {
    for (int i = 148; i < 156; i++) {
      tar[offset + i] = ' ';
    }
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += tar[offset + i] & 0xff;
    }
    byte[] field = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(field, 0, tar, offset + 148, 8);
  }

  @Test
  void extractionOfAGoodArchiveStillWorksInTheSameSandbox() throws IOException {
    ByteArrayOutputStream unused = new ByteArrayOutputStream();
    byte[] tar =
        TestArchives.tar(
            t -> {
              TestArchives.dir(t, "d");
              TestArchives.file(t, "d/f", "ok");
            });
    TestArchives.Built good = frame(tar, 2, 1);
    ArchiveReader.create().extract(new ByteArrayInputStream(good.bytes()), good.manifest(), target);
    assertEquals("ok", Files.readString(target.resolve("d/f")));
    assertEquals(0, unused.size());
  }
}
