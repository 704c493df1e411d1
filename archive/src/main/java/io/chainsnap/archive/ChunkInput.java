package io.chainsnap.archive;

import io.chainsnap.domain.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Reads {@code snapshot.tar.zst} sequentially, chunk by chunk as the manifest lays them out, and
 * checks each chunk's SHA-256 as soon as its bytes are in, plus the whole-file SHA-256 and the
 * absence of trailing bytes at the end.
 */
final class ChunkInput {

  private final InputStream in;
  private final ArchiveManifest manifest;
  private final ProgressListener progress;
  private final MessageDigest whole = Sha256.newDigest();
  private long position;
  private int next;

  ChunkInput(InputStream in, ArchiveManifest manifest, ProgressListener progress) {
    this.in = in;
    this.manifest = manifest;
    this.progress = progress;
  }

  /** Size of a buffer able to hold any chunk of the manifest. */
  static int maxCompressedLength(ArchiveManifest manifest) {
    long max = 0;
    for (ChunkInfo c : manifest.chunks()) {
      max = Math.max(max, c.compressedLength());
    }
    return Math.toIntExact(max);
  }

  /** Whether chunks remain. */
  boolean hasNext() {
    return next < manifest.chunks().size();
  }

  /**
   * Reads the next chunk into {@code buffer} and verifies its hash.
   *
   * @return the chunk's index entry; its bytes are {@code buffer[0 .. compressedLength)}
   */
  ChunkInfo next(byte[] buffer) {
    ChunkInfo chunk = manifest.chunks().get(next);
    int length = (int) chunk.compressedLength();
    int filled = 0;
    try {
      while (filled < length) {
        int r = in.read(buffer, filled, length - filled);
        if (r < 0) {
          throw new ArchiveException(
              ArchiveException.Kind.CORRUPT,
              "archive truncated: chunk "
                  + chunk.index()
                  + " (offset "
                  + chunk.offset()
                  + ", "
                  + length
                  + " bytes) ends after "
                  + filled
                  + " bytes; the archive is "
                  + (position + filled)
                  + " bytes long, the manifest says "
                  + manifest.compressedSize(),
              null,
              chunk.index(),
              null);
        }
        filled += r;
      }
    } catch (IOException e) {
      throw new ArchiveException(
          ArchiveException.Kind.IO,
          "cannot read chunk " + chunk.index() + " of the archive: " + e,
          null,
          chunk.index(),
          e);
    }
    whole.update(buffer, 0, length);
    ArchiveChunks.verify(chunk, buffer, 0, length);
    position += length;
    next++;
    progress.onProgress(position, manifest.compressedSize());
    return chunk;
  }

  /** After the last chunk: no trailing bytes, and the whole-file hash matches. */
  void finish() {
    try {
      if (in.read() >= 0) {
        throw new ArchiveException(
            ArchiveException.Kind.CORRUPT,
            "trailing bytes after the last chunk: the archive is longer than its compressedSize "
                + manifest.compressedSize());
      }
    } catch (IOException e) {
      throw new ArchiveException(
          ArchiveException.Kind.IO, "cannot read the end of the archive: " + e, e);
    }
    String actual = Sha256.toHex(whole);
    if (!actual.equals(manifest.sha256())) {
      throw new ArchiveException(
          ArchiveException.Kind.CORRUPT,
          "whole-archive SHA-256 mismatch: expected " + manifest.sha256() + " but got " + actual);
    }
  }
}
