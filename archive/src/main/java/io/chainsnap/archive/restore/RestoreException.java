package io.chainsnap.archive.restore;

import io.chainsnap.archive.ArchiveException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * Why a restore, download or remote verification failed, with an operator-facing message naming the
 * chunk or entry when known. {@link #reason()} lets callers map failures to exit codes or rejection
 * stages.
 */
public class RestoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What went wrong, coarsely. */
  public enum Reason {
    /** The archive or its metadata does not exist at the source (HTTP 404, no such key/file). */
    NOT_FOUND,
    /** The source could not be read (after retries): network, permissions, server errors. */
    NETWORK,
    /**
     * The bytes do not match {@code snapshot.json}: chunk or whole-file hash, size, truncation,
     * frame; or {@code snapshot.json} itself is invalid.
     */
    CORRUPT,
    /** {@code snapshot.json} or the archive uses a format version this code does not know. */
    UNSUPPORTED_FORMAT,
    /** A tar entry was refused by the safety rules (escape, link, device, sizes). */
    UNSAFE,
    /** Writing to the destination failed. */
    DISK,
    /** The destination's file system has less free space than the snapshot needs. */
    NO_SPACE,
    /**
     * The destination cannot be used: not empty and not an unfinished restore of this snapshot,
     * another restore running in it, or a file in the way.
     */
    DESTINATION,
    /** The restore was cancelled (signal, caller). */
    CANCELLED
  }

  private final Reason reason;
  private final int chunkIndex;

  /**
   * @param reason what went wrong
   * @param message operator-facing message
   */
  public RestoreException(Reason reason, String message) {
    this(reason, message, -1, null);
  }

  /**
   * @param reason what went wrong
   * @param message operator-facing message
   * @param chunkIndex chunk concerned, or -1
   * @param cause underlying error, or {@code null}
   */
  public RestoreException(Reason reason, String message, int chunkIndex, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.chunkIndex = chunkIndex;
  }

  /** What went wrong. */
  public Reason reason() {
    return reason;
  }

  /** The chunk concerned, or -1. */
  public int chunkIndex() {
    return chunkIndex;
  }

  /** Maps an archive-module failure (reading, verifying, extracting). */
  public static RestoreException of(ArchiveException e) {
    Reason reason =
        switch (e.kind()) {
          case UNSUPPORTED_FORMAT -> Reason.UNSUPPORTED_FORMAT;
          case INVALID_MANIFEST, CORRUPT -> Reason.CORRUPT;
          case UNSAFE_ENTRY -> Reason.UNSAFE;
          case IO, SOURCE -> Reason.DISK;
        };
    return new RestoreException(reason, e.getMessage(), e.chunkIndex(), e);
  }

  /**
   * Maps a failure to read the source.
   *
   * @param e the failure
   * @param what what was being read, e.g. "chunk 3 (bytes 0-99) of https://..."
   * @param chunkIndex the chunk, or -1
   */
  public static RestoreException ofSource(IOException e, String what, int chunkIndex) {
    if (e instanceof SourceNotFoundException) {
      return new RestoreException(Reason.NOT_FOUND, e.getMessage(), chunkIndex, e);
    }
    if (e instanceof EOFException) {
      return new RestoreException(
          Reason.CORRUPT, "archive truncated: " + what + ": " + e.getMessage(), chunkIndex, e);
    }
    if (e instanceof InterruptedIOException) {
      return new RestoreException(
          Reason.CANCELLED, "cancelled while reading " + what, chunkIndex, e);
    }
    return new RestoreException(
        Reason.NETWORK, "cannot read " + what + ": " + e.getMessage(), chunkIndex, e);
  }

  /** Maps any failure of a restore run. */
  static RestoreException of(Throwable t) {
    if (t instanceof RestoreException r) {
      return r;
    }
    if (t instanceof ArchiveException a) {
      return of(a);
    }
    if (t instanceof InterruptedException || t instanceof InterruptedIOException) {
      return new RestoreException(Reason.CANCELLED, "interrupted", -1, t);
    }
    if (t instanceof OutOfMemoryError) {
      return new RestoreException(
          Reason.DISK,
          "out of memory: use fewer connections or give the JVM more heap (-Xmx)",
          -1,
          t);
    }
    return new RestoreException(Reason.DISK, "restore failed: " + t, -1, t);
  }
}
