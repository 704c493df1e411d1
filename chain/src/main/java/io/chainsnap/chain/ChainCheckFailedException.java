package io.chainsnap.chain;

/**
 * The restored node started and answered, but one of its own deeper checks of the chain ({@link
 * ChainChecks}, e.g. Bitcoin Core {@code verifychain}) failed: the restored data is inconsistent.
 */
public class ChainCheckFailedException extends ChainBootException {
  public ChainCheckFailedException(String message) {
    super(message);
  }
}
