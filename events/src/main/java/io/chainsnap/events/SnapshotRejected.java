package io.chainsnap.events;

import io.chainsnap.domain.RejectionStage;
import java.time.Instant;

/**
 * The verifier found the published snapshot unusable; it never becomes {@code latest}.
 *
 * @param snapshotId the snapshot
 * @param target what it is of
 * @param sourceUrl the public URL the archive was downloaded from
 * @param stage where it failed
 * @param reason what was wrong, for people
 * @param rejectedAt when
 */
public record SnapshotRejected(
    String snapshotId,
    SnapshotTarget target,
    String sourceUrl,
    RejectionStage stage,
    String reason,
    Instant rejectedAt)
    implements EventData {
  @Override
  public String key() {
    return snapshotId;
  }
}
