package io.chainsnap.snapshotter.service;

import io.chainsnap.chain.ChainRpcException;
import io.chainsnap.chain.ChainStatus;
import io.chainsnap.domain.SkipReason;
import io.chainsnap.snapshotter.targets.SourceNode;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Refuses to snapshot a node that is unreachable, still syncing, or short of peers: a snapshot of
 * such a node would publish a stale or wrong chain.
 */
@ApplicationScoped
public class HealthGate {
  private static final Logger LOG = Logger.getLogger(HealthGate.class);

  /** Returns the node's status if it may be snapshotted, else throws with the reason. */
  public ChainStatus check(SourceNode node) {
    ChainStatus status;
    try {
      status = node.adapter().status();
    } catch (ChainRpcException e) {
      throw refuse(node, SkipReason.UNREACHABLE, "node RPC not answering: " + e.getMessage());
    }
    if (status.syncing()) {
      throw refuse(
          node,
          SkipReason.SYNCING,
          "node is still syncing (initial block download) at " + status.height());
    }
    int minPeers = node.config().health().minPeers();
    if (status.peers() < minPeers) {
      throw refuse(
          node,
          SkipReason.PEERS,
          "node has " + status.peers() + " peers, the gate wants " + minPeers);
    }
    if (node.reference().isPresent()) {
      long referenceHeight;
      try {
        referenceHeight = node.reference().get().status().height();
      } catch (ChainRpcException e) {
        throw refuse(
            node,
            SkipReason.LAGGING,
            "reference node not answering, cannot show the node is not behind: " + e.getMessage());
      }
      long maxLag = node.config().health().maxLag();
      if (referenceHeight - status.height() > maxLag) {
        throw refuse(
            node,
            SkipReason.LAGGING,
            "node at "
                + status.height()
                + " is "
                + (referenceHeight - status.height())
                + " blocks behind the reference at "
                + referenceHeight
                + " (allowed: "
                + maxLag
                + ")");
      }
    }
    return status;
  }

  private static SnapshotRefusedException refuse(
      SourceNode node, SkipReason reason, String message) {
    LOG.warnf("health gate refused a snapshot of %s: %s", node.name(), message);
    return new SnapshotRefusedException(reason, "health gate: " + message);
  }
}
