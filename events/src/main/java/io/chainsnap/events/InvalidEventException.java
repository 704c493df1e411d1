package io.chainsnap.events;

/**
 * An event that can never be processed: not JSON, wrong type, or not valid against its schema. A
 * {@link PermanentFailureException}: never retried.
 */
public class InvalidEventException extends PermanentFailureException {
  public InvalidEventException(String message) {
    super(message);
  }

  public InvalidEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
