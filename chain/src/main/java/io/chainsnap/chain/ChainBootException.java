package io.chainsnap.chain;

/**
 * A node did not start on a restored data dir, exited, or did not answer in time ({@link
 * ChainFamily#bootIsolated}); the message says how, with the end of the node's output.
 */
public class ChainBootException extends RuntimeException {
  public ChainBootException(String message, Throwable cause) {
    super(message, cause);
  }

  public ChainBootException(String message) {
    this(message, null);
  }
}
