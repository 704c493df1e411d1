package io.chainsnap.snapshotter.health;

import io.chainsnap.snapshotter.targets.SourceNode;
import io.chainsnap.snapshotter.targets.Targets;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code chainsnap_snapshot_node_up{target}}: 1 while the source node is healthy (running, or
 * stopped for a snapshot in progress), 0 while the readiness check {@link SourceNodesCheck} reports
 * it down; read at every scrape.
 */
@Startup
@ApplicationScoped
public class NodeUpMetrics {
  public NodeUpMetrics(MeterRegistry metrics, Targets targets, @Readiness SourceNodesCheck check) {
    for (SourceNode node : targets.all()) {
      Gauge.builder("chainsnap.snapshot.node.up", check, c -> c.healthy(node) ? 1 : 0)
          .description(
              "1 while the source node runs (or is stopped for a snapshot in progress), 0 while"
                  + " it is down or did not restart after a snapshot")
          .tag("target", node.name())
          .strongReference(true)
          .register(metrics);
    }
  }
}
