package io.chainsnap.archive.restore;

/**
 * Receives the progress of a restore, download or remote verification. Called from background
 * threads; implementations must be quick and must not throw.
 */
public interface RestoreListener {

  /** Ignores everything. */
  RestoreListener NONE = new RestoreListener() {};

  /**
   * The run starts.
   *
   * @param first progress before anything is fetched (its {@code resumedBytes} tells what a
   *     previous run already did)
   */
  default void started(RestoreProgress first) {}

  /** Periodic progress (about once per {@code progressInterval}), and once at the end. */
  default void progress(RestoreProgress progress) {}

  /** Something worth telling the operator that does not stop the run (a re-fetched chunk). */
  default void warning(String message) {}
}
