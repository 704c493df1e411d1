package io.chainsnap.events;

import java.time.Instant;

/**
 * A snapshot's archive is added to and pinned on IPFS.
 *
 * @param snapshotId the snapshot
 * @param target what it is of
 * @param cid CIDv1 (base32, raw leaves, 256 KiB chunks) of {@code snapshot.tar.zst}
 * @param pinnedAt when the pin completed
 */
public record SnapshotPinned(String snapshotId, SnapshotTarget target, String cid, Instant pinnedAt)
    implements EventData {
  @Override
  public String key() {
    return snapshotId;
  }
}
