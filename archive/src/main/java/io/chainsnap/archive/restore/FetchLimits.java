package io.chainsnap.archive.restore;

import io.chainsnap.archive.ArchiveFormat;
import io.chainsnap.archive.ArchiveManifest;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings {@link Restorer.Builder} and {@link ArchiveDownloader.Builder} share, validated in
 * one place: both builders refuse the same bad values with the same message.
 */
final class FetchLimits {

  /** Most parallel ranged requests. */
  static final int MAX_CONNECTIONS = 64;

  /**
   * Memory a restore, download or verification may hold per connection asked for: 128 MiB, two
   * chunks of the default 64 MiB (a compressed frame being fetched and a decompressed chunk).
   */
  static final long WINDOW_PER_CONNECTION = 2L * ArchiveFormat.DEFAULT_CHUNK_SIZE;

  private FetchLimits() {}

  /**
   * How many chunks to fetch in parallel for {@code connections} asked for: as many, unless the
   * archive's chunks are so large that they would hold more than {@code connections x} {@value
   * #WINDOW_PER_CONNECTION} bytes; then fewer, at least one. Memory is bounded by the connections
   * asked for, whatever chunk size the manifest declares (with one connection, by the largest chunk
   * a reader accepts: about three chunks of {@link ArchiveFormat#MAX_CHUNK_SIZE}).
   */
  static int connectionsFor(int connections, ArchiveManifest manifest) {
    long perConnection = 2L * largestChunk(manifest);
    long budget = connections * WINDOW_PER_CONNECTION;
    return (int) Math.max(1, Math.min(connections, budget / perConnection));
  }

  /** The largest uncompressed chunk of an archive (its one chunk, or {@code chunkSize}). */
  static int largestChunk(ArchiveManifest manifest) {
    return manifest.chunks().size() == 1
        ? manifest.chunks().get(0).uncompressedLength()
        : manifest.chunkSize();
  }

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
