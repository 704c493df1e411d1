package io.chainsnap.events;

import java.time.Instant;

/**
 * The verifier restored the published bytes, booted a node on them and found the expected tip.
 *
 * @param snapshotId the snapshot
 * @param target what it is of
 * @param height height the restored node reported
 * @param blockHash best block hash the restored node reported
 * @param sourceUrl the public URL the archive was downloaded from
 * @param restoreMillis download, check and extraction time
 * @param bootMillis time until the restored node answered
 * @param verifiedAt when
 */
public record SnapshotVerified(
    String snapshotId,
    SnapshotTarget target,
    long height,
    String blockHash,
    String sourceUrl,
    long restoreMillis,
    long bootMillis,
    Instant verifiedAt)
    implements EventData {
  @Override
  public String key() {
    return snapshotId;
  }
}
