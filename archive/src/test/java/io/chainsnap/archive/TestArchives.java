package io.chainsnap.archive;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Builds archives by hand, independently of {@link ArchiveWriter}: a tar made with commons-compress
 * (any entries, malicious ones included) framed into chunks like format v1, with a manifest whose
 * hashes match, so that the reader's safety checks (not only its hash checks) are exercised.
 */
public final class TestArchives {

  /** An archive and its manifest. */
  public record Built(byte[] bytes, ArchiveManifest manifest) {
    public Built withManifest(ArchiveManifest m) {
      return new Built(bytes, m);
    }

    public Built withBytes(byte[] b) {
      return new Built(b, manifest);
    }
  }

  /** Builds a tar with commons-compress. */
  public interface TarContent {
    void write(TarArchiveOutputStream tar) throws IOException;
  }

  private TestArchives() {}

  public static byte[] tar(TarContent content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      content.write(tar);
    }
    return bytes.toByteArray();
  }

  public static void file(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(data.length);
    e.setMode(0100644);
    tar.putArchiveEntry(e);
    tar.write(data);
    tar.closeArchiveEntry();
  }

  public static void file(TarArchiveOutputStream tar, String name, String text) throws IOException {
    file(tar, name, text.getBytes(StandardCharsets.UTF_8));
  }

  public static void dir(TarArchiveOutputStream tar, String name) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  public static void entry(TarArchiveOutputStream tar, TarArchiveEntry e) throws IOException {
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  /** Frames a tar as format v1 with honest sizes computed from the given totals. */
  public static Built frame(byte[] tar, int chunkSize, long contentSize, long fileCount) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<ChunkInfo> chunks = new ArrayList<>();
    for (int off = 0, i = 0; off < tar.length; off += chunkSize, i++) {
      int n = Math.min(chunkSize, tar.length - off);
      byte[] frame = zstdFrame(Arrays.copyOfRange(tar, off, off + n));
      chunks.add(new ChunkInfo(i, out.size(), frame.length, n, TestTrees.sha256(frame)));
      out.writeBytes(frame);
    }
    byte[] bytes = out.toByteArray();
    return new Built(
        bytes,
        new ArchiveManifest(
            1,
            chunkSize,
            tar.length,
            contentSize,
            fileCount,
            bytes.length,
            TestTrees.sha256(bytes),
            "zstd",
            3,
            chunks));
  }

  /** One zstd frame with content size and checksum, as format v1 requires. */
  public static byte[] zstdFrame(byte[] data) {
    try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
      ctx.setLevel(3);
      ctx.setChecksum(true);
      ctx.setContentSize(true);
      return ctx.compress(data);
    }
  }

  /** A streamed zstd frame: checksum but no content size in the header. */
  public static byte[] streamedFrame(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZstdOutputStream z = new ZstdOutputStream(out)) {
      z.setChecksum(true);
      z.write(data);
    }
    return out.toByteArray();
  }

  /** A single-chunk archive made of arbitrary frame bytes, with a manifest claiming sizes. */
  public static Built singleChunk(
      byte[] frameBytes, int declaredTarSize, long contentSize, long files) {
    ChunkInfo chunk =
        new ChunkInfo(0, 0, frameBytes.length, declaredTarSize, TestTrees.sha256(frameBytes));
    return new Built(
        frameBytes,
        new ArchiveManifest(
            1,
            Math.max(ArchiveFormat.MIN_CHUNK_SIZE, declaredTarSize),
            declaredTarSize,
            contentSize,
            files,
            frameBytes.length,
            TestTrees.sha256(frameBytes),
            "zstd",
            3,
            List.of(chunk)));
  }
}
