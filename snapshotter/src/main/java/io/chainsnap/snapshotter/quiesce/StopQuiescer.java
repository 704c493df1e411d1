package io.chainsnap.snapshotter.quiesce;

import io.chainsnap.archive.ArchiveManifest;
import io.chainsnap.chain.ChainStatus;
import io.chainsnap.domain.QuiesceStrategy;
import io.chainsnap.snapshotter.targets.SourceNode;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * {@code stop}: stop the node, archive its chain dir, start it again. The node is down for the
 * whole archive time; a restart marker covers the agent dying in between.
 */
@ApplicationScoped
public class StopQuiescer implements Quiescer {
  private static final Logger LOG = Logger.getLogger(StopQuiescer.class);

  private final StoppedMarker marker;
  private final NodeResumer resumer;

  public StopQuiescer(StoppedMarker marker, NodeResumer resumer) {
    this.marker = marker;
    this.resumer = resumer;
  }

  @Override
  public QuiesceStrategy strategy() {
    return QuiesceStrategy.STOP;
  }

  @Override
  public ChainStatus tip(SourceNode node) {
    return node.adapter().status();
  }

  @Override
  public Capture capture(SourceNode node, String snapshotId, Archiver archiver) {
    long downSince = System.nanoTime();
    boolean[] stopped = {false};
    ArchiveManifest manifest =
        Resumption.runThenResume(
            () -> {
              marker.set(node, snapshotId);
              node.controller().stop();
              stopped[0] = true;
              LOG.infof("%s stopped, archiving %s", node.name(), node.chainDir());
              return archiver.write(node.chainDir());
            },
            () -> {
              resumer.resume(node, stopped[0]);
              marker.clear(node);
            });
    return new Capture(manifest, (System.nanoTime() - downSince) / 1_000_000);
  }
}
