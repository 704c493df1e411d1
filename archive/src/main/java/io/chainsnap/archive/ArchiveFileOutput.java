package io.chainsnap.archive;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jboss.logging.Logger;

/**
 * The archive file as the pipeline's output channel, written with direct I/O ({@code O_DIRECT})
 * when the file system takes it, through the page cache otherwise.
 *
 * <p>Why direct I/O: an archive is written once, forced to disk, and not read back by this process.
 * Through the page cache every compressed byte is copied by the kernel into freshly allocated cache
 * pages and written back later by kernel threads, a measurable share of {@code create}'s CPU
 * ({@code bench/README.md}), and the write-back competes with the compressors for the same cores.
 * With direct I/O the bytes go from one aligned {@value #STAGE}-byte staging buffer to the device;
 * the staging copy is a memory copy in user space of data that is still in cache. The last partial
 * block is padded to the alignment and the file truncated to its exact length.
 *
 * <p>Falls back to ordinary writes, without failing the archive, when the file system refuses
 * {@code O_DIRECT} at open (tmpfs on older kernels, some FUSE and network file systems) or at the
 * first write (alignment it does not accept). Buffered output is synced every {@value #SYNC_EVERY}
 * bytes so that the final force has little left to write.
 */
final class ArchiveFileOutput implements WritableByteChannel {

  private static final Logger LOG = Logger.getLogger(ArchiveFileOutput.class);

  /** Staging buffer of the direct path; also the size of each direct write. */
  static final int STAGE = 4 << 20;

  /** Alignment used when the file store reports a smaller block size. */
  private static final int MIN_ALIGN = 4096;

  /** Largest alignment accepted (a larger block size makes the output buffered). */
  private static final int MAX_ALIGN = 64 << 10;

  /** Buffered output is synced (fdatasync) every this many bytes. */
  private static final long SYNC_EVERY = 64L << 20;

  private final Path file;
  private FileChannel channel;
  private boolean direct;
  private final int align;
  private final ByteBuffer stage;
  private long position;
  private long synced;
  private boolean failDirectWritesForTest;

  private ArchiveFileOutput(Path file, FileChannel channel, boolean direct, int align) {
    this.file = file;
    this.channel = channel;
    this.direct = direct;
    this.align = align;
    this.stage =
        direct ? ByteBuffer.allocateDirect(STAGE + align).alignedSlice(align).limit(STAGE) : null;
  }

  /** Direct memory one output holds at most (its staging buffer and alignment slack). */
  static long maxBufferBytes() {
    return STAGE + MAX_ALIGN;
  }

  /**
   * Creates or truncates {@code file}.
   *
   * @param file the archive file
   * @param directIo try {@code O_DIRECT} first
   */
  static ArchiveFileOutput open(Path file, boolean directIo) throws IOException {
    if (directIo) {
      int align = alignment(file);
      if (align > 0) {
        try {
          FileChannel channel = FileChannel.open(file, options(true));
          return new ArchiveFileOutput(file, channel, true, align);
        } catch (IOException | UnsupportedOperationException e) {
          LOG.debugf("direct I/O refused for %s (%s); writing through the page cache", file, e);
        }
      }
    }
    return new ArchiveFileOutput(file, FileChannel.open(file, options(false)), false, 0);
  }

  /** Whether bytes currently go out with direct I/O. */
  boolean direct() {
    return direct;
  }

  /** Test hook: the next direct write fails as a file system refusing the alignment would. */
  void failDirectWritesForTest() {
    this.failDirectWritesForTest = true;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    int n = src.remaining();
    while (direct && src.hasRemaining()) {
      int take = Math.min(src.remaining(), stage.remaining());
      stage.put(src.slice(src.position(), take));
      src.position(src.position() + take);
      if (!stage.hasRemaining()) {
        flushStage(); // empties the stage, whichever way it went out
      }
    }
    if (src.hasRemaining()) { // buffered from the start, or since a direct write was refused
      while (src.hasRemaining()) {
        position += channel.write(src, position);
      }
      if (position - synced >= SYNC_EVERY) {
        // start the write-back now, on the output thread, while the compressors go on
        channel.force(false);
        synced = position;
      }
    }
    return n;
  }

  /**
   * Writes what is staged, pads the direct path's last block and cuts the file to its exact length,
   * then forces data and metadata to the device.
   */
  void finish() throws IOException {
    if (direct && stage.position() > 0) {
      long exact = position + stage.position();
      int padded = (stage.position() + align - 1) / align * align;
      while (stage.position() < padded) {
        stage.put((byte) 0);
      }
      flushStage();
      channel.truncate(exact); // the padding goes, whichever way it was written
      position = exact;
    }
    channel.force(true);
  }

  @Override
  public boolean isOpen() {
    return channel.isOpen();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private void flushStage() throws IOException {
    stage.flip();
    long at = position;
    try {
      if (failDirectWritesForTest) {
        throw new IOException("Invalid argument (test)");
      }
      while (stage.hasRemaining()) {
        at += channel.write(stage, at);
      }
    } catch (IOException e) {
      // some file systems accept O_DIRECT at open but not these writes: go on through the cache,
      // rewriting this stage from its start (positional writes: nothing is written twice)
      LOG.warnf("direct write to %s failed (%s); continuing through the page cache", file, e);
      channel.close();
      channel = FileChannel.open(file, StandardOpenOption.WRITE);
      direct = false;
      stage.rewind();
      at = position;
      while (stage.hasRemaining()) {
        at += channel.write(stage, at);
      }
    }
    position = at;
    stage.clear().limit(STAGE);
  }

  private static OpenOption[] options(boolean direct) {
    return direct
        ? new OpenOption[] {
          StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE,
          ExtendedOpenOption.DIRECT
        }
        : new OpenOption[] {
          StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE
        };
  }

  /** The alignment direct writes need there, or 0 if it cannot be known or is unusual. */
  private static int alignment(Path file) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      long block = Files.getFileStore(dir).getBlockSize();
      if (block <= 0 || block > MAX_ALIGN || Long.bitCount(block) != 1) {
        return 0;
      }
      return (int) Math.max(block, MIN_ALIGN);
    } catch (IOException | UnsupportedOperationException e) {
      return 0;
    }
  }
}
