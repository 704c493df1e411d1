package io.chainsnap.archive.restore;

import java.time.Duration;

/**
 * The settings of {@link Restorer.Builder} and {@link ArchiveDownloader.Builder} that fetch chunks:
 * one copy of their defaults, setters and validation ({@link FetchLimits}).
 *
 * @param <B> the builder, returned by every setter
 */
public abstract class FetchBuilder<B extends FetchBuilder<B>> {
  int connections = 4;
  RestoreListener listener = RestoreListener.NONE;
  Duration progressInterval = Duration.ofSeconds(1);
  int corruptRetries = 1;

  FetchBuilder() {}

  /** This builder, for the setters' return. */
  abstract B self();

  /** What was set. */
  FetchSettings settings() {
    return new FetchSettings(connections, listener, progressInterval, corruptRetries);
  }

  /** Parallel ranged requests (default 4; 1 to 64). */
  public B connections(int connections) {
    this.connections = FetchLimits.connections(connections);
    return self();
  }

  /** Progress and warnings. */
  public B listener(RestoreListener listener) {
    this.listener = FetchLimits.listener(listener);
    return self();
  }

  /** How often the listener gets progress (default 1 s). */
  public B progressInterval(Duration interval) {
    this.progressInterval = FetchLimits.progressInterval(interval);
    return self();
  }

  /**
   * How many times a chunk failing its hash check is fetched again before failing (1; 0 or more).
   */
  public B corruptRetries(int retries) {
    this.corruptRetries = FetchLimits.corruptRetries(retries);
    return self();
  }
}
