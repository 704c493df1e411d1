package io.chainsnap.archive.restore;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.chainsnap.archive.ArchiveChunks;
import io.chainsnap.archive.ArchiveException;
import io.chainsnap.archive.ArchiveManifest;
import io.chainsnap.archive.ArchiveReader;
import io.chainsnap.archive.ChunkInfo;
import io.chainsnap.archive.ResumableExtractor;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.domain.Sha256;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Downloads {@code snapshot.tar.zst} to a file (resumable, verified chunk by chunk), or verifies a
 * remote archive without keeping it, with the same parallel ranged fetching as {@link Restorer}.
 *
 * <p>A download writes {@code FILE.part} (each chunk at its offset, after its SHA-256 check) and
 * keeps {@code FILE.chainsnap-download.json}, the list of chunks stored and synced (updated at most
 * once a second). Running it again fetches only the missing chunks. At the end the whole file is
 * checked again ({@link ArchiveReader#verify}: every chunk, frame headers, whole-file SHA-256) and
 * renamed to {@code FILE}. The result is a plain file: {@code zstd -d}, {@code tar --zstd}, {@code
 * chainsnap verify} read it.
 */
public final class ArchiveDownloader {

  /** Suffix of the partial file. */
  public static final String PART_SUFFIX = ".part";

  /** Suffix of the download journal. */
  public static final String JOURNAL_SUFFIX = ".chainsnap-download.json";

  private static final long SYNC_NANOS = 1_000_000_000L;

  private final FetchSettings fetch;

  private ArchiveDownloader(Builder b) {
    this.fetch = b.settings();
  }

  /** A builder: 4 connections. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The download journal.
   *
   * @param journalVersion 1
   * @param snapshotId the snapshot
   * @param archiveSha256 its archive's SHA-256
   * @param compressedSize its size
   * @param done chunks stored and synced, as ranges ({@code "0-41,43"})
   * @param updatedAt when written
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Journal(
      int journalVersion,
      String snapshotId,
      String archiveSha256,
      long compressedSize,
      String done,
      Instant updatedAt) {}

  /**
   * Downloads the archive of {@code metadata} to {@code out}.
   *
   * @throws RestoreException {@code DESTINATION} if {@code out} exists and is not this archive, or
   *     a partial file exists without its journal; {@code NO_SPACE}, {@code NOT_FOUND}, {@code
   *     NETWORK}, {@code CORRUPT}, {@code DISK} otherwise
   */
  public RestoreResult download(SnapshotMetadata metadata, RangeSource source, Path out) {
    ArchiveManifest manifest = validate(metadata);
    long started = System.nanoTime();
    int n = manifest.chunks().size();
    if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
      try {
        ArchiveReader.create().verifyChunks(out, manifest);
      } catch (ArchiveException e) {
        throw new RestoreException(
            RestoreException.Reason.DESTINATION,
            out
                + " exists and is not the archive of "
                + metadata.snapshotId()
                + ": "
                + e.getMessage());
      }
      return result(metadata, manifest, out, 0, n, started);
    }
    Path part = sibling(out, PART_SUFFIX);
    Path journalFile = sibling(out, JOURNAL_SUFFIX);
    BitSet done = readJournal(journalFile, part, metadata, manifest);
    int[] missing = IntStream.range(0, n).filter(i -> !done.get(i)).toArray();
    long missingBytes = 0;
    for (int i : missing) {
      missingBytes += manifest.chunks().get(i).compressedLength();
    }
    checkSpace(out, missingBytes);
    try (FileChannel channel =
            FileChannel.open(
                part,
                StandardOpenOption.CREATE,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        Meter meter =
            new Meter(
                manifest.compressedSize(),
                manifest.compressedSize() - missingBytes,
                n,
                n - missing.length,
                fetch.listener(),
                fetch.progressInterval())) {
      if (channel.size() != manifest.compressedSize()) {
        try (RandomAccessFile raf = new RandomAccessFile(part.toFile(), "rw")) {
          raf.setLength(manifest.compressedSize());
        }
      }
      Store store = new Store(channel, journalFile, metadata, manifest, done);
      ChunkQueue failures = new ChunkQueue(0, 2, 0);
      ChunkFetcher fetcher =
          new ChunkFetcher(
              source,
              manifest,
              missing,
              FetchLimits.connectionsFor(fetch.connections(), manifest),
              ChunkFetcher.Gate.OPEN,
              store::put,
              meter,
              fetch.listener(),
              fetch.corruptRetries(),
              failures::fail);
      fetcher.start();
      try {
        fetcher.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fetcher.fail(new RestoreException(RestoreException.Reason.CANCELLED, "interrupted"));
        throw new RestoreException(RestoreException.Reason.CANCELLED, "interrupted", -1, e);
      } finally {
        fetcher.close();
        store.sync(true);
      }
      long fetched = meter.fetchedBytes();
      try {
        ArchiveReader.create().verifyChunks(part, manifest);
      } catch (ArchiveException e) {
        throw RestoreException.of(e);
      }
      channel.force(true);
      Files.move(part, out, StandardCopyOption.ATOMIC_MOVE);
      Files.deleteIfExists(journalFile);
      return result(metadata, manifest, out, fetched, n - missing.length, started);
    } catch (IOException e) {
      throw new RestoreException(
          RestoreException.Reason.DISK, "cannot write " + part + ": " + e, -1, e);
    }
  }

  /**
   * Checks a remote archive without keeping it, as strictly as a restore would: every chunk's
   * SHA-256 as it arrives (before it is decompressed), its frame header and decompressed size, in
   * parallel; the whole-archive SHA-256 in order; and every tar entry by the safety rules of
   * extraction ({@link ResumableExtractor#check}), without writing anything. An archive a restore
   * refuses fails here the same way.
   */
  public RestoreResult verify(SnapshotMetadata metadata, RangeSource source) {
    ArchiveManifest manifest = validate(metadata);
    long started = System.nanoTime();
    int n = manifest.chunks().size();
    try {
      long size = source.size();
      if (size >= 0 && size != manifest.compressedSize()) {
        throw new RestoreException(
            RestoreException.Reason.CORRUPT,
            source.describe()
                + " is "
                + size
                + " bytes long, snapshot.json says "
                + manifest.compressedSize());
      }
    } catch (IOException e) {
      throw RestoreException.ofSource(e, source.describe(), -1);
    }
    MessageDigest whole = Sha256.newDigest();
    int parallel = FetchLimits.connectionsFor(fetch.connections(), manifest);
    ChunkQueue queue = new ChunkQueue(0, parallel + 1, FetchLimits.largestChunk(manifest));
    long fetched;
    try (Meter meter =
        new Meter(manifest.compressedSize(), 0, n, 0, fetch.listener(), fetch.progressInterval())) {
      ChunkFetcher fetcher =
          new ChunkFetcher(
              source,
              manifest,
              IntStream.range(0, n).toArray(),
              parallel,
              queue::admit,
              (chunk, frame) -> {
                int length = (int) chunk.compressedLength();
                ByteBuffer out = queue.acquire();
                ArchiveChunks.decompressVerified(chunk, frame, 0, length, out);
                queue.awaitHashTurn(chunk.index());
                whole.update(frame, 0, length);
                queue.hashed(chunk.index());
                queue.put(chunk.index(), out);
              },
              meter,
              fetch.listener(),
              fetch.corruptRetries(),
              queue::fail);
      fetcher.start();
      try {
        ResumableExtractor.check(manifest, queue);
      } catch (ArchiveException e) {
        throw RestoreException.of(e);
      } finally {
        fetcher.close();
      }
      fetched = meter.fetchedBytes();
    }
    String actual = Sha256.toHex(whole);
    if (!actual.equals(manifest.sha256())) {
      throw new RestoreException(
          RestoreException.Reason.CORRUPT,
          "whole-archive SHA-256 mismatch: snapshot.json says "
              + manifest.sha256()
              + " but the chunks hash to "
              + actual);
    }
    return result(metadata, manifest, null, fetched, 0, started);
  }

  /** Stores verified chunks in the partial file and keeps the journal. */
  private static final class Store {
    private final FileChannel channel;
    private final Path journalFile;
    private final SnapshotMetadata metadata;
    private final BitSet done;
    private final BitSet written = new BitSet();
    private long lastSync = System.nanoTime();

    Store(
        FileChannel channel,
        Path journalFile,
        SnapshotMetadata metadata,
        ArchiveManifest manifest,
        BitSet done) {
      this.channel = channel;
      this.journalFile = journalFile;
      this.metadata = metadata;
      this.done = done;
    }

    void put(ChunkInfo chunk, byte[] frame) throws IOException {
      ByteBuffer b = ByteBuffer.wrap(frame, 0, (int) chunk.compressedLength());
      long pos = chunk.offset();
      while (b.hasRemaining()) {
        pos += channel.write(b, pos);
      }
      synchronized (this) {
        written.set(chunk.index());
      }
      sync(false);
    }

    /**
     * Syncs the file and records the chunks written since the last sync (at most once a second).
     */
    synchronized void sync(boolean now) throws IOException {
      if (!now && System.nanoTime() - lastSync < SYNC_NANOS) {
        return;
      }
      lastSync = System.nanoTime();
      if (written.isEmpty()) {
        return;
      }
      channel.force(false);
      done.or(written);
      written.clear();
      writeJournal(
          journalFile,
          new Journal(
              1,
              metadata.snapshotId(),
              metadata.archive().sha256(),
              metadata.archive().compressedSize(),
              ranges(done),
              Instant.now()));
    }
  }

  private static BitSet readJournal(
      Path journalFile, Path part, SnapshotMetadata metadata, ArchiveManifest manifest) {
    BitSet done = new BitSet();
    Journal journal;
    try {
      journal = RestoreJournal.MAPPER.readValue(Files.readAllBytes(journalFile), Journal.class);
    } catch (NoSuchFileException e) {
      if (Files.exists(part, LinkOption.NOFOLLOW_LINKS)) {
        throw new RestoreException(
            RestoreException.Reason.DESTINATION,
            part + " exists without its journal " + journalFile + "; delete it to start over");
      }
      return done;
    } catch (IOException e) {
      throw new RestoreException(
          RestoreException.Reason.DESTINATION,
          journalFile + " is not a readable download journal; delete it and " + part);
    }
    if (!metadata.snapshotId().equals(journal.snapshotId())
        || !manifest.sha256().equals(journal.archiveSha256())
        || manifest.compressedSize() != journal.compressedSize()) {
      throw new RestoreException(
          RestoreException.Reason.DESTINATION,
          part
              + " is a partial download of snapshot "
              + journal.snapshotId()
              + ", not "
              + metadata.snapshotId()
              + "; delete it and "
              + journalFile);
    }
    if (!Files.exists(part, LinkOption.NOFOLLOW_LINKS)) {
      return done;
    }
    for (String range : journal.done() == null ? new String[0] : journal.done().split(",")) {
      if (range.isBlank()) {
        continue;
      }
      String[] ab = range.split("-");
      int a = Integer.parseInt(ab[0].trim());
      int b = ab.length > 1 ? Integer.parseInt(ab[1].trim()) : a;
      if (a < 0 || b >= manifest.chunks().size() || a > b) {
        throw new RestoreException(
            RestoreException.Reason.DESTINATION, journalFile + " lists chunks out of range");
      }
      done.set(a, b + 1);
    }
    return done;
  }

  private static void writeJournal(Path file, Journal journal) throws IOException {
    Path temp = sibling(file, ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(RestoreJournal.MAPPER.writeValueAsBytes(journal));
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static String ranges(BitSet set) {
    StringBuilder sb = new StringBuilder();
    int i = set.nextSetBit(0);
    while (i >= 0) {
      int end = set.nextClearBit(i) - 1;
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(i);
      if (end > i) {
        sb.append('-').append(end);
      }
      i = set.nextSetBit(end + 1);
    }
    return sb.toString();
  }

  private static void checkSpace(Path out, long needed) {
    Path dir = out.toAbsolutePath().getParent();
    try {
      long usable = Files.getFileStore(dir).getUsableSpace();
      if (usable < needed) {
        throw new RestoreException(
            RestoreException.Reason.NO_SPACE,
            "not enough disk space in "
                + dir
                + ": "
                + Units.bytes(usable)
                + " free, the download needs "
                + Units.bytes(needed)
                + " more");
      }
    } catch (IOException e) {
      throw new RestoreException(
          RestoreException.Reason.DISK, "cannot measure free space in " + dir + ": " + e, -1, e);
    }
  }

  private static Path sibling(Path file, String suffix) {
    return file.resolveSibling(file.getFileName() + suffix);
  }

  private static ArchiveManifest validate(SnapshotMetadata metadata) {
    Objects.requireNonNull(metadata, "metadata");
    if (metadata.archive() == null) {
      throw new RestoreException(RestoreException.Reason.CORRUPT, "snapshot.json has no archive");
    }
    try {
      return metadata.archive().validate();
    } catch (ArchiveException e) {
      throw RestoreException.of(e);
    }
  }

  private static RestoreResult result(
      SnapshotMetadata metadata,
      ArchiveManifest manifest,
      Path target,
      long fetched,
      int resumed,
      long started) {
    return new RestoreResult(
        metadata.snapshotId(),
        target,
        manifest.sha256(),
        manifest.compressedSize(),
        fetched,
        manifest.chunks().size(),
        resumed,
        manifest.fileCount(),
        manifest.contentSize(),
        Duration.ofNanos(System.nanoTime() - started));
  }

  /** Builder of {@link ArchiveDownloader}. */
  public static final class Builder extends FetchBuilder<Builder> {

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** Builds the downloader. */
    public ArchiveDownloader build() {
      return new ArchiveDownloader(this);
    }
  }
}
