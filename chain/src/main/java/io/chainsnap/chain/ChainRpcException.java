package io.chainsnap.chain;

/**
 * A node's RPC call failed: not reachable, warming up, or answered with an error. The message names
 * the call and carries the node's own error text; {@link #code()} is the node's error code.
 */
public class ChainRpcException extends RuntimeException {
  /**
   * No answer at all: connection refused, reset or timed out ({@link BitcoinCoreRpc#UNREACHABLE}).
   */
  public static final int UNREACHABLE = BitcoinCoreRpc.UNREACHABLE;

  /**
   * The node answered, but not in the shape its API documents (not JSON, a field missing or of the
   * wrong type). No node uses 0 as an error code.
   */
  public static final int BAD_ANSWER = 0;

  private final int code;

  public ChainRpcException(String message, int code, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ChainRpcException(String message, int code) {
    this(message, code, null);
  }

  /**
   * The node's error code: its JSON-RPC error code where it sent one, else the HTTP status of the
   * answer; {@link #UNREACHABLE} when there was no answer, {@link #BAD_ANSWER} for a malformed one.
   */
  public int code() {
    return code;
  }
}
