package io.chainsnap.snapshotter.quiesce;

import io.chainsnap.snapshotter.config.SnapshotterConfig;
import io.chainsnap.snapshotter.targets.SourceNode;
import io.chainsnap.snapshotter.targets.Targets;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Remembers on disk that this agent stopped a node, from just before the stop until the node serves
 * again. If the agent dies in between (killed, OOM, power), the next start of the agent finds the
 * marker and starts the node before doing anything else.
 */
@ApplicationScoped
public class StoppedMarker {
  private static final Logger LOG = Logger.getLogger(StoppedMarker.class);

  private final Path dir;

  public StoppedMarker(SnapshotterConfig config) {
    this.dir = config.staging().dir();
  }

  private Path marker(SourceNode node) {
    return dir.resolve(".node-stopped-" + node.name());
  }

  /** Records that {@code node} is about to be stopped for {@code snapshotId}. */
  public void set(SourceNode node, String snapshotId) {
    try {
      Files.createDirectories(dir);
      Files.writeString(marker(node), snapshotId + " " + Instant.now() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + marker(node) + "; not stopping the node", e);
    }
  }

  /** The node serves again. */
  public void clear(SourceNode node) {
    try {
      Files.deleteIfExists(marker(node));
    } catch (IOException e) {
      LOG.warnf("cannot delete %s: %s", marker(node), e.getMessage());
    }
  }

  /** At start-up, before schedules and listeners: restart nodes a previous run left stopped. */
  void recover(@Observes @Priority(1) StartupEvent event, Targets targets, NodeResumer resumer) {
    for (SourceNode node : targets.all()) {
      Path marker = marker(node);
      if (!Files.exists(marker)) {
        continue;
      }
      String what;
      try {
        what = Files.readString(marker).strip();
      } catch (IOException e) {
        what = "?";
      }
      LOG.warnf(
          "%s was left stopped by an interrupted snapshot (%s): starting it", node.name(), what);
      try {
        resumer.resume(node, !node.controller().isRunning());
        clear(node);
      } catch (RuntimeException e) {
        LOG.errorf(e, "could not start %s again", node.name());
      }
    }
  }
}
