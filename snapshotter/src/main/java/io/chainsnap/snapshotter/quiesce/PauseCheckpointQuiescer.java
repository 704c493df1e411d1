package io.chainsnap.snapshotter.quiesce;

import io.chainsnap.chain.ChainStatus;
import io.chainsnap.domain.QuiesceStrategy;
import io.chainsnap.snapshotter.config.SnapshotterConfig;
import io.chainsnap.snapshotter.targets.SourceNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * {@code pause-checkpoint}: freeze the node for a checkpoint of its chain dir (seconds), thaw it,
 * then archive the checkpoint while the node runs on. The node's downtime is the freeze.
 */
@ApplicationScoped
public class PauseCheckpointQuiescer implements Quiescer {
  private static final Logger LOG = Logger.getLogger(PauseCheckpointQuiescer.class);

  private final StoppedMarker marker;
  private final NodeResumer resumer;
  private final Checkpointer checkpointer;
  private final Path watchdogDir;

  public PauseCheckpointQuiescer(
      StoppedMarker marker,
      NodeResumer resumer,
      Checkpointer checkpointer,
      SnapshotterConfig config) {
    this.marker = marker;
    this.resumer = resumer;
    this.checkpointer = checkpointer;
    this.watchdogDir = config.staging().dir();
  }

  @Override
  public QuiesceStrategy strategy() {
    return QuiesceStrategy.PAUSE_CHECKPOINT;
  }

  /**
   * A pause copies files as they are: the node writes its state first, and the tip is the one that
   * write describes.
   */
  @Override
  public ChainStatus tip(SourceNode node) {
    return node.adapter().flush();
  }

  @Override
  public Capture capture(SourceNode node, String snapshotId, Archiver archiver) {
    Checkpointer.Checkpoint[] taken = {null};
    try {
      Resumption.runThenResume(
          () -> {
            // if this agent dies during the pause, its next start turns the node's network back on
            marker.set(node, snapshotId);
            taken[0] = checkpointer.take(node, watchdogDir);
            return taken[0];
          },
          () -> {
            resumer.resume(node, false);
            marker.clear(node);
          });
    } catch (RuntimeException | Error e) {
      if (taken[0] != null) {
        Checkpointer.deleteTree(taken[0].dir());
      }
      throw e;
    }
    Checkpointer.Checkpoint checkpoint = taken[0];
    LOG.infof(
        "%s checkpointed (frozen %d ms), archiving the checkpoint",
        node.name(), checkpoint.frozenMillis());
    try {
      return new Capture(archiver.write(checkpoint.dir()), checkpoint.frozenMillis());
    } finally {
      Checkpointer.deleteTree(checkpoint.dir());
    }
  }
}
