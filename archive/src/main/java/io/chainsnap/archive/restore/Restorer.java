package io.chainsnap.archive.restore;

import io.chainsnap.archive.ArchiveChunks;
import io.chainsnap.archive.ArchiveException;
import io.chainsnap.archive.ArchiveManifest;
import io.chainsnap.archive.ChunkInfo;
import io.chainsnap.archive.ExtractionState;
import io.chainsnap.archive.ResumableExtractor;
import io.chainsnap.archive.SnapshotMetadata;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;

/**
 * Restores a snapshot into a directory straight from its source: parallel ranged download by chunk,
 * each chunk's SHA-256 checked before it is decompressed, chunks applied in order to a streaming
 * extraction into the destination (no copy of the archive on disk), and the whole-archive SHA-256
 * checked at the end.
 *
 * <pre>{@code
 * RestoreResult r = Restorer.builder().connections(4).listener(progress).build()
 *     .restore(metadata, HttpRangeSource.of(archiveUrl), dataDir);
 * }</pre>
 *
 * <p><b>Threads and memory.</b> {@code connections} threads each fetch a chunk, verify it and
 * decompress it (so decompression runs in parallel too); the calling thread writes files. At most
 * {@code connections + 1} decompressed chunks exist at once, plus one compressed frame per
 * connection: about {@code (2 x connections + 1) x chunkSize} bytes, whatever the snapshot size.
 * Chunks larger than the default 64 MiB use fewer connections, so that memory stays within about
 * {@code connections x 128 MiB} plus one chunk whatever the manifest declares (at least one
 * connection: three chunks of at most {@link io.chainsnap.archive.ArchiveFormat#MAX_CHUNK_SIZE}).
 *
 * <p><b>Resume.</b> With {@link Builder#resumable(boolean) resumable} on (the default), the
 * destination holds a journal ({@value RestoreJournal#JOURNAL}) updated after each chunk is
 * applied, and synced to disk every {@link Builder#syncInterval(Duration) syncInterval}; running
 * the same restore again continues after the last chunk applied (after a reboot: the last one
 * synced) and never fetches a chunk before it. A failed or interrupted restore leaves that file,
 * with the reason, as a marker: the directory is not a usable data dir until the restore succeeds,
 * which syncs everything and removes it. A destination that is not empty and holds no marker of
 * this snapshot is refused. Without resume (the verifier, which restores into fresh scratch space),
 * nothing is synced and a failed restore leaves a marker that cannot be continued.
 *
 * <p><b>Safety.</b> Extraction is {@link ResumableExtractor}, i.e. the archive module's extractor
 * with every rule of {@code docs/archive-format.md} section 5.2.
 *
 * <p>Instances are thread-safe for {@link #cancel}; run one restore at a time per instance.
 */
public final class Restorer {

  private static final Logger LOG = Logger.getLogger(Restorer.class);

  /** Disk space counted per file on top of its size (block rounding), for the space check. */
  static final long PER_FILE_SLACK = 4096;

  /** How the free space of a directory's file system is measured. */
  @FunctionalInterface
  public interface FreeSpace {
    /** The default: {@code FileStore.getUsableSpace()}. */
    FreeSpace FILE_STORE = dir -> Files.getFileStore(dir).getUsableSpace();

    /** Usable bytes on the file system of {@code dir}. */
    long usable(Path dir) throws IOException;
  }

  private final FetchSettings fetch;
  private final boolean resumable;
  private final FreeSpace freeSpace;
  private final boolean spaceCheck;
  private final Duration syncInterval;
  private final long syncBytes;
  private final boolean keepRecord;
  private final boolean replace;
  private volatile ChunkFetcher active;
  private volatile String cancelled;

  private Restorer(Builder b) {
    this.fetch = b.settings();
    this.resumable = b.resumable;
    this.freeSpace = b.freeSpace;
    this.spaceCheck = b.spaceCheck;
    this.syncInterval = b.syncInterval;
    this.syncBytes = b.syncBytes;
    this.keepRecord = b.keepRecord;
    this.replace = b.replace;
  }

  /** A builder with the defaults: 4 connections, resumable, space check on. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Restores the snapshot of {@code metadata} from {@code source} into {@code dest}.
   *
   * @param metadata {@code snapshot.json} of the snapshot
   * @param source the bytes of its {@code snapshot.tar.zst}
   * @param dest the destination directory: new, empty, or holding an unfinished restore of this
   *     snapshot
   * @return what was done
   * @throws RestoreException with a {@link RestoreException.Reason} saying why it failed; unless
   *     the destination was refused ({@code DESTINATION} before anything was written), the marker
   *     stays in {@code dest} with the reason
   */
  public RestoreResult restore(SnapshotMetadata metadata, RangeSource source, Path dest) {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(dest, "dest");
    ArchiveManifest manifest;
    try {
      manifest = metadata.archive().validate();
    } catch (ArchiveException e) {
      throw RestoreException.of(e);
    } catch (NullPointerException e) {
      throw new RestoreException(RestoreException.Reason.CORRUPT, "snapshot.json has no archive");
    }
    cancelled = null;
    long started = System.nanoTime();
    RestoreJournal journal;
    try {
      journal =
          RestoreJournal.open(
              dest, metadata, resumable, syncInterval, syncBytes, keepRecord, replace);
    } catch (RestoreJournal.AlreadyRestored done) {
      return new RestoreResult(
          metadata.snapshotId(),
          done.root,
          manifest.sha256(),
          manifest.compressedSize(),
          0,
          manifest.chunks().size(),
          manifest.chunks().size(),
          manifest.fileCount(),
          manifest.contentSize(),
          Duration.ofNanos(System.nanoTime() - started),
          done.done.completedAt());
    }
    try {
      RestoreResult result = run(metadata, manifest, source, journal, started);
      journal.complete();
      LOG.infof(
          "restored %s into %s: %d chunks (%d resumed), %d bytes fetched in %.1f s",
          metadata.snapshotId(),
          journal.root(),
          result.chunks(),
          result.resumedChunks(),
          result.fetchedBytes(),
          result.elapsed().toMillis() / 1000.0);
      return result;
    } catch (RuntimeException | Error e) {
      RestoreException failure = RestoreException.of(e);
      if (cancelled != null && failure.reason() == RestoreException.Reason.CANCELLED) {
        failure =
            new RestoreException(
                RestoreException.Reason.CANCELLED, "cancelled: " + cancelled, -1, e);
      }
      journal.fail(failure.getMessage());
      throw failure;
    } finally {
      journal.close();
      active = null;
    }
  }

  /**
   * Stops a running restore (from another thread, a signal handler for example): fetching stops,
   * the marker records {@code reason}, and {@link #restore} throws {@code CANCELLED}.
   */
  public void cancel(String reason) {
    cancelled = reason;
    ChunkFetcher f = active;
    if (f != null) {
      f.fail(new RestoreException(RestoreException.Reason.CANCELLED, "cancelled: " + reason));
    }
  }

  private RestoreResult run(
      SnapshotMetadata metadata,
      ArchiveManifest manifest,
      RangeSource source,
      RestoreJournal journal,
      long started) {
    ExtractionState state = journal.state();
    int n = manifest.chunks().size();
    int from = state == null ? 0 : state.nextChunk();
    long resumedBytes = offsetOf(manifest, from);
    if (spaceCheck) {
      checkSpace(journal.root(), manifest, state);
    }
    if (from < n) {
      checkSourceSize(source, manifest);
    }
    journal.removeLeftovers();
    WholeHash whole;
    try {
      whole = from == 0 ? WholeHash.create(resumable) : WholeHash.resume(journal.hashState());
      if (from > 0 && whole.length() != resumedBytes) {
        throw new IllegalArgumentException(
            "hash state covers "
                + whole.length()
                + " bytes, chunk "
                + from
                + " starts at "
                + resumedBytes);
      }
    } catch (IllegalArgumentException e) {
      throw new RestoreException(
          RestoreException.Reason.DESTINATION,
          "the restore journal in " + journal.root() + " is damaged (" + e.getMessage() + ")");
    }
    if (resumable && !Sha256Midstate.fast()) {
      fetch
          .listener()
          .warning(
              "the whole-archive SHA-256 runs in plain Java (slower): run Java with --add-opens"
                  + " java.base/sun.security.provider=ALL-UNNAMED --add-opens"
                  + " java.base/java.security=ALL-UNNAMED (the chainsnap launcher does)");
    }
    Map<Integer, String> hashStates = new ConcurrentHashMap<>();
    journal.hashStates(hashStates::remove);
    int parallel = FetchLimits.connectionsFor(fetch.connections(), manifest);
    ChunkQueue queue = new ChunkQueue(from, parallel + 1, FetchLimits.largestChunk(manifest));
    long fetched;
    try (Meter meter =
        new Meter(
            manifest.compressedSize(),
            resumedBytes,
            n,
            from,
            fetch.listener(),
            fetch.progressInterval())) {
      ChunkFetcher fetcher =
          new ChunkFetcher(
              source,
              manifest,
              IntStream.range(from, n).toArray(),
              parallel,
              queue::admit,
              (chunk, frame) -> apply(chunk, frame, queue, whole, hashStates),
              meter,
              fetch.listener(),
              fetch.corruptRetries(),
              queue::fail);
      active = fetcher;
      if (cancelled != null) {
        throw new RestoreException(RestoreException.Reason.CANCELLED, "cancelled: " + cancelled);
      }
      fetcher.start();
      try {
        ResumableExtractor.extract(manifest, journal.root(), state, queue, journal);
      } finally {
        fetcher.close();
      }
      fetched = meter.fetchedBytes();
    }
    String actual = whole.hex();
    if (!actual.equals(manifest.sha256())) {
      throw new RestoreException(
          RestoreException.Reason.CORRUPT,
          "whole-archive SHA-256 mismatch: snapshot.json says "
              + manifest.sha256()
              + " but its chunks hash to "
              + actual
              + "; snapshot.json does not describe this archive");
    }
    return new RestoreResult(
        metadata.snapshotId(),
        journal.root(),
        actual,
        manifest.compressedSize(),
        fetched,
        n,
        from,
        manifest.fileCount(),
        manifest.contentSize(),
        Duration.ofNanos(System.nanoTime() - started));
  }

  /** On a fetching thread: decompress (in parallel), hash in order, hand to the extractor. */
  private void apply(
      ChunkInfo chunk,
      byte[] frame,
      ChunkQueue queue,
      WholeHash whole,
      Map<Integer, String> hashStates)
      throws InterruptedException {
    int length = (int) chunk.compressedLength();
    ByteBuffer out = queue.acquire();
    ArchiveChunks.decompressVerified(chunk, frame, 0, length, out);
    queue.awaitHashTurn(chunk.index());
    whole.update(frame, 0, length);
    if (resumable) {
      hashStates.put(chunk.index(), whole.export());
    }
    queue.hashed(chunk.index());
    queue.put(chunk.index(), out);
  }

  private void checkSpace(Path root, ArchiveManifest manifest, ExtractionState state) {
    long files = state == null ? 0 : state.files();
    long content = state == null ? 0 : state.content();
    long unwritten =
        state != null && state.phase() == ExtractionState.Phase.DATA
            ? state.entrySize() - state.entryWritten()
            : 0;
    long needed =
        manifest.contentSize()
            - content
            + unwritten
            + (manifest.fileCount() - files) * PER_FILE_SLACK;
    long usable;
    try {
      usable = freeSpace.usable(root);
    } catch (IOException e) {
      throw new RestoreException(
          RestoreException.Reason.DISK, "cannot measure free space in " + root + ": " + e, -1, e);
    }
    if (usable < needed) {
      throw new RestoreException(
          RestoreException.Reason.NO_SPACE,
          "not enough disk space in "
              + root
              + ": "
              + Units.bytes(usable)
              + " free, the snapshot needs "
              + Units.bytes(needed)
              + " more ("
              + manifest.contentSize()
              + " bytes of files in all, snapshot.json contentSize)");
    }
  }

  private static void checkSourceSize(RangeSource source, ArchiveManifest manifest) {
    long size;
    try {
      size = source.size();
    } catch (IOException e) {
      throw RestoreException.ofSource(e, source.describe(), -1);
    }
    if (size >= 0 && size != manifest.compressedSize()) {
      throw new RestoreException(
          RestoreException.Reason.CORRUPT,
          source.describe()
              + " is "
              + size
              + " bytes long, snapshot.json says "
              + manifest.compressedSize()
              + " (truncated or wrong object)");
    }
  }

  static long offsetOf(ArchiveManifest manifest, int chunk) {
    return chunk >= manifest.chunks().size()
        ? manifest.compressedSize()
        : manifest.chunks().get(chunk).offset();
  }

  /** Builder of {@link Restorer}. */
  public static final class Builder extends FetchBuilder<Builder> {
    private boolean resumable = true;
    private FreeSpace freeSpace = FreeSpace.FILE_STORE;
    private boolean spaceCheck = true;
    private Duration syncInterval = Duration.ofSeconds(15);
    private long syncBytes = RestoreJournal.SYNC_BYTES;
    private boolean keepRecord;
    private boolean replace;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /**
     * Restored (tar) bytes after which the destination is synced, whatever the time since the last
     * sync (default 256 MiB): the kernel then writes back while extraction goes on, and the final
     * sync has little left. Rounded to whole chunks, at least one.
     */
    public Builder syncBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("syncBytes must be >= 1, got " + bytes);
      }
      this.syncBytes = bytes;
      return this;
    }

    /**
     * Least time between two syncs of the destination that make a resume point survive a reboot
     * (default 15 s; a resume in the same boot never needs them). The end of a restore always
     * syncs.
     */
    public Builder syncInterval(Duration interval) {
      if (interval.isNegative()) {
        throw new IllegalArgumentException("interval must be >= 0");
      }
      this.syncInterval = interval;
      return this;
    }

    /** Keep a resumable journal (default true; fsyncs after each chunk). */
    public Builder resumable(boolean resumable) {
      this.resumable = resumable;
      return this;
    }

    /** How free space is measured (tests). */
    public Builder freeSpace(FreeSpace freeSpace) {
      this.freeSpace = Objects.requireNonNull(freeSpace, "freeSpace");
      return this;
    }

    /** Whether to refuse a destination with less free space than the snapshot needs (true). */
    public Builder spaceCheck(boolean spaceCheck) {
      this.spaceCheck = spaceCheck;
      return this;
    }

    /**
     * Leave a record of a finished restore in the destination (default false): restoring the same
     * snapshot there again then returns at once ({@link RestoreResult#alreadyRestoredAt()}), and
     * another snapshot is refused unless {@link #replace}.
     */
    public Builder keepRecord(boolean keep) {
      this.keepRecord = keep;
      return this;
    }

    /**
     * Restore again over a destination that holds chainsnap's restore of another snapshot (finished
     * or not) or a finished one of this snapshot: its contents are deleted first (default false). A
     * destination that holds no chainsnap marker or record is refused whatever this says.
     */
    public Builder replace(boolean replace) {
      this.replace = replace;
      return this;
    }

    /** Builds the restorer. */
    public Restorer build() {
      return new Restorer(this);
    }
  }
}
