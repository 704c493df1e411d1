package io.chainsnap.snapshotter.health;

import io.chainsnap.snapshotter.service.SnapshotService;
import io.chainsnap.snapshotter.service.SourceNode;
import io.chainsnap.snapshotter.service.Targets;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** DOWN when a source node failed to start again after a snapshot: an operator must look. */
@Readiness
@ApplicationScoped
public class SourceNodesCheck implements HealthCheck {
  private final SnapshotService service;
  private final Targets targets;

  public SourceNodesCheck(SnapshotService service, Targets targets) {
    this.service = service;
    this.targets = targets;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("source-nodes").up();
    for (SourceNode node : targets.all()) {
      String failure = service.nodeFailures().get(node.name());
      if (failure != null) {
        response.down().withData(node.name(), "did not restart: " + failure);
      } else {
        response.withData(node.name(), node.controller().isRunning() ? "running" : "not running");
      }
    }
    return response.build();
  }
}
