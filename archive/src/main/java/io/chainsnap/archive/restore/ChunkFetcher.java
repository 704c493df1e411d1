package io.chainsnap.archive.restore;

import io.chainsnap.archive.ArchiveChunks;
import io.chainsnap.archive.ArchiveException;
import io.chainsnap.archive.ArchiveManifest;
import io.chainsnap.archive.ChunkInfo;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Fetches chunks of an archive by range with {@code connections} threads, checks each chunk's
 * SHA-256 as soon as it is in (a mismatch is fetched once more, then fails), and hands the verified
 * frame to a {@link Processor} on the same thread. Chunks are taken in increasing order; a {@link
 * Gate} may hold a thread back (memory bound). The first failure stops every thread and goes to the
 * failure sink.
 */
final class ChunkFetcher implements AutoCloseable {

  /** What to do with a verified frame; runs on the fetching thread. */
  interface Processor {
    void process(ChunkInfo chunk, byte[] frame) throws InterruptedException, IOException;
  }

  /** Blocks until a chunk may be fetched. */
  interface Gate {
    Gate OPEN = index -> {};

    void admit(int index) throws InterruptedException;
  }

  private final RangeSource source;
  private final ArchiveManifest manifest;
  private final int[] indexes;
  private final int connections;
  private final Gate gate;
  private final Processor processor;
  private final Meter meter;
  private final RestoreListener listener;
  private final int corruptRetries;
  private final Consumer<RuntimeException> failureSink;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean cancelled;

  ChunkFetcher(
      RangeSource source,
      ArchiveManifest manifest,
      int[] indexes,
      int connections,
      Gate gate,
      Processor processor,
      Meter meter,
      RestoreListener listener,
      int corruptRetries,
      Consumer<RuntimeException> failureSink) {
    this.source = source;
    this.manifest = manifest;
    this.indexes = indexes;
    this.connections = Math.max(1, Math.min(connections, Math.max(1, indexes.length)));
    this.gate = gate;
    this.processor = processor;
    this.meter = meter;
    this.listener = listener;
    this.corruptRetries = corruptRetries;
    this.failureSink = failureSink;
  }

  /** Starts the threads. */
  void start() {
    for (int i = 0; i < connections; i++) {
      Thread t = new Thread(this::work, "chainsnap-fetch-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** Waits for every thread; throws the first failure. */
  void await() throws InterruptedException {
    for (Thread t : threads) {
      t.join();
    }
    RuntimeException f = failure.get();
    if (f != null) {
      throw f;
    }
  }

  /** The first failure, or {@code null}. */
  RuntimeException failure() {
    return failure.get();
  }

  private void work() {
    byte[] frame = null;
    try {
      while (!cancelled) {
        int k = next.getAndIncrement();
        if (k >= indexes.length) {
          return;
        }
        ChunkInfo chunk = manifest.chunks().get(indexes[k]);
        gate.admit(chunk.index());
        if (frame == null) {
          frame = new byte[maxCompressedLength()];
        }
        fetchVerified(chunk, frame);
        processor.process(chunk, frame);
        meter.chunkDone();
      }
    } catch (InterruptedException e) {
      fail(new RestoreException(RestoreException.Reason.CANCELLED, "interrupted", -1, e));
    } catch (RuntimeException | IOException | Error e) {
      fail(RestoreException.of(e));
    }
  }

  private void fetchVerified(ChunkInfo chunk, byte[] frame) {
    int length = (int) chunk.compressedLength();
    for (int attempt = 0; ; attempt++) {
      String what =
          "chunk "
              + chunk.index()
              + " (bytes "
              + chunk.offset()
              + "-"
              + (chunk.end() - 1)
              + ") of "
              + source.describe();
      try {
        source.read(chunk.offset(), frame, 0, length, this::arrived);
      } catch (IOException e) {
        throw RestoreException.ofSource(e, what, chunk.index());
      }
      try {
        ArchiveChunks.verify(chunk, frame, 0, length);
        return;
      } catch (ArchiveException e) {
        if (attempt >= corruptRetries) {
          throw e;
        }
        listener.warning(e.getMessage() + "; fetching it again");
      }
    }
  }

  private void arrived(int n) throws IOException {
    if (cancelled) {
      throw new InterruptedIOException("cancelled");
    }
    meter.fetched(n);
  }

  private int maxCompressedLength() {
    long max = 0;
    for (int i : indexes) {
      max = Math.max(max, manifest.chunks().get(i).compressedLength());
    }
    return Math.toIntExact(max);
  }

  /** Records the first failure, stops every thread, tells the sink. */
  void fail(RuntimeException e) {
    if (failure.compareAndSet(null, e)) {
      cancelled = true;
      failureSink.accept(e);
    } else {
      cancelled = true;
    }
  }

  /** Stops the threads (their current read is abandoned) and waits for them. */
  @Override
  public void close() {
    cancelled = true;
    failureSink.accept(new RestoreException(RestoreException.Reason.CANCELLED, "fetching stopped"));
    boolean interrupted = false;
    for (Thread t : threads) {
      while (t.isAlive()) {
        try {
          t.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
