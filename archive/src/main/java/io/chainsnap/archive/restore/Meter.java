package io.chainsnap.archive.restore;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts bytes and chunks of a run and reports {@link RestoreProgress} to a listener on a timer:
 * rate over the last ten seconds, ETA from it.
 */
final class Meter implements AutoCloseable {

  private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

  private record Sample(long nanos, long bytes) {}

  private final long archiveBytes;
  private final long resumedBytes;
  private final int chunks;
  private final RestoreListener listener;
  private final long started = System.nanoTime();
  private final LongAdder fetched = new LongAdder();
  private final AtomicInteger chunksDone;
  private final ArrayDeque<Sample> samples = new ArrayDeque<>();
  private final ScheduledExecutorService timer;
  private final Object reportLock = new Object();
  private boolean closed; // guarded by reportLock

  Meter(
      long archiveBytes,
      long resumedBytes,
      int chunks,
      int resumedChunks,
      RestoreListener listener,
      Duration interval) {
    this.archiveBytes = archiveBytes;
    this.resumedBytes = resumedBytes;
    this.chunks = chunks;
    this.chunksDone = new AtomicInteger(resumedChunks);
    this.listener = listener;
    listener.started(snapshot());
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "chainsnap-progress");
              t.setDaemon(true);
              return t;
            });
    long ms = Math.max(50, interval.toMillis());
    timer.scheduleAtFixedRate(this::report, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** Bytes arrived from the source. */
  void fetched(long n) {
    fetched.add(n);
  }

  /** A chunk is done. */
  void chunkDone() {
    chunksDone.incrementAndGet();
  }

  /** Bytes read from the source so far in this run. */
  long fetchedBytes() {
    return fetched.sum();
  }

  /** A timer report. */
  private void report() {
    report(false);
  }

  /**
   * Delivers one report unless the final one was delivered. Reports are serialized, so a timer
   * report that took its snapshot before the last chunk cannot arrive after the final one.
   */
  private void report(boolean last) {
    synchronized (reportLock) {
      if (closed) {
        return;
      }
      closed = last;
      try {
        listener.progress(snapshot());
      } catch (RuntimeException e) {
        // a listener must not break the run
      }
    }
  }

  synchronized RestoreProgress snapshot() {
    long now = System.nanoTime();
    long bytes = fetched.sum();
    samples.addLast(new Sample(now, bytes));
    while (samples.size() > 2 && now - samples.peekFirst().nanos() > WINDOW_NANOS) {
      samples.removeFirst();
    }
    Sample oldest = samples.peekFirst();
    double seconds = (now - oldest.nanos()) / 1e9;
    double rate;
    if (seconds >= 0.5) {
      rate = (bytes - oldest.bytes()) / seconds;
    } else {
      double total = (now - started) / 1e9;
      rate = total > 0 ? bytes / total : 0;
    }
    long done = Math.min(archiveBytes, resumedBytes + bytes);
    Duration eta =
        rate > 0 ? Duration.ofSeconds((long) Math.ceil((archiveBytes - done) / rate)) : null;
    return new RestoreProgress(
        archiveBytes,
        done,
        resumedBytes,
        chunks,
        chunksDone.get(),
        rate,
        done >= archiveBytes ? Duration.ZERO : eta,
        Duration.ofNanos(now - started));
  }

  /** Stops the timer and sends a last report. */
  @Override
  public void close() {
    timer.shutdownNow();
    report(true);
  }
}
