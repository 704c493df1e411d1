package io.chainsnap.verifier.service;

/**
 * The verifier could not finish for a reason that says nothing about the snapshot (network, a
 * server error): retried, never a rejection.
 */
public class TransientVerificationException extends RuntimeException {
  public TransientVerificationException(String message, Throwable cause) {
    super(message, cause);
  }
}
