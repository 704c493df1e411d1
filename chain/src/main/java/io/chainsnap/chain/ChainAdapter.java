package io.chainsnap.chain;

/** Reads the state of one node of a chain family. One implementation per RPC dialect. */
public interface ChainAdapter {

  /** The node's current status; throws {@link ChainRpcException} when it cannot be read. */
  ChainStatus status();

  /**
   * Makes the node write its in-memory chain state to disk and returns the tip that a copy of the
   * data directory taken right after will restore to. Nodes without such a call return {@link
   * #status()}.
   */
  default ChainStatus flush() {
    return status();
  }

  /**
   * Connects or disconnects the node from its peers, so that no new block arrives between reading
   * the tip and stopping the node. Nodes without such a switch ignore it.
   */
  default void setNetworkActive(boolean active) {}

  /**
   * The request that does {@code setNetworkActive(true)}, for a process that cannot call this
   * adapter (the pause watchdog when the agent died during a pause); empty for nodes without a
   * network switch.
   */
  default java.util.Optional<HttpCall> networkOnCall() {
    return java.util.Optional.empty();
  }
}
