package io.chainsnap.snapshotter.node;

import io.chainsnap.chain.BitcoinCoreDaemon;
import java.time.Duration;
import java.util.Optional;

/**
 * Controls a Bitcoin Core family node run as a daemon by this agent: RPC {@code stop} (SIGTERM as a
 * fallback) and a start with the node's configured command line. The daemon forks, so the node
 * outlives the agent.
 */
public final class DaemonNodeController implements NodeController {
  private final BitcoinCoreDaemon daemon;
  private final Duration stopTimeout;
  private final Duration startTimeout;

  public DaemonNodeController(
      BitcoinCoreDaemon daemon, Duration stopTimeout, Duration startTimeout) {
    this.daemon = daemon;
    this.stopTimeout = stopTimeout;
    this.startTimeout = startTimeout;
  }

  @Override
  public void stop() {
    daemon.stop(stopTimeout);
  }

  @Override
  public void start() {
    daemon.start(startTimeout);
  }

  @Override
  public boolean isRunning() {
    return daemon.isRunning();
  }

  @Override
  public Optional<Long> pid() {
    return daemon.pid();
  }
}
