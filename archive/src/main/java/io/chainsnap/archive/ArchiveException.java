package io.chainsnap.archive;

/**
 * The one error type of the archive module: an unknown format, an invalid manifest, corrupt bytes,
 * an unsafe tar entry, an unusable source directory, or an I/O failure.
 *
 * <p>The message is meant for operators: it names the tar entry and the chunk index when they are
 * known. {@link #kind()} lets callers react (for example, re-fetch a {@link Kind#CORRUPT} chunk,
 * never retry an {@link Kind#UNSAFE_ENTRY}).
 */
public class ArchiveException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What went wrong, coarsely. */
  public enum Kind {
    /**
     * The manifest or archive declares a format version or compression this reader does not know.
     */
    UNSUPPORTED_FORMAT,
    /** The manifest is inconsistent (offsets, lengths, sizes, hash syntax). */
    INVALID_MANIFEST,
    /** The archive bytes do not match the manifest: hash mismatch, truncation, trailing bytes. */
    CORRUPT,
    /** A tar entry would be unsafe to extract (escape, link, device, sizes beyond the manifest). */
    UNSAFE_ENTRY,
    /** The source directory cannot be archived (symlink, special file, file changed while read). */
    SOURCE,
    /** Reading or writing failed (stream, disk, interruption). */
    IO
  }

  private final Kind kind;
  private final String entry;
  private final int chunkIndex;

  /**
   * Creates an exception.
   *
   * @param kind what went wrong
   * @param message operator-facing message
   */
  public ArchiveException(Kind kind, String message) {
    this(kind, message, null, -1, null);
  }

  /**
   * Creates an exception with a cause.
   *
   * @param kind what went wrong
   * @param message operator-facing message
   * @param cause underlying error
   */
  public ArchiveException(Kind kind, String message, Throwable cause) {
    this(kind, message, null, -1, cause);
  }

  /**
   * Creates an exception naming a tar entry and a chunk.
   *
   * @param kind what went wrong
   * @param message operator-facing message (already naming the entry and chunk)
   * @param entry tar entry path, or {@code null}
   * @param chunkIndex chunk index, or -1
   * @param cause underlying error, or {@code null}
   */
  public ArchiveException(
      Kind kind, String message, String entry, int chunkIndex, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.entry = entry;
    this.chunkIndex = chunkIndex;
  }

  /** Returns what went wrong. */
  public Kind kind() {
    return kind;
  }

  /** Returns the tar entry (or source path) concerned, or {@code null} if none. */
  public String entry() {
    return entry;
  }

  /** Returns the chunk index concerned, or -1 if none. */
  public int chunkIndex() {
    return chunkIndex;
  }
}
