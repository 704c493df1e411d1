package io.chainsnap.snapshotter.quiesce;

import io.chainsnap.snapshotter.targets.SourceNode;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Brings a node back to serving after a snapshot: started again if it was stopped (or is not
 * running), its network switched back on otherwise. A node that will not come back is the worst
 * outcome, so it is logged loudly, counted, and turns readiness DOWN until a later resume works.
 */
@ApplicationScoped
public class NodeResumer {
  private static final Logger LOG = Logger.getLogger(NodeResumer.class);

  private final MeterRegistry metrics;
  private final Map<String, String> failures = new ConcurrentHashMap<>();

  public NodeResumer(MeterRegistry metrics) {
    this.metrics = metrics;
  }

  /** Resumes {@code node}; throws if it does not serve again. */
  public void resume(SourceNode node, boolean stopped) {
    try {
      if (stopped || !node.controller().isRunning()) {
        node.controller().start();
        LOG.infof("%s started again", node.name());
      } else {
        node.adapter().setNetworkActive(true);
      }
      failures.remove(node.name());
    } catch (RuntimeException e) {
      failures.put(node.name(), String.valueOf(e.getMessage()));
      metrics
          .counter("chainsnap.snapshot.failed", "target", node.name(), "stage", "restart")
          .increment();
      LOG.errorf(e, "SOURCE NODE %s DID NOT START AGAIN: operator action needed", node.name());
      throw e;
    }
  }

  /** Targets whose node failed to start again after a snapshot, with the error. */
  public Map<String, String> failures() {
    return Map.copyOf(failures);
  }
}
