package io.chainsnap.archive.restore;

import io.chainsnap.archive.ResumableExtractor;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands decompressed chunks from the fetching threads to the extracting thread in order, and bounds
 * memory: chunk {@code i} may only be fetched once {@code i < released + window}, where {@code
 * released} counts the chunks the extractor has given back. At most {@code window} chunk buffers
 * therefore exist, and one is always free for an admitted chunk (no deadlock). Also orders the
 * whole-file hash: chunk {@code i} is hashed only after chunk {@code i-1}.
 *
 * <p>The first failure (of a fetcher, of the extractor, a cancellation) wakes every waiting thread
 * and is thrown to each of them, except that chunks already decompressed are still handed out.
 */
final class ChunkQueue implements ResumableExtractor.ChunkFeed {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<Integer, ByteBuffer> ready = new HashMap<>();
  private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
  private final int window;
  private final int bufferSize;
  private int allocated;
  private int released;
  private int nextToHash;
  private RuntimeException failure;

  /**
   * @param first first chunk to be fetched
   * @param window most chunks buffered or in flight at once (at least 2)
   * @param bufferSize size of a chunk buffer (the largest uncompressed chunk)
   */
  ChunkQueue(int first, int window, int bufferSize) {
    this.released = first;
    this.nextToHash = first;
    this.window = Math.max(2, window);
    this.bufferSize = bufferSize;
  }

  /** Blocks until chunk {@code index} may be fetched. */
  void admit(int index) throws InterruptedException {
    lock.lock();
    try {
      while (failure == null && index >= released + window) {
        changed.await();
      }
      check();
    } finally {
      lock.unlock();
    }
  }

  /**
   * A buffer for an admitted chunk (never blocks for long: see the class comment). Buffers are
   * direct: the extractor writes file data from them without the JDK's intermediate copy.
   */
  ByteBuffer acquire() throws InterruptedException {
    lock.lock();
    try {
      while (failure == null && free.isEmpty() && allocated >= window) {
        changed.await();
      }
      check();
      if (!free.isEmpty()) {
        return free.pop();
      }
      allocated++;
    } finally {
      lock.unlock();
    }
    return ByteBuffer.allocateDirect(bufferSize);
  }

  /** Blocks until every chunk before {@code index} has been hashed. */
  void awaitHashTurn(int index) throws InterruptedException {
    lock.lock();
    try {
      while (failure == null && nextToHash != index) {
        changed.await();
      }
      check();
    } finally {
      lock.unlock();
    }
  }

  /** Chunk {@code index} has been hashed. */
  void hashed(int index) {
    lock.lock();
    try {
      nextToHash = index + 1;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Chunk {@code index} is decompressed into {@code buffer}. */
  void put(int index, ByteBuffer buffer) {
    lock.lock();
    try {
      ready.put(index, buffer);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>A chunk already verified and decompressed is handed out even after a failure, so that the
   * extractor applies (and the journal saves) everything that arrived before it.
   */
  @Override
  public ByteBuffer take(int index) throws InterruptedException {
    lock.lock();
    try {
      while (failure == null && !ready.containsKey(index)) {
        changed.await();
      }
      ByteBuffer b = ready.remove(index);
      if (b != null) {
        return b;
      }
      check();
      return null;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void release(int index, ByteBuffer buffer) {
    lock.lock();
    try {
      free.push(buffer);
      released = Math.max(released, index + 1);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Records the first failure and wakes everybody. */
  void fail(RuntimeException e) {
    lock.lock();
    try {
      if (failure == null) {
        failure = e;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void check() {
    if (failure != null) {
      throw failure;
    }
  }
}
