package io.chainsnap.publisher.service;

/**
 * A failure retrying cannot fix (the staged archive does not match its announced hash, for
 * example): the event goes to the dead-letter topic with this message as the reason.
 */
public class PermanentFailureException extends RuntimeException {
  public PermanentFailureException(String message) {
    super(message);
  }
}
