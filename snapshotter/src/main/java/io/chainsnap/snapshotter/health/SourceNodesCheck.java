package io.chainsnap.snapshotter.health;

import io.chainsnap.snapshotter.quiesce.NodeResumer;
import io.chainsnap.snapshotter.service.RunStatus;
import io.chainsnap.snapshotter.service.SnapshotRunner;
import io.chainsnap.snapshotter.targets.SourceNode;
import io.chainsnap.snapshotter.targets.Targets;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * DOWN when a source node failed to start again after a snapshot, or is not running while no
 * snapshot of it is in progress: an operator must look.
 */
@Readiness
@ApplicationScoped
public class SourceNodesCheck implements HealthCheck {
  private final NodeResumer resumer;
  private final SnapshotRunner runner;
  private final Targets targets;

  public SourceNodesCheck(NodeResumer resumer, SnapshotRunner runner, Targets targets) {
    this.resumer = resumer;
    this.runner = runner;
    this.targets = targets;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("source-nodes").up();
    for (SourceNode node : targets.all()) {
      String failure = resumer.failures().get(node.name());
      boolean snapshotting =
          runner
              .latest(node.name())
              .map(run -> run.state() == RunStatus.State.RUNNING)
              .orElse(false);
      if (failure != null) {
        response.down().withData(node.name(), "did not restart: " + failure);
      } else if (node.controller().isRunning()) {
        response.withData(node.name(), "running");
      } else if (snapshotting) {
        response.withData(node.name(), "stopped for a snapshot");
      } else {
        response.down().withData(node.name(), "not running");
      }
    }
    return response.build();
  }
}
