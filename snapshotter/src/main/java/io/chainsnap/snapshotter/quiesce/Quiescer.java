package io.chainsnap.snapshotter.quiesce;

import io.chainsnap.chain.ChainStatus;
import io.chainsnap.domain.QuiesceStrategy;
import io.chainsnap.snapshotter.targets.SourceNode;

/**
 * One way of holding a node still while its data dir is captured ({@link QuiesceStrategy}). Called
 * with the node's network already off; whatever happens, the node serves again when {@link
 * #capture} returns or throws.
 */
public interface Quiescer {
  QuiesceStrategy strategy();

  /** The tip that data captured now restores to. */
  ChainStatus tip(SourceNode node);

  /**
   * Quiesces the node, has {@code archiver} write its data, and resumes it (always, before
   * returning or throwing; a failure to resume is added to the run's failure).
   *
   * @param snapshotId the snapshot being taken, for the restart marker
   */
  Capture capture(SourceNode node, String snapshotId, Archiver archiver);
}
