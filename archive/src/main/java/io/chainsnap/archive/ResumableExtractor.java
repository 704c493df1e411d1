package io.chainsnap.archive;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Extraction fed with chunks that are already verified and decompressed (by a parallel ranged
 * downloader, for example), which can stop after any chunk and go on later from where it stood.
 *
 * <p>It is the same extractor as {@link ArchiveReader#extract} with every safety rule of {@code
 * docs/archive-format.md} section 5.2; it only adds two hooks. After each chunk is applied, the
 * {@link Journal} receives the {@link ExtractionState} (what to persist to resume there) and the
 * paths written since the previous call (what to make durable before persisting it). Before each
 * regular file is created, the journal is told its sequence number and path, so that after a crash
 * the files created after the last persisted state can be told apart from the ones before it and
 * removed before going on (see {@link Journal#beforeCreate}).
 *
 * <p>Names starting with {@value #RESERVED_PREFIX} at the top of the target are refused: the caller
 * keeps its journal there.
 */
public final class ResumableExtractor {

  /** Top-level names reserved for the caller's journal files. */
  public static final String RESERVED_PREFIX = ".chainsnap-restore";

  private ResumableExtractor() {}

  /** Supplies decompressed, verified chunks in order. */
  public interface ChunkFeed {
    /**
     * Returns the tar bytes of chunk {@code index} ({@code uncompressedLength} bytes from absolute
     * index 0 of the returned buffer, whose position and limit are ignored), blocking until they
     * are available. Called with consecutive indexes. Direct buffers are written to files without a
     * copy.
     *
     * @throws ArchiveException for a failure of the feed (it ends the extraction)
     */
    ByteBuffer take(int index) throws InterruptedException;

    /** Gives back the buffer of chunk {@code index} once applied. */
    void release(int index, ByteBuffer buffer);
  }

  /** Receives the extractor's progress, from the extracting thread. */
  public interface Journal {
    /**
     * A regular file is about to be created. {@code sequence} is its position among the files of
     * the archive (1 for the first); after a restart from a state with {@code files = F}, every
     * file announced with a sequence above F must be removed before extraction goes on.
     *
     * @param sequence 1-based position of the file in the archive
     * @param path relative to the target, '/'-separated
     */
    void beforeCreate(long sequence, String path);

    /**
     * Chunk {@code state.nextChunk() - 1} is applied.
     *
     * @param state what to persist to resume at the next chunk
     * @param written files and directories created or written since the previous call (absolute);
     *     they must be made durable before {@code state} is persisted
     */
    void chunkApplied(ExtractionState state, List<Path> written);
  }

  /**
   * Extracts chunks {@code resume.nextChunk()} (0 without a state) to the last into {@code
   * targetDir}.
   *
   * @param manifest the archive's manifest (validated first)
   * @param targetDir the target; created if missing
   * @param resume where a previous run stopped, or {@code null} to start at chunk 0
   * @param feed the chunks
   * @param journal receives states and file creations
   * @throws ArchiveException as {@link ArchiveReader#extract}, plus {@code INVALID_MANIFEST} for a
   *     state that does not fit the manifest, and {@code UNSAFE_ENTRY} when the files of the
   *     previous run are not where the state says
   */
  public static void extract(
      ArchiveManifest manifest,
      Path targetDir,
      ExtractionState resume,
      ChunkFeed feed,
      Journal journal) {
    Objects.requireNonNull(manifest, "manifest").validate();
    Objects.requireNonNull(feed, "feed");
    Objects.requireNonNull(journal, "journal");
    if (resume != null) {
      resume.validate(manifest);
    }
    Path root = ArchiveReader.prepareTarget(targetDir);
    try (FeedInput input = new FeedInput(manifest, resume, feed)) {
      new TarExtractor(input, root, manifest, journal, resume).run();
    }
  }

  /**
   * Walks the tar stream of {@code feed}'s chunks 0 to the last with every rule of an extraction
   * into an empty directory (names reserved for the journal included) and writes nothing: what it
   * accepts, {@link #extract} accepts; what it refuses fails with the same message.
   *
   * @param manifest the archive's manifest (validated first)
   * @param feed the chunks
   * @throws ArchiveException as {@link #extract}
   */
  public static void check(ArchiveManifest manifest, ChunkFeed feed) {
    Objects.requireNonNull(manifest, "manifest").validate();
    Objects.requireNonNull(feed, "feed");
    try (FeedInput input = new FeedInput(manifest, null, feed)) {
      TarExtractor.dryRun(input, manifest).run();
    }
  }

  /** Adapts a {@link ChunkFeed} to the extractor's input. */
  private static final class FeedInput extends TarInput {
    private final ChunkFeed feed;
    private int next;

    FeedInput(ArchiveManifest manifest, ExtractionState resume, ChunkFeed feed) {
      super(
          manifest,
          resume == null ? 0 : resume.tarOffset() - resume.carry().length,
          resume == null ? null : resume.carry());
      this.feed = feed;
      this.next = resume == null ? 0 : resume.nextChunk();
    }

    @Override
    protected Chunk take() {
      if (next >= manifest().chunks().size()) {
        return null;
      }
      int index = next;
      ByteBuffer data;
      try {
        data = feed.take(index);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ArchiveException(
            ArchiveException.Kind.IO, "interrupted while waiting for chunk " + index, e);
      }
      next++;
      return new Chunk(index, data, manifest().chunks().get(index).uncompressedLength());
    }

    @Override
    protected void release(Chunk chunk) {
      feed.release(chunk.index(), chunk.data());
    }

    @Override
    public void close() {
      releaseCurrent();
    }
  }
}
