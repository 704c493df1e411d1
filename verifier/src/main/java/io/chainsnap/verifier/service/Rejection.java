package io.chainsnap.verifier.service;

/** A verification failed at {@code stage}; the snapshot must not be published. */
public class Rejection extends RuntimeException {
  private final String stage;

  public Rejection(String stage, String message, Throwable cause) {
    super(message, cause);
    this.stage = stage;
  }

  public Rejection(String stage, String message) {
    this(stage, message, null);
  }

  /** {@code download}, {@code checksum}, {@code extract}, {@code boot} or {@code tip}. */
  public String stage() {
    return stage;
  }
}
