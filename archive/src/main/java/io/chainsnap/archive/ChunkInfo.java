package io.chainsnap.archive;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Objects;

/**
 * One entry of the chunk index: where a zstd frame sits in {@code snapshot.tar.zst} and what it
 * must hash and expand to.
 *
 * @param index position of the chunk, from 0
 * @param offset byte offset of the frame in the archive file
 * @param compressedLength length of the frame in bytes (the HTTP range is {@code offset .. offset +
 *     compressedLength - 1})
 * @param uncompressedLength bytes of tar stream the frame expands to
 * @param sha256 lowercase hex SHA-256 of the frame's compressed bytes
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChunkInfo(
    int index, long offset, long compressedLength, int uncompressedLength, String sha256) {

  /**
   * Canonical constructor; only rejects a null hash (consistency is {@link
   * ArchiveManifest#validate()}).
   */
  public ChunkInfo {
    Objects.requireNonNull(sha256, "sha256");
  }

  /** Returns the offset one past the last byte of this chunk in the archive file. */
  public long end() {
    return offset + compressedLength;
  }
}
