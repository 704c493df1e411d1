package io.chainsnap.events;

import java.time.Instant;

/**
 * A snapshot that was due (scheduled, requested) was not taken, and why: never a silent no-op.
 *
 * @param targetName the snapshotter's target name (the Kafka key)
 * @param target what it would have been of
 * @param trigger what asked for it: {@code schedule}, {@code rest}, {@code event}
 * @param reason a short code: {@code unreachable}, {@code syncing}, {@code peers}, {@code lagging},
 *     {@code busy}, {@code staging-space}
 * @param message what was wrong, for people
 * @param skippedAt when
 */
public record SnapshotSkipped(
    String targetName,
    SnapshotTarget target,
    String trigger,
    String reason,
    String message,
    Instant skippedAt)
    implements EventData {
  @Override
  public String key() {
    return targetName;
  }
}
