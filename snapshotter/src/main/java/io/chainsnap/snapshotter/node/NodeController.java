package io.chainsnap.snapshotter.node;

import java.util.Optional;

/** Stops and starts one source node. Implementations: one per way a node is run. */
public interface NodeController {

  /** Stops the node cleanly and returns once its process has exited. */
  void stop();

  /** Starts the node and returns once it answers its RPC API again. */
  void start();

  /** True while the node's process runs. */
  boolean isRunning();

  /** The node's process id, when this controller knows it (needed to freeze the node). */
  default Optional<Long> pid() {
    return Optional.empty();
  }
}
