package io.chainsnap.snapshotter.quiesce;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one catch ladder of a quiesced node: run the work, then resume the node whatever happened,
 * then report. The work's failure wins and a failure to resume is added to it as suppressed (or is
 * the failure, when the work succeeded). {@link Error}s (out of memory...) propagate as they are,
 * after the node was resumed; an {@link IOException} as an {@link UncheckedIOException}.
 */
final class Resumption {
  private Resumption() {}

  /** Work done while the node is quiesced. */
  @FunctionalInterface
  interface Work<T> {
    T run() throws IOException;
  }

  static <T> T runThenResume(Work<T> work, Runnable resume) {
    T result = null;
    Throwable failure = null;
    try {
      result = work.run();
    } catch (IOException e) {
      failure = new UncheckedIOException(e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      failure = e;
    }
    try {
      resume.run();
    } catch (RuntimeException | Error e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
    if (failure instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    return result;
  }
}
