package io.chainsnap.archive;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import io.chainsnap.domain.Sha256;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.IntUnaryOperator;

/**
 * Checks and decodes single chunks. The restore engine uses it to verify a ranged fetch before
 * keeping it (a verified chunk never needs fetching again); {@link ArchiveReader} uses the same
 * checks.
 */
public final class ArchiveChunks {

  private static final int ZSTD_MAGIC = 0xFD2FB528;

  private ArchiveChunks() {}

  /**
   * Checks that {@code length} bytes at {@code offset} are exactly the chunk's frame: right length
   * and SHA-256. Call it before decompressing anything.
   *
   * @param chunk the chunk's index entry
   * @param data buffer holding the fetched bytes
   * @param offset start of the bytes in {@code data}
   * @param length number of fetched bytes
   * @throws ArchiveException ({@code CORRUPT}) naming the chunk when length or hash differ
   */
  public static void verify(ChunkInfo chunk, byte[] data, int offset, int length) {
    if (length != chunk.compressedLength()) {
      throw new ArchiveException(
          ArchiveException.Kind.CORRUPT,
          "chunk "
              + chunk.index()
              + ": got "
              + length
              + " bytes, the manifest says "
              + chunk.compressedLength(),
          null,
          chunk.index(),
          null);
    }
    MessageDigest sha = Sha256.newDigest();
    sha.update(data, offset, length);
    checkHash(chunk, sha.digest());
  }

  /**
   * Verifies a chunk's frame (as {@link #verify}) and decompresses it.
   *
   * @param chunk the chunk's index entry
   * @param frame buffer holding the frame
   * @param offset start of the frame in {@code frame}
   * @param length length of the frame
   * @return the chunk's {@code uncompressedLength} bytes of tar stream
   * @throws ArchiveException ({@code CORRUPT}) on a hash mismatch, a frame that is not a single
   *     zstd frame with content size and checksum, or one that expands to another size than the
   *     manifest declares (a decompression bomb)
   */
  public static byte[] decompress(ChunkInfo chunk, byte[] frame, int offset, int length) {
    verify(chunk, frame, offset, length);
    byte[] out = new byte[chunk.uncompressedLength()];
    try (ZstdDecompressCtx ctx = new ZstdDecompressCtx()) {
      decompress(ctx, chunk, frame, offset, length, out);
    }
    return out;
  }

  /**
   * Decompresses a frame that already passed {@link #verify} (this method does not hash it again)
   * into {@code out}, a direct buffer (off-heap, written to files without a copy) or one backed by
   * an array: checks the frame header (single frame, checksum flag, declared content size equal to
   * the manifest's) and that it expands to exactly {@code uncompressedLength} bytes, which land at
   * absolute index 0 of {@code out} (its position and limit are not used).
   *
   * @param chunk the chunk's index entry
   * @param frame buffer holding the verified frame
   * @param offset start of the frame in {@code frame}
   * @param length length of the frame
   * @param out destination, at least {@code uncompressedLength} bytes
   * @throws ArchiveException ({@code CORRUPT}) for a bad frame or a decompression bomb
   */
  public static void decompressVerified(
      ChunkInfo chunk, byte[] frame, int offset, int length, ByteBuffer out) {
    if (out.capacity() < chunk.uncompressedLength()) {
      throw new IllegalArgumentException(
          "buffer of " + out.capacity() + " bytes for chunk of " + chunk.uncompressedLength());
    }
    try (ZstdDecompressCtx ctx = new ZstdDecompressCtx()) {
      decompress(ctx, chunk, frame, offset, length, out);
    }
  }

  /** Compares a computed digest with the chunk's. */
  static void checkHash(ChunkInfo chunk, byte[] digest) {
    String actual = HexFormat.of().formatHex(digest);
    if (!actual.equals(chunk.sha256())) {
      throw new ArchiveException(
          ArchiveException.Kind.CORRUPT,
          "chunk "
              + chunk.index()
              + " (offset "
              + chunk.offset()
              + ", "
              + chunk.compressedLength()
              + " bytes): SHA-256 mismatch, expected "
              + chunk.sha256()
              + " but got "
              + actual
              + "; the chunk is corrupt and was not decompressed",
          null,
          chunk.index(),
          null);
    }
  }

  /**
   * Checks the frame header without decompressing: a single zstd frame, no dictionary, checksum
   * flag set, content size present and equal to the chunk's uncompressed length.
   *
   * @param chunk the chunk's index entry
   * @param frame buffer holding the frame
   * @param offset start of the frame in {@code frame}
   * @param length length of the frame
   * @throws ArchiveException ({@code CORRUPT}) naming the chunk
   */
  public static void checkFrameHeader(ChunkInfo chunk, byte[] frame, int offset, int length) {
    if (length < 6 || readIntLe(frame, offset) != ZSTD_MAGIC) {
      throw corrupt(chunk, "not a zstd frame (bad magic number)");
    }
    int descriptor = frame[offset + 4] & 0xff;
    if ((descriptor & 0x03) != 0) {
      throw corrupt(chunk, "zstd frame needs a dictionary; format v1 uses none");
    }
    if ((descriptor & 0x04) == 0) {
      throw corrupt(chunk, "zstd frame has no content checksum; format v1 requires it");
    }
    long declared = Zstd.getFrameContentSize(frame, offset, length);
    if (declared < 0) {
      throw corrupt(
          chunk,
          "zstd frame does not declare its content size; format v1 requires it (refusing to"
              + " decompress an unbounded frame)");
    }
    if (declared != chunk.uncompressedLength()) {
      throw corrupt(
          chunk,
          "zstd frame declares "
              + declared
              + " uncompressed bytes but the manifest says "
              + chunk.uncompressedLength()
              + " (decompression bomb or wrong manifest)");
    }
    long frameLength = Zstd.findFrameCompressedSize(frame, offset, length);
    if (Zstd.isError(frameLength) || frameLength != length) {
      throw corrupt(
          chunk,
          "chunk is not exactly one zstd frame (frame length "
              + (Zstd.isError(frameLength) ? Zstd.getErrorName(frameLength) : frameLength)
              + ", chunk length "
              + length
              + ")");
    }
  }

  /**
   * Decompresses an already verified frame into {@code out}, which must hold exactly the chunk's
   * uncompressed length: a frame producing more output fails instead of growing a buffer.
   */
  static void decompress(
      ZstdDecompressCtx ctx, ChunkInfo chunk, byte[] frame, int offset, int length, byte[] out) {
    expand(
        chunk,
        frame,
        offset,
        length,
        expected -> ctx.decompressByteArray(out, 0, expected, frame, offset, length));
  }

  /**
   * As {@link #decompress(ZstdDecompressCtx, ChunkInfo, byte[], int, int, byte[])}, to a buffer.
   */
  static void decompress(
      ZstdDecompressCtx ctx,
      ChunkInfo chunk,
      byte[] frame,
      int offset,
      int length,
      ByteBuffer out) {
    if (!out.isDirect()) {
      if (out.arrayOffset() != 0) {
        throw new IllegalArgumentException("array-backed buffers must start at offset 0");
      }
      decompress(ctx, chunk, frame, offset, length, out.array());
      return;
    }
    expand(
        chunk,
        frame,
        offset,
        length,
        expected ->
            ctx.decompressByteArrayToDirectByteBuffer(out, 0, expected, frame, offset, length));
  }

  /**
   * Checks the frame header, runs {@code call} (which decompresses into at most {@code expected}
   * bytes and returns how many it wrote) and checks the output size.
   */
  private static void expand(
      ChunkInfo chunk, byte[] frame, int offset, int length, IntUnaryOperator call) {
    checkFrameHeader(chunk, frame, offset, length);
    int expected = chunk.uncompressedLength();
    int n;
    try {
      n = call.applyAsInt(expected);
    } catch (ZstdException e) {
      throw new ArchiveException(
          ArchiveException.Kind.CORRUPT,
          "chunk "
              + chunk.index()
              + ": zstd frame does not decompress into the "
              + expected
              + " bytes the manifest declares: "
              + e.getMessage(),
          null,
          chunk.index(),
          e);
    }
    if (n != expected) {
      throw corrupt(
          chunk, "zstd frame decompressed to " + n + " bytes, the manifest says " + expected);
    }
  }

  private static ArchiveException corrupt(ChunkInfo chunk, String message) {
    return new ArchiveException(
        ArchiveException.Kind.CORRUPT,
        "chunk " + chunk.index() + ": " + message,
        null,
        chunk.index(),
        null);
  }

  private static int readIntLe(byte[] b, int off) {
    return (b[off] & 0xff)
        | (b[off + 1] & 0xff) << 8
        | (b[off + 2] & 0xff) << 16
        | (b[off + 3] & 0xff) << 24;
  }
}
