package io.chainsnap.snapshotter.config;

/** How the snapshotter stops and starts a node ({@code node.controller}). */
public enum NodeControllerType {
  /** This agent runs a Bitcoin Core family binary as a daemon. */
  DAEMON,
  /** The operator's shell commands. */
  EXEC,
  /** A systemd unit ({@code systemctl}). */
  SYSTEMD,
  /**
   * A Kubernetes StatefulSet scaled with {@code kubectl}: no pid, so no {@code pause-checkpoint}.
   */
  KUBERNETES;

  /** The name in configuration, e.g. {@code daemon}. */
  public String configName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public String toString() {
    return configName();
  }
}
