package io.chainsnap.archive;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * Where a {@linkplain ResumableExtractor resumable extraction} stood right after chunk {@code
 * nextChunk - 1} was applied: enough to go on from chunk {@code nextChunk} without reading any
 * earlier chunk again. Produced by the extractor at every chunk boundary and meant to be persisted
 * (it maps to JSON with Jackson; {@code carry} becomes base64).
 *
 * @param nextChunk the first chunk not applied yet (chunks {@code 0 .. nextChunk-1} are done)
 * @param tarOffset tar offset of chunk {@code nextChunk} ({@code nextChunk * chunkSize}, or {@code
 *     tarSize} at the end)
 * @param phase what the extractor was doing at that offset
 * @param files regular files created so far (the one being written included)
 * @param content bytes of file data accounted so far (the whole size of the one being written)
 * @param carry {@link Phase#HEADER}: the bytes of the entry whose headers straddle the boundary,
 *     from its first header byte up to {@code tarOffset} (empty when the boundary falls between
 *     entries)
 * @param entry {@link Phase#DATA}: the file being written, relative to the target ('/'-separated)
 * @param entrySize {@link Phase#DATA}: its size
 * @param entryMode {@link Phase#DATA}: its tar mode bits
 * @param entryMtime {@link Phase#DATA}: its mtime in seconds
 * @param entryWritten {@link Phase#DATA}: bytes of it already written (and made durable by the
 *     caller before it persisted this state)
 * @param entryChunk {@link Phase#DATA}: the chunk where its entry starts (for messages)
 * @param skip {@link Phase#SKIP}: padding bytes still to skip after the last file's data
 * @param trailing {@link Phase#TRAILER}: zero bytes seen after the first end-of-archive block
 * @param dirs directories extracted so far, whose mtimes are set at the very end
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExtractionState(
    int nextChunk,
    long tarOffset,
    Phase phase,
    long files,
    long content,
    byte[] carry,
    String entry,
    long entrySize,
    int entryMode,
    long entryMtime,
    long entryWritten,
    int entryChunk,
    long skip,
    long trailing,
    List<DirTime> dirs) {

  /** What the extractor was doing at {@code tarOffset}. */
  public enum Phase {
    /** Reading the headers of the next entry (or between entries). */
    HEADER,
    /** Writing the data of {@code entry}. */
    DATA,
    /** Skipping the zero padding after a file's data. */
    SKIP,
    /** Reading the zero blocks after the end-of-archive marker. */
    TRAILER
  }

  /**
   * A directory and the mtime it gets once everything below it is written.
   *
   * @param path relative to the target, '/'-separated
   * @param mtime seconds since the epoch
   */
  public record DirTime(String path, long mtime) {}

  /** Canonical constructor; copies the directory list and checks the phase. */
  public ExtractionState {
    Objects.requireNonNull(phase, "phase");
    dirs = dirs == null ? List.of() : List.copyOf(dirs);
    carry = carry == null ? new byte[0] : carry.clone();
  }

  @Override
  public byte[] carry() {
    return carry.clone();
  }

  /**
   * Checks that this state fits {@code manifest} (same chunk layout, offsets and counters in
   * range), so a damaged or foreign journal cannot steer the extractor.
   *
   * @param manifest the archive being extracted
   * @return this state
   * @throws ArchiveException ({@code INVALID_MANIFEST}) if it does not fit
   */
  public ExtractionState validate(ArchiveManifest manifest) {
    int n = manifest.chunks().size();
    long expectedOffset =
        nextChunk >= n ? manifest.tarSize() : (long) nextChunk * manifest.chunkSize();
    boolean ok =
        nextChunk >= 1
            && nextChunk <= n
            && tarOffset == expectedOffset
            && files >= 0
            && files <= manifest.fileCount()
            && content >= 0
            && content <= manifest.contentSize()
            && carry.length <= TarInput.MAX_RECORDING
            && carry.length <= tarOffset
            && switch (phase) {
              case HEADER -> true;
              case DATA ->
                  entry != null
                      && !entry.isEmpty()
                      && entrySize >= 0
                      && entryWritten >= 0
                      && entryWritten <= entrySize
                      && files >= 1;
              case SKIP -> skip > 0 && skip < TarEncoder.BLOCK;
              case TRAILER -> trailing >= 0 && trailing <= manifest.tarSize();
            };
    if (!ok) {
      throw new ArchiveException(
          ArchiveException.Kind.INVALID_MANIFEST,
          "saved extraction state (chunk "
              + nextChunk
              + ", phase "
              + phase
              + ") does not fit this archive; start the extraction over in an empty directory");
    }
    return this;
  }
}
