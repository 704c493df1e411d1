package io.chainsnap.archive.restore;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how patiently a source retries a transient failure (connection reset, timeout, HTTP
 * 5xx or 429): exponential backoff with jitter, from {@code initialBackoff} doubling up to {@code
 * maxBackoff}, at most {@code attempts} tries in all.
 *
 * @param attempts tries in all, at least 1
 * @param initialBackoff wait after the first failure
 * @param maxBackoff longest wait between tries
 */
public record RetryPolicy(int attempts, Duration initialBackoff, Duration maxBackoff) {

  /** Six tries, waiting 0.5 s, 1 s, 2 s, 4 s, 8 s (about 15 s in all, plus jitter). */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(30));

  /** Validates the values. */
  public RetryPolicy {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be >= 1");
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("backoffs must satisfy 0 <= initial <= max");
    }
  }

  /** An operation that may fail transiently. */
  @FunctionalInterface
  public interface Attempt<T> {
    T run() throws IOException;
  }

  /** A failure that retrying cannot fix: thrown as is, without further tries. */
  public static final class Permanent extends IOException {
    private static final long serialVersionUID = 1L;

    /** Wraps the real failure. */
    public Permanent(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  /**
   * Runs {@code attempt} until it succeeds, throws a {@link Permanent} failure (its cause is
   * rethrown), a {@link SourceNotFoundException} or an {@link InterruptedIOException}, or the tries
   * are exhausted (the last failure is rethrown, its message prefixed with the number of tries).
   *
   * <p>A {@link RetryAfter} failure waits the delay the server asked for (at most {@code
   * maxBackoff}) instead of the backoff.
   *
   * @param what names the operation in messages
   * @param attempt the operation
   * @return its result
   */
  public <T> T run(String what, Attempt<T> attempt) throws IOException {
    Duration backoff = initialBackoff;
    for (int i = 1; ; i++) {
      try {
        return attempt.run();
      } catch (Permanent e) {
        throw (IOException) e.getCause();
      } catch (SourceNotFoundException | InterruptedIOException e) {
        throw e;
      } catch (IOException e) {
        if (i >= attempts) {
          throw new IOException(
              what + " failed after " + attempts + " tries: " + e.getMessage(), e);
        }
        Duration wait = backoff;
        if (e instanceof RetryAfter r && r.delay() != null) {
          wait = r.delay().compareTo(maxBackoff) > 0 ? maxBackoff : r.delay();
        }
        long millis = wait.toMillis();
        millis += millis == 0 ? 0 : ThreadLocalRandom.current().nextLong(millis / 4 + 1);
        try {
          Thread.sleep(millis);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting to retry " + what);
        }
        backoff =
            backoff.multipliedBy(2).compareTo(maxBackoff) > 0
                ? maxBackoff
                : backoff.multipliedBy(2);
      }
    }
  }

  /** A transient failure with a delay the server asked for (HTTP {@code Retry-After}). */
  public static final class RetryAfter extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Duration delay;

    /**
     * @param message what failed
     * @param delay the requested delay, or {@code null}
     */
    public RetryAfter(String message, Duration delay) {
      super(message);
      this.delay = delay;
    }

    /** The requested delay, or {@code null}. */
    public Duration delay() {
      return delay;
    }
  }
}
