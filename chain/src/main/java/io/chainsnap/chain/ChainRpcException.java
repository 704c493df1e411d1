package io.chainsnap.chain;

/** A node's RPC call failed: not reachable, warming up, or answered with an error. */
public class ChainRpcException extends RuntimeException {
  private final int code;

  public ChainRpcException(String message, int code, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ChainRpcException(String message, int code) {
    this(message, code, null);
  }

  /** The node's error code; {@link BitcoinCoreRpc#UNREACHABLE} when there was no answer. */
  public int code() {
    return code;
  }
}
