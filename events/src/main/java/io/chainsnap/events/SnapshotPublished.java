package io.chainsnap.events;

import java.time.Instant;

/**
 * The index of a chain/network now lists a verified snapshot.
 *
 * @param snapshotId the snapshot
 * @param target what it is of
 * @param indexUrl public URL of {@code index.json}
 * @param indexSequence the index's sequence number after this change
 * @param latest the snapshot id {@code latest} points to for this target after the change
 * @param publishedAt when
 */
public record SnapshotPublished(
    String snapshotId,
    SnapshotTarget target,
    String indexUrl,
    long indexSequence,
    String latest,
    Instant publishedAt)
    implements EventData {
  @Override
  public String key() {
    return snapshotId;
  }
}
