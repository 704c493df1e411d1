package io.chainsnap.events;

/** An event that can never be processed: not JSON, wrong type, or not valid against its schema. */
public class InvalidEventException extends RuntimeException {
  public InvalidEventException(String message) {
    super(message);
  }

  public InvalidEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
