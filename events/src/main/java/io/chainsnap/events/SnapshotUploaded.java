package io.chainsnap.events;

import java.time.Instant;

/**
 * A snapshot's archive and manifest are stored under immutable keys and reachable publicly.
 *
 * @param snapshotId the snapshot
 * @param target what it is of
 * @param height expected block height (from the snapshotter)
 * @param blockHash expected block hash (from the snapshotter)
 * @param bucket the bucket
 * @param archiveKey object key of {@code snapshot.tar.zst}
 * @param manifestKey object key of {@code snapshot.json}
 * @param archiveUrl public URL of the archive (CDN or gateway)
 * @param manifestUrl public URL of the manifest
 * @param sha256 SHA-256 of the archive, hex, as stored in the object's metadata
 * @param compressedSize bytes of the archive
 * @param uploadedAt when the upload completed
 */
public record SnapshotUploaded(
    String snapshotId,
    SnapshotTarget target,
    long height,
    String blockHash,
    String bucket,
    String archiveKey,
    String manifestKey,
    String archiveUrl,
    String manifestUrl,
    String sha256,
    long compressedSize,
    Instant uploadedAt)
    implements EventData {
  @Override
  public String key() {
    return snapshotId;
  }
}
