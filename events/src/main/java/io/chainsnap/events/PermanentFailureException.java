package io.chainsnap.events;

/**
 * The one retry rule of chainsnap's consumers: a failure is <em>transient</em> (retried with
 * backoff, then sent to the dead-letter topic) unless it is this exception. Throw it for what
 * retrying cannot fix: an event that is malformed ({@link InvalidEventException}), staged bytes
 * that do not match their announced hash, a configuration that cannot serve the event. The event
 * then goes to the dead-letter topic at once, with the message as the reason.
 *
 * <p>Transient by default because most faults of a pipeline that talks to a broker, S3, IPFS and
 * nodes over the network are passing ones; a dead letter must mean the work failed, not that a
 * server was briefly away.
 */
public class PermanentFailureException extends RuntimeException {
  public PermanentFailureException(String message) {
    super(message);
  }

  public PermanentFailureException(String message, Throwable cause) {
    super(message, cause);
  }
}
