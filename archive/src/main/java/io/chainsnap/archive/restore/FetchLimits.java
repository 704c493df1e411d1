package io.chainsnap.archive.restore;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings {@link Restorer.Builder} and {@link ArchiveDownloader.Builder} share, validated in
 * one place: both builders refuse the same bad values with the same message.
 */
final class FetchLimits {

  /** Most parallel ranged requests. */
  static final int MAX_CONNECTIONS = 64;

  private FetchLimits() {}

  /** Parallel ranged requests, 1 to {@value #MAX_CONNECTIONS}. */
  static int connections(int connections) {
    if (connections < 1 || connections > MAX_CONNECTIONS) {
      throw new IllegalArgumentException(
          "connections must be in [1, " + MAX_CONNECTIONS + "], got " + connections);
    }
    return connections;
  }

  /** Fetches again of a chunk failing its hash check: 0 or more. */
  static int corruptRetries(int retries) {
    if (retries < 0) {
      throw new IllegalArgumentException("corruptRetries must be >= 0, got " + retries);
    }
    return retries;
  }

  /** Time between two progress reports: not negative. */
  static Duration progressInterval(Duration interval) {
    Objects.requireNonNull(interval, "progressInterval");
    if (interval.isNegative()) {
      throw new IllegalArgumentException("progressInterval must be >= 0, got " + interval);
    }
    return interval;
  }

  /** The listener: not null. */
  static RestoreListener listener(RestoreListener listener) {
    return Objects.requireNonNull(listener, "listener");
  }
}
