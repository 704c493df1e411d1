package io.chainsnap.archive.restore;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A {@link RangeSource} on a local file (a downloaded archive, a mounted bucket). Positional reads
 * on one channel, safe from several threads; never interrupted (an interrupt would close the
 * channel for every reader).
 */
public final class FileRangeSource implements RangeSource {

  private static final int SLICE = 1 << 20;

  private final Path file;
  private final FileChannel channel;

  private FileRangeSource(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /**
   * Opens a file for reading.
   *
   * @throws SourceNotFoundException if it does not exist
   * @throws IOException if it cannot be opened or is not a regular file
   */
  public static FileRangeSource open(Path file) throws IOException {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new SourceNotFoundException("no such file: " + file);
    }
    if (!attrs.isRegularFile()) {
      // a device, FIFO or directory: endless, blocking or not an archive
      throw new IOException(file + " is not a regular file (a device, FIFO or directory)");
    }
    try {
      return new FileRangeSource(file, FileChannel.open(file, StandardOpenOption.READ));
    } catch (NoSuchFileException e) {
      throw new SourceNotFoundException("no such file: " + file);
    } catch (AccessDeniedException e) {
      throw new IOException(file + ": permission denied", e);
    }
  }

  @Override
  public long size() throws IOException {
    return channel.size();
  }

  @Override
  public void read(long offset, byte[] buffer, int bufferOffset, int length, Transfer transfer)
      throws IOException {
    int done = 0;
    while (done < length) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedIOException("interrupted");
      }
      ByteBuffer dst = ByteBuffer.wrap(buffer, bufferOffset + done, Math.min(SLICE, length - done));
      int n = channel.read(dst, offset + done);
      if (n < 0) {
        throw new EOFException(
            file + " ends at byte " + (offset + done) + ", expected " + (offset + length));
      }
      done += n;
      transfer.arrived(n);
    }
  }

  @Override
  public String describe() {
    return file.toString();
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
