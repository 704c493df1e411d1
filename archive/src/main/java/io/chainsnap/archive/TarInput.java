package io.chainsnap.archive;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The uncompressed tar stream as the extractor reads it: a sequence of decompressed chunks, served
 * as slices or copied out, with the stream position and the chunk of any offset.
 *
 * <p>Two extras serve resumable extraction. A <b>prefix</b> (the bytes of a header that straddled
 * the chunk boundary a previous run stopped at) is served before the first chunk. While
 * <b>recording</b>, every byte consumed is also kept, so that such a prefix can be saved. A
 * <b>boundary listener</b> is told each time a chunk has been consumed completely and the reader
 * asks for more, which is the moment the extractor's state describes exactly "chunks 0..i applied".
 */
abstract class TarInput implements AutoCloseable {

  /** Called when chunk {@code index} has been consumed entirely, before the next is taken. */
  @FunctionalInterface
  interface BoundaryListener {
    void chunkConsumed(int index);
  }

  /**
   * One decompressed chunk: bytes {@code [0 .. length)} of {@code data} (absolute indexes; its
   * position and limit are not used) are its tar bytes. Direct buffers go to files without a copy.
   */
  record Chunk(int index, ByteBuffer data, int length) {}

  /** Largest amount of bytes a recording may hold (a pax header and two header blocks). */
  static final int MAX_RECORDING = (1 << 20) + 4 * TarEncoder.BLOCK;

  private final ArchiveManifest manifest;
  private Chunk current;
  private int currentPos;
  private long position;
  private boolean ended;
  private byte[] prefix;
  private int prefixPos;
  private byte[] recording;
  private int recorded;
  private boolean recordingOn;
  private BoundaryListener boundary;

  /**
   * @param manifest the archive's manifest
   * @param startPosition tar offset of the first byte served (of the prefix if any)
   * @param prefix bytes served before the first chunk, or {@code null}
   */
  TarInput(ArchiveManifest manifest, long startPosition, byte[] prefix) {
    this.manifest = manifest;
    this.position = startPosition;
    this.prefix = prefix == null || prefix.length == 0 ? null : prefix;
  }

  /** Takes the next chunk in order, blocking; {@code null} once every chunk was served. */
  protected abstract Chunk take();

  /** Gives back a chunk's buffer once consumed. */
  protected abstract void release(Chunk chunk);

  /** Stops whatever produces chunks. */
  @Override
  public abstract void close();

  final void boundaryListener(BoundaryListener listener) {
    this.boundary = listener;
  }

  final ArchiveManifest manifest() {
    return manifest;
  }

  /** Bytes of tar stream consumed so far (counting from the start of the stream). */
  final long position() {
    return position;
  }

  /** Index of the chunk holding the tar byte at {@code tarOffset}. */
  final int chunkAt(long tarOffset) {
    long index = tarOffset / manifest.chunkSize();
    return (int) Math.min(index, manifest.chunks().size() - 1);
  }

  /** Starts keeping every consumed byte (dropping what was kept before). */
  final void startRecording() {
    recordingOn = true;
    recorded = 0;
  }

  /** Stops keeping consumed bytes. */
  final void stopRecording() {
    recordingOn = false;
    recorded = 0;
  }

  /** Whether consumed bytes are being kept. */
  final boolean recording() {
    return recordingOn;
  }

  /** A copy of the bytes kept since {@link #startRecording()}. */
  final byte[] recorded() {
    return recording == null ? new byte[0] : Arrays.copyOf(recording, recorded);
  }

  /**
   * Returns up to {@code max} next bytes as a view of a buffer, valid until the next call.
   *
   * @return a non-empty buffer, or {@code null} at the end of the stream
   * @throws ArchiveException a failure of whatever produces the chunks
   */
  final ByteBuffer slice(int max) {
    if (prefix != null) {
      int n = Math.min(max, prefix.length - prefixPos);
      ByteBuffer view = ByteBuffer.wrap(prefix, prefixPos, n);
      record(prefix, prefixPos, n);
      consumePrefix(n);
      return view;
    }
    if (!advance()) {
      return null;
    }
    int n = Math.min(max, current.length() - currentPos);
    ByteBuffer view = current.data().slice(currentPos, n);
    if (recordingOn) {
      byte[] copy = new byte[n];
      current.data().get(currentPos, copy, 0, n);
      record(copy, 0, n);
    }
    currentPos += n;
    position += n;
    return view;
  }

  /**
   * Reads exactly {@code len} bytes, or fewer only at the end of the stream.
   *
   * @return the number of bytes read
   */
  final int readFully(byte[] b, int off, int len) {
    int done = 0;
    while (done < len) {
      ByteBuffer s = slice(len - done);
      if (s == null) {
        break;
      }
      int n = s.remaining();
      s.get(b, off + done, n);
      done += n;
    }
    return done;
  }

  private void consumePrefix(int n) {
    prefixPos += n;
    position += n;
    if (prefixPos == prefix.length) {
      prefix = null;
    }
  }

  private void record(byte[] b, int off, int n) {
    if (!recordingOn) {
      return;
    }
    if (recording == null || recorded + n > recording.length) {
      int needed = recorded + n;
      if (needed > MAX_RECORDING) {
        // cannot happen for valid input: the extractor refuses larger headers first
        throw new ArchiveException(
            ArchiveException.Kind.CORRUPT,
            "tar header of more than " + MAX_RECORDING + " bytes at tar offset " + position);
      }
      recording =
          Arrays.copyOf(
              recording == null ? new byte[0] : recording,
              Math.min(MAX_RECORDING, Math.max(needed, 2 * recorded + TarEncoder.BLOCK)));
    }
    System.arraycopy(b, off, recording, recorded, n);
    recorded += n;
  }

  private boolean advance() {
    if (ended) {
      return false;
    }
    if (current != null && currentPos < current.length()) {
      return true;
    }
    if (current != null) {
      Chunk done = current;
      current = null;
      release(done);
      if (boundary != null) {
        boundary.chunkConsumed(done.index());
      }
    }
    Chunk next = take();
    if (next == null) {
      ended = true;
      return false;
    }
    current = next;
    currentPos = 0;
    return current.length() > 0 || advance();
  }

  /** Gives back the buffer of the chunk being consumed, if any (for {@link #close()}). */
  final void releaseCurrent() {
    if (current != null) {
      release(current);
      current = null;
    }
    ended = true;
  }
}
