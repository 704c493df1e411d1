package io.chainsnap.events;

import io.chainsnap.domain.SkipReason;
import io.chainsnap.domain.Trigger;
import java.time.Instant;

/**
 * A snapshot that was due (scheduled, requested) was not taken, and why: never a silent no-op.
 *
 * @param targetName the snapshotter's target name (the Kafka key)
 * @param target what it would have been of
 * @param trigger what asked for it
 * @param reason why it was not taken
 * @param message what was wrong, for people
 * @param skippedAt when
 */
public record SnapshotSkipped(
    String targetName,
    SnapshotTarget target,
    Trigger trigger,
    SkipReason reason,
    String message,
    Instant skippedAt)
    implements EventData {
  @Override
  public String key() {
    return targetName;
  }
}
