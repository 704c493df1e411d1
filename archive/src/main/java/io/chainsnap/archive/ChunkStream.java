package io.chainsnap.archive;

import com.github.luben.zstd.ZstdDecompressCtx;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The uncompressed tar stream of an archive, produced by a background thread that reads each chunk,
 * checks its hash, then decompresses it, so decompression overlaps the writing of files.
 *
 * <p>Two chunk buffers circulate between the threads (one being consumed, one being filled), plus
 * one frame buffer: memory is about three chunks whatever the archive size. The end of the stream
 * is reported only after the trailing-bytes and whole-file hash checks passed.
 */
final class ChunkStream extends TarInput {

  private static final int BUFFERS = 2;
  private static final Object END = new Object();

  private record Failure(RuntimeException error) {}

  private final ArchiveManifest manifest;
  private final BlockingQueue<Object> ready = new ArrayBlockingQueue<>(BUFFERS + 1);
  private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(BUFFERS);
  private final Thread thread;
  private volatile boolean cancelled;
  private boolean finished;

  ChunkStream(InputStream in, ArchiveManifest manifest, ProgressListener progress) {
    super(manifest, 0, null);
    this.manifest = manifest;
    int size =
        manifest.chunks().size() == 1
            ? manifest.chunks().get(0).uncompressedLength()
            : manifest.chunkSize();
    for (int i = 0; i < BUFFERS; i++) {
      free.add(ByteBuffer.allocateDirect(size));
    }
    this.thread = new Thread(() -> produce(in, progress), "chainsnap-archive-decompress");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  @Override
  protected Chunk take() {
    if (finished) {
      return null;
    }
    Object next;
    try {
      next = ready.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ArchiveException(ArchiveException.Kind.IO, "interrupted while extracting", e);
    }
    if (next == END) {
      finished = true;
      return null;
    }
    if (next instanceof Failure f) {
      finished = true;
      throw f.error();
    }
    return (Chunk) next;
  }

  @Override
  protected void release(Chunk chunk) {
    free.offer(chunk.data());
  }

  /**
   * Stops the reading thread (if still running) and waits for it. The thread is not interrupted
   * (that would close an interruptible channel of the caller's stream): it is handed its buffers
   * back and stops before reading the next chunk.
   */
  @Override
  public void close() {
    cancelled = true;
    releaseCurrent();
    finished = true;
    boolean interrupted = false;
    while (thread.isAlive()) {
      Object pending;
      while ((pending = ready.poll()) != null) {
        if (pending instanceof Chunk c) {
          free.offer(c.data());
        }
      }
      try {
        thread.join(50);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void produce(InputStream in, ProgressListener progress) {
    try (ZstdDecompressCtx ctx = new ZstdDecompressCtx()) {
      ChunkInput input = new ChunkInput(in, manifest, progress);
      byte[] frame = new byte[ChunkInput.maxCompressedLength(manifest)];
      while (input.hasNext()) {
        if (cancelled) {
          return;
        }
        ChunkInfo chunk = input.next(frame); // hash checked before decompression
        ByteBuffer out = free.take();
        if (cancelled) {
          return;
        }
        ArchiveChunks.decompress(ctx, chunk, frame, 0, (int) chunk.compressedLength(), out);
        ready.put(new Chunk(chunk.index(), out, chunk.uncompressedLength()));
      }
      input.finish();
      ready.put(END);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      offerFailure(
          new ArchiveException(ArchiveException.Kind.IO, "archive reading thread interrupted", e));
    } catch (ArchiveException e) {
      offerFailure(e);
    } catch (RuntimeException | Error e) {
      offerFailure(
          new ArchiveException(ArchiveException.Kind.IO, "reading the archive failed: " + e, e));
    }
  }

  private void offerFailure(RuntimeException e) {
    if (cancelled) {
      return;
    }
    ready.offer(new Failure(e)); // never full: at most BUFFERS chunks are queued
  }
}
