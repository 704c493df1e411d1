package io.chainsnap.verifier.service;

import io.chainsnap.domain.RejectionStage;
import java.util.Objects;

/** A verification failed at {@code stage} by the snapshot's fault; it must not be published. */
public class Rejection extends RuntimeException {
  private final RejectionStage stage;

  public Rejection(RejectionStage stage, String message, Throwable cause) {
    super(message, cause);
    this.stage = Objects.requireNonNull(stage, "stage");
  }

  public Rejection(RejectionStage stage, String message) {
    this(stage, message, null);
  }

  /** Where it failed: download, checksum, extract, boot or tip. */
  public RejectionStage stage() {
    return stage;
  }
}
