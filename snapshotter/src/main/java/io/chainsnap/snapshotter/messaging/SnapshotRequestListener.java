package io.chainsnap.snapshotter.messaging;

import io.chainsnap.domain.SkipReason;
import io.chainsnap.domain.Trigger;
import io.chainsnap.events.EventType;
import io.chainsnap.events.SnapshotRequested;
import io.chainsnap.events.Topics;
import io.chainsnap.events.kafka.KafkaEvents;
import io.chainsnap.snapshotter.config.SnapshotterConfig;
import io.chainsnap.snapshotter.service.SnapshotRefusedException;
import io.chainsnap.snapshotter.service.SnapshotRunner;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Starts a snapshot for each {@code snapshot-requested} event naming a target of this agent.
 * Requests for other agents' targets are ignored; malformed ones go to the dead-letter topic.
 */
@ApplicationScoped
public class SnapshotRequestListener {
  private static final Logger LOG = Logger.getLogger(SnapshotRequestListener.class);

  private final SnapshotRunner runner;
  private final Duration maxAge;
  private final MeterRegistry metrics;

  public SnapshotRequestListener(
      SnapshotRunner runner, SnapshotterConfig config, MeterRegistry metrics) {
    this.runner = runner;
    this.maxAge = config.requestMaxAge();
    this.metrics = metrics;
  }

  private void count(String outcome) {
    metrics.counter("chainsnap.snapshot.requests", "outcome", outcome).increment();
  }

  @Incoming(Topics.SNAPSHOT_REQUESTED)
  @Blocking
  public void onRequested(ConsumerRecord<String, String> record) {
    SnapshotRequested request = KafkaEvents.decode(EventType.SNAPSHOT_REQUESTED, record);
    if (request.requestedAt().isBefore(Instant.now().minus(maxAge))) {
      LOG.warnf(
          "request %s from %s is older than %s: ignored",
          request.requestId(), request.requestedAt(), maxAge);
      count("stale");
      return;
    }
    try {
      runner.submit(request.target(), Trigger.EVENT);
      count("started");
      LOG.infof(
          "request %s by %s: snapshot of %s started",
          request.requestId(), request.requestedBy(), request.target());
    } catch (SnapshotRefusedException e) {
      boolean otherAgent = e.reason() == SkipReason.UNKNOWN_TARGET;
      count(otherAgent ? "other-agent" : "refused");
      if (otherAgent) {
        LOG.debugf("request %s is for target %s, not ours", request.requestId(), request.target());
      } else {
        LOG.warnf("request %s refused: %s", request.requestId(), e.getMessage());
      }
    }
  }
}
