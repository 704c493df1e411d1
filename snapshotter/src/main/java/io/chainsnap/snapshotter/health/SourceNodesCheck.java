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
 * snapshot of it is in progress: an operator must look. The same state is the gauge {@code
 * chainsnap_snapshot_node_up} (1 healthy, 0 not), for the {@code ChainsnapSourceNodeDown} alert.
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
      String state = state(node);
      if (!healthy(node)) {
        response.down();
      }
      response.withData(node.name(), state);
    }
    return response.build();
  }

  /** Whether {@code node} is as it should be: running, or stopped for a snapshot in progress. */
  public boolean healthy(SourceNode node) {
    String state = state(node);
    return state.equals(RUNNING) || state.equals(SNAPSHOTTING);
  }

  private static final String RUNNING = "running";
  private static final String SNAPSHOTTING = "stopped for a snapshot";

  private String state(SourceNode node) {
    String failure = resumer.failures().get(node.name());
    if (failure != null) {
      return "did not restart: " + failure;
    }
    if (node.controller().isRunning()) {
      return RUNNING;
    }
    boolean snapshotting =
        runner.latest(node.name()).map(run -> run.state() == RunStatus.State.RUNNING).orElse(false);
    return snapshotting ? SNAPSHOTTING : "not running";
  }
}
