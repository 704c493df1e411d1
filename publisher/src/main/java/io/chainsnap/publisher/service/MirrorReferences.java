package io.chainsnap.publisher.service;

import io.chainsnap.events.SnapshotTarget;

/**
 * Retention's hook into the per-file mirror: a snapshot expired and its objects left the main
 * bucket, so the mirror drops what only that snapshot referenced (its file list; objects of files
 * no other listed snapshot has). One implementation per mirror; {@link NoMirrorReferences} (a
 * {@code @DefaultBean}) when there is none, so a mirror bean replaces it just by existing.
 *
 * <p>Contract: called after the snapshot's objects are deleted and before {@code snapshot-expired}
 * is emitted; called again for the same snapshot when a run was interrupted (must be idempotent);
 * throwing leaves the expiry unfinished, and the next retention run calls it again.
 */
public interface MirrorReferences {

  /** {@code snapshotId} of {@code target} expired: drop what nothing else references. */
  void onExpired(SnapshotTarget target, String snapshotId);
}
