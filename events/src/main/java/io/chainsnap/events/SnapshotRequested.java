package io.chainsnap.events;

import java.time.Instant;

/**
 * Someone asks the snapshotter that owns {@code target} for a snapshot now.
 *
 * @param requestId unique id of the request (the Kafka key)
 * @param target the snapshotter's target name
 * @param requestedBy who asked (user, service), for the audit trail
 * @param requestedAt when
 */
public record SnapshotRequested(
    String requestId, String target, String requestedBy, Instant requestedAt) implements EventData {
  @Override
  public String key() {
    return requestId;
  }
}
