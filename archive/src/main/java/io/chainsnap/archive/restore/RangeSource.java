package io.chainsnap.archive.restore;

import java.io.IOException;

/**
 * Where the bytes of {@code snapshot.tar.zst} come from, read by byte range: an HTTP(S) URL (CDN,
 * IPFS gateway), a local file, an S3 object. Implementations are thread-safe: the restorer reads
 * several ranges at once, one per connection.
 *
 * <p>Implementations retry transient failures themselves (with backoff) and throw only once they
 * give up; a missing object is a {@link SourceNotFoundException}.
 */
public interface RangeSource extends AutoCloseable {

  /** Receives bytes as they arrive, and may stop a read. */
  @FunctionalInterface
  interface Transfer {
    /** Ignores progress and never cancels. */
    Transfer NONE = n -> {};

    /**
     * {@code n} more bytes arrived (bytes of an attempt that fails and is retried are counted too).
     * Sources also call it with {@code n = 0} now and then while waiting, so that a read can be
     * cancelled even when nothing arrives.
     *
     * @throws java.io.InterruptedIOException to abandon the read (cancellation)
     */
    void arrived(int n) throws IOException;
  }

  /**
   * Size of the object in bytes.
   *
   * @throws SourceNotFoundException if there is no such object
   * @throws IOException if it cannot be determined
   */
  long size() throws IOException;

  /**
   * Reads exactly {@code length} bytes starting at {@code offset} into {@code buffer}.
   *
   * @param offset first byte of the range
   * @param buffer destination
   * @param bufferOffset where to put the first byte
   * @param length number of bytes (at least 1)
   * @param transfer progress and cancellation
   * @throws SourceNotFoundException if there is no such object
   * @throws java.io.EOFException if the object ends before {@code offset + length}
   * @throws IOException once retries are exhausted, or when cancelled
   */
  void read(long offset, byte[] buffer, int bufferOffset, int length, Transfer transfer)
      throws IOException;

  /** Short description for messages (URL or path, never credentials). */
  String describe();

  /** Releases connections and files. */
  @Override
  void close();
}
