package io.chainsnap.events;

import io.chainsnap.domain.VerificationStatus;
import java.time.Instant;

/**
 * A published snapshot was removed by the publisher's retention policy: it is no longer listed in
 * {@code index.json}, its objects are deleted from the bucket and its archive is unpinned from
 * IPFS. Emitted once per snapshot, after all of that is done.
 *
 * @param snapshotId the snapshot
 * @param target what it was of
 * @param height block height it restored to
 * @param takenAt when it was taken (the age the policy measured)
 * @param verification its verdict when it expired: {@code verified} or {@code rejected}
 * @param reason why it expired, for people (which rules it fell outside of)
 * @param objectPrefix the key prefix whose objects were deleted ({@code chain/network/mode/id/})
 * @param cid the IPFS CID that was unpinned, if it had been pinned
 * @param expiredAt when retention decided it (the catalog's {@code expired} record)
 */
public record SnapshotExpired(
    String snapshotId,
    SnapshotTarget target,
    long height,
    Instant takenAt,
    VerificationStatus verification,
    String reason,
    String objectPrefix,
    String cid,
    Instant expiredAt)
    implements EventData {
  @Override
  public String key() {
    return snapshotId;
  }
}
