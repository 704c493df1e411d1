package io.chainsnap.archive;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import io.chainsnap.domain.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The writer's pipeline. The calling thread cuts the tar stream into chunks of fixed size, but it
 * only plans them: a chunk is a list of segments (header and padding bytes, a range of a file).
 * {@code workers} threads each take a planned chunk, read its file ranges themselves through a
 * small reusable buffer, feed them to a zstd stream with the chunk's exact size pledged (so the
 * frame carries its content size, and a checksum), and hash the frame as it comes out. One output
 * thread writes the frames in chunk order and hashes the whole file.
 *
 * <p>Why plans rather than filled chunk buffers: copying 64 MiB of file data into a buffer much
 * larger than the CPU caches, then having zstd read it back from memory, costs about three passes
 * over main memory per byte, one of them in the kernel's copy from the page cache. Read in {@value
 * #READ_BUFFER} pieces, the bytes go from the page cache to zstd while they are still in cache, the
 * reading is spread over the workers, and no uncompressed chunk is ever held in memory (the
 * figures: {@code docs/architecture.md}, "Changed on purpose", and {@code bench/README.md}).
 *
 * <p>Memory is bounded whatever the data size: at most {@code workers + 1} chunks are in flight
 * (planned, being compressed or waiting to be written; a semaphore blocks the planner), so at most
 * {@code workers + 1} frame buffers (zstd's compress bound of a chunk) are ever allocated, plus one
 * read buffer and one zstd stream per worker; buffers are recycled. They are direct (off-heap):
 * files are read straight into them and a file channel writes frames from them without the JDK's
 * intermediate copy. Output goes out in slices of {@value #IO_SLICE} bytes so that the kernel
 * copies from memory still in cache.
 *
 * <p>Each file range is checked after it is read: the file must still have the size and
 * modification time it was listed with, whichever worker reads which part of it.
 */
final class ChunkPipeline implements AutoCloseable {

  /** Output is written in slices of this size (cache-friendly copies into the page cache). */
  private static final int IO_SLICE = 1 << 20;

  /** Each worker reads file data and feeds zstd through a buffer of this size. */
  static final int READ_BUFFER = 256 << 10;

  /**
   * Zero bytes go out in pieces of this size (tar padding and the end-of-archive blocks fit in
   * one).
   */
  private static final byte[] ZEROS = new byte[1 << 10];

  /** Header bytes and padding are kept in one inline segment up to this size. */
  private static final int MAX_INLINE = 64 << 10;

  private static final Future<Frame> END = CompletableFuture.completedFuture(null);

  /** A part of a chunk's tar bytes. */
  private sealed interface Segment permits Inline, FileRange {}

  /** Bytes given by the caller (tar headers). */
  private record Inline(byte[] bytes) implements Segment {}

  /** A range of a source file, with what the file looked like when it was listed. */
  private record FileRange(
      Path file, String entry, long position, int length, long fileSize, FileTime mtime)
      implements Segment {}

  /** A chunk on its way: planned, then compressed. */
  private static final class Frame {
    final int index;
    final List<Segment> segments;
    final int rawLength;
    ByteBuffer compressed;
    int compressedLength;
    String sha256;

    Frame(int index, List<Segment> segments, int rawLength) {
      this.index = index;
      this.segments = segments;
      this.rawLength = rawLength;
    }
  }

  /** What one compression thread keeps between chunks. */
  private static final class Worker {
    final ZstdCompressCtx ctx = new ZstdCompressCtx();
    final ByteBuffer buffer = ByteBuffer.allocateDirect(READ_BUFFER);
    final MessageDigest sha = Sha256.newDigest();
  }

  /** What the pipeline produced. */
  record Result(List<ChunkInfo> chunks, long tarBytes, long compressedSize, String sha256) {}

  private final WritableByteChannel out;
  private final int chunkSize;
  private final ZstdSettings zstd;
  private final int frameBound;
  private final ProgressListener progress;
  private final LongSupplier expectedTotal;
  private final Semaphore inFlight;
  private final int maxInFlight;
  private final ConcurrentLinkedQueue<ByteBuffer> framePool = new ConcurrentLinkedQueue<>();
  private final AtomicInteger frameAllocated = new AtomicInteger();
  private final BlockingQueue<Worker> idleWorkers;
  private final List<Worker> allWorkers = new ArrayList<>();
  private final ExecutorService compressors;
  private final LinkedBlockingQueue<Future<Frame>> ordered = new LinkedBlockingQueue<>();
  private final Thread output;
  private final List<ChunkInfo> chunks = new ArrayList<>();
  private final MessageDigest whole = Sha256.newDigest();
  private volatile Throwable failure;
  private volatile boolean aborted;
  private long written;
  private long writtenRaw;

  // the chunk being planned (producer thread only)
  private List<Segment> segments;
  private int currentLength;
  private final ByteArrayOutputStream inline = new ByteArrayOutputStream();
  private int nextIndex;
  private long produced;
  private boolean finished;

  ChunkPipeline(
      WritableByteChannel out,
      int chunkSize,
      ZstdSettings zstd,
      int workers,
      ProgressListener progress,
      LongSupplier expectedTotal) {
    this.out = out;
    this.chunkSize = chunkSize;
    this.zstd = zstd;
    this.frameBound = Math.toIntExact(Zstd.compressBound(chunkSize));
    this.progress = progress;
    this.expectedTotal = expectedTotal;
    this.maxInFlight = workers + 1;
    this.inFlight = new Semaphore(maxInFlight);
    this.idleWorkers = new ArrayBlockingQueue<>(workers);
    for (int i = 0; i < workers; i++) {
      Worker w = new Worker();
      allWorkers.add(w);
      idleWorkers.add(w);
    }
    AtomicInteger threadNo = new AtomicInteger();
    this.compressors =
        Executors.newFixedThreadPool(
            workers,
            r -> {
              Thread t = new Thread(r, "chainsnap-zstd-" + threadNo.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.output = new Thread(this::drain, "chainsnap-archive-out");
    this.output.setDaemon(true);
    this.output.start();
  }

  /** Direct memory one pipeline allocates at most, whatever the data size. */
  static long maxBufferBytes(int chunkSize, int workers) {
    return (long) (workers + 1) * Zstd.compressBound(chunkSize) + (long) workers * READ_BUFFER;
  }

  /** Chunks that may be in flight at once. */
  int maxInFlight() {
    return maxInFlight;
  }

  /** Frame buffers allocated so far (never more than {@link #maxInFlight()}). */
  int frameBuffersAllocated() {
    return frameAllocated.get();
  }

  /** Appends bytes to the tar stream (copied: the caller may reuse the array). */
  void write(byte[] b, int off, int len) {
    while (len > 0) {
      ensureChunk();
      int n = Math.min(len, chunkSize - currentLength);
      addInline(b, off, n);
      off += n;
      len -= n;
      if (currentLength == chunkSize) {
        emit();
      }
    }
  }

  /** Appends zero bytes to the tar stream. */
  void writeZeros(long len) {
    while (len > 0) {
      int n = (int) Math.min(len, ZEROS.length);
      write(ZEROS, 0, n);
      len -= n;
    }
  }

  /**
   * Appends exactly {@code size} bytes of a file. They are read later, by the worker that
   * compresses each chunk; the file must keep its size and modification time until then.
   *
   * @param file the file (opened without following symbolic links)
   * @param size its size when listed
   * @param mtime its modification time when listed
   * @param entry its path in the archive, for error messages
   */
  void copyFile(Path file, long size, FileTime mtime, String entry) {
    long position = 0;
    while (position < size) {
      ensureChunk();
      int n = (int) Math.min(size - position, chunkSize - currentLength);
      flushInline();
      segments.add(new FileRange(file, entry, position, n, size, mtime));
      currentLength += n;
      position += n;
      if (currentLength == chunkSize) {
        emit();
      }
    }
  }

  /**
   * Flushes the last chunk and waits until every frame is written.
   *
   * @return chunk index, sizes and whole-file hash
   */
  Result finish() {
    if (segments != null && currentLength > 0) {
      emit();
    }
    finished = true;
    ordered.add(END);
    try {
      output.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ArchiveException(
          ArchiveException.Kind.IO, "interrupted while writing the archive", e);
    }
    checkFailure();
    return new Result(List.copyOf(chunks), produced, written, Sha256.toHex(whole));
  }

  /** Stops every thread and frees native contexts; after a failure, abandons pending chunks. */
  @Override
  public void close() {
    if (!finished) {
      aborted = true;
      ordered.add(END);
    }
    for (Runnable pending : compressors.shutdownNow()) {
      if (pending instanceof Future<?> f) {
        f.cancel(false); // wakes the output thread if it waits on a chunk that will never run
      }
    }
    boolean interrupted = false;
    while (true) {
      try {
        output.join();
        compressors.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    for (Worker w : allWorkers) {
      w.ctx.close();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void addInline(byte[] b, int off, int n) {
    if (inline.size() + n > MAX_INLINE) {
      flushInline();
    }
    inline.write(b, off, n);
    currentLength += n;
  }

  private void flushInline() {
    if (inline.size() > 0) {
      segments.add(new Inline(inline.toByteArray()));
      inline.reset();
    }
  }

  private void ensureChunk() {
    if (segments != null) {
      return;
    }
    try {
      inFlight.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ArchiveException(
          ArchiveException.Kind.IO, "interrupted while writing the archive", e);
    }
    checkFailure();
    segments = new ArrayList<>();
    currentLength = 0;
  }

  private void emit() {
    flushInline();
    Frame frame = new Frame(nextIndex++, segments, currentLength);
    produced += currentLength;
    segments = null;
    currentLength = 0;
    ordered.add(compressors.submit(() -> compress(frame)));
  }

  private Frame compress(Frame frame) throws InterruptedException, IOException {
    ByteBuffer dst = framePool.poll();
    if (dst == null) {
      dst = ByteBuffer.allocateDirect(frameBound);
      frameAllocated.incrementAndGet();
    }
    dst.clear();
    Worker w = idleWorkers.take();
    try {
      ZstdCompressCtx ctx = w.ctx;
      ctx.reset(); // a fresh frame: session and parameters
      zstd.applyTo(ctx);
      ctx.setChecksum(true);
      ctx.setContentSize(true);
      ctx.setPledgedSrcSize(frame.rawLength);
      w.sha.reset();
      ByteBuffer buf = w.buffer;
      buf.clear();
      for (Segment segment : frame.segments) {
        if (segment instanceof Inline in) {
          int off = 0;
          while (off < in.bytes().length) {
            if (!buf.hasRemaining()) {
              feed(w, dst, EndDirective.CONTINUE);
            }
            int n = Math.min(buf.remaining(), in.bytes().length - off);
            buf.put(in.bytes(), off, n);
            off += n;
          }
        } else {
          readRange(w, dst, (FileRange) segment);
        }
      }
      feed(w, dst, EndDirective.END);
      frame.compressed = dst;
      frame.compressedLength = dst.position();
      frame.sha256 = Sha256.toHex(w.sha);
      return frame;
    } catch (RuntimeException | IOException e) {
      framePool.add(dst);
      throw e;
    } finally {
      idleWorkers.add(w);
    }
  }

  /** Reads a file range through the worker's buffer into its zstd stream, then checks the file. */
  private void readRange(Worker w, ByteBuffer dst, FileRange r) throws IOException {
    ByteBuffer buf = w.buffer;
    try (FileChannel channel =
        FileChannel.open(r.file(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      long position = r.position();
      long end = r.position() + r.length();
      while (position < end) {
        if (!buf.hasRemaining()) {
          feed(w, dst, EndDirective.CONTINUE);
        }
        int want = (int) Math.min(buf.remaining(), end - position);
        int limit = buf.limit();
        buf.limit(buf.position() + want);
        int n = channel.read(buf, position);
        buf.limit(limit);
        if (n < 0) {
          throw new ArchiveException(
              ArchiveException.Kind.SOURCE,
              "source file "
                  + r.entry()
                  + " shrank while being read: listed with "
                  + r.fileSize()
                  + " bytes, ended after "
                  + position
                  + " (archive only quiesced data directories)",
              r.entry(),
              -1,
              null);
        }
        position += n;
      }
      long sizeAfter = channel.size();
      FileTime mtimeAfter = Files.getLastModifiedTime(r.file(), LinkOption.NOFOLLOW_LINKS);
      if (sizeAfter != r.fileSize() || !mtimeAfter.equals(r.mtime())) {
        throw new ArchiveException(
            ArchiveException.Kind.SOURCE,
            "source file "
                + r.entry()
                + " changed while being archived (size "
                + r.fileSize()
                + " -> "
                + sizeAfter
                + ", mtime "
                + r.mtime()
                + " -> "
                + mtimeAfter
                + "); archive only quiesced data directories",
            r.entry(),
            -1,
            null);
      }
    } catch (ArchiveException e) {
      throw e;
    } catch (IOException e) {
      throw new ArchiveException(
          ArchiveException.Kind.SOURCE,
          "cannot read source file " + r.entry() + ": " + e,
          r.entry(),
          -1,
          e);
    }
  }

  /**
   * Hands the worker's buffered bytes to its zstd stream ({@code END}: and ends the frame), hashing
   * the compressed bytes as they come out, while they are still in cache.
   */
  private static void feed(Worker w, ByteBuffer dst, EndDirective directive) {
    ByteBuffer buf = w.buffer;
    buf.flip();
    while (true) {
      int before = dst.position();
      boolean done = w.ctx.compressDirectByteBufferStream(dst, buf, directive);
      int after = dst.position();
      if (after > before) {
        w.sha.update(dst.slice(before, after - before));
      }
      if (directive == EndDirective.END ? done : !buf.hasRemaining()) {
        break;
      }
      if (!dst.hasRemaining()) {
        // cannot happen: a frame never exceeds zstd's compress bound of its content
        throw new IllegalStateException("zstd frame exceeds its compress bound");
      }
    }
    buf.clear();
  }

  /** Output thread: writes frames in chunk order. */
  private void drain() {
    try {
      while (true) {
        Future<Frame> next = ordered.take();
        if (next == END || aborted) {
          return;
        }
        Frame frame = next.get();
        for (int pos = 0; pos < frame.compressedLength; pos += IO_SLICE) {
          int len = Math.min(IO_SLICE, frame.compressedLength - pos);
          ByteBuffer slice = frame.compressed.slice(pos, len);
          whole.update(slice.duplicate());
          while (slice.hasRemaining()) {
            out.write(slice);
          }
        }
        chunks.add(
            new ChunkInfo(
                frame.index, written, frame.compressedLength, frame.rawLength, frame.sha256));
        written += frame.compressedLength;
        writtenRaw += frame.rawLength;
        framePool.add(frame.compressed);
        // -1 while the source is still being listed (a big tree with small chunks); always known
        // by the last chunk, which is planned only after the listing ended
        progress.onProgress(writtenRaw, expectedTotal.getAsLong());
        // after the report: a listener sees chunk i written before chunk i + maxInFlight is planned
        inFlight.release();
      }
    } catch (ExecutionException e) {
      fail(e.getCause());
    } catch (InterruptedException | CancellationException e) {
      fail(e);
    } catch (Throwable e) {
      fail(e);
    }
  }

  private void fail(Throwable e) {
    failure = e;
    inFlight.release(Integer.MAX_VALUE / 2); // unblock the producer so it sees the failure
  }

  private void checkFailure() {
    Throwable f = failure;
    if (f == null) {
      return;
    }
    if (f instanceof ArchiveException ae) {
      throw ae;
    }
    if (f instanceof IOException) {
      throw new ArchiveException(ArchiveException.Kind.IO, "writing the archive failed: " + f, f);
    }
    throw new ArchiveException(ArchiveException.Kind.IO, "compressing the archive failed: " + f, f);
  }
}
