package io.chainsnap.archive;

/**
 * Receives progress of a long archive operation. Called from the thread doing the work, at most
 * about once per chunk, so implementations must be quick and must not throw.
 */
@FunctionalInterface
public interface ProgressListener {

  /** A listener that ignores progress. */
  ProgressListener NONE = (done, total) -> {};

  /**
   * Reports progress.
   *
   * @param done bytes processed so far (tar bytes for the writer, archive bytes for the reader)
   * @param total bytes expected in all, or -1 while not yet known (the writer lists its source
   *     while the first chunks compress; the total is known at the latest by the last report)
   */
  void onProgress(long done, long total);
}
