package io.chainsnap.snapshotter.service;

/** A snapshot was not started: the target is busy, unknown, unhealthy, or staging is short. */
public class SnapshotRefusedException extends RuntimeException {
  private final String reason;

  public SnapshotRefusedException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** A short machine-readable reason: {@code busy}, {@code unknown-target}, {@code syncing}... */
  public String reason() {
    return reason;
  }
}
