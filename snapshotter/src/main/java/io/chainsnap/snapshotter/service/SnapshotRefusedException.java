package io.chainsnap.snapshotter.service;

import io.chainsnap.domain.SkipReason;

/** A snapshot was not started: the target is busy, unknown, unhealthy, or staging is short. */
public class SnapshotRefusedException extends RuntimeException {
  private final SkipReason reason;

  public SnapshotRefusedException(SkipReason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** Why, as {@code snapshot-skipped} reports it. */
  public SkipReason reason() {
    return reason;
  }
}
