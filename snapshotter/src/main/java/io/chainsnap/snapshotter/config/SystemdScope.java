package io.chainsnap.snapshotter.config;

/** Which systemd manager owns a unit ({@code node.systemd-scope}). */
public enum SystemdScope {
  /** The system manager: {@code systemctl}. */
  SYSTEM,
  /** A user manager: {@code systemctl --user} (the agent's {@code XDG_RUNTIME_DIR} names it). */
  USER;

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
