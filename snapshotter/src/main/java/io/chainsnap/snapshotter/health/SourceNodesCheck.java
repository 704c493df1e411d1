package io.chainsnap.snapshotter.health;

import io.chainsnap.snapshotter.service.SnapshotRunner;
import io.chainsnap.snapshotter.service.SnapshotService;
import io.chainsnap.snapshotter.service.SourceNode;
import io.chainsnap.snapshotter.service.Targets;
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
  private final SnapshotService service;
  private final SnapshotRunner runner;
  private final Targets targets;

  public SourceNodesCheck(SnapshotService service, SnapshotRunner runner, Targets targets) {
    this.service = service;
    this.runner = runner;
    this.targets = targets;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("source-nodes").up();
    for (SourceNode node : targets.all()) {
      String failure = service.nodeFailures().get(node.name());
      boolean snapshotting =
          runner.latest(node.name()).map(run -> run.state().equals("running")).orElse(false);
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
