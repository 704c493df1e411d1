package io.chainsnap.snapshotter.messaging;

import io.chainsnap.events.SnapshotCreated;
import io.chainsnap.events.SnapshotSkipped;
import io.chainsnap.events.Topics;
import io.chainsnap.events.kafka.KafkaEvents;
import io.chainsnap.snapshotter.config.SnapshotterConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** Emits the snapshotter's events and waits for the broker to acknowledge each. */
@ApplicationScoped
public class SnapshotEvents {
  // how often a send that waits for a broker logs that it still waits (an outage is waited out)
  private static final Duration REPORT_EVERY = Duration.ofMinutes(1);

  private final Emitter<String> created;
  private final Emitter<String> skipped;
  private final String source;

  public SnapshotEvents(
      @Channel(Topics.SNAPSHOT_CREATED) Emitter<String> created,
      @Channel(Topics.SNAPSHOT_SKIPPED) Emitter<String> skipped,
      SnapshotterConfig config) {
    this.created = created;
    this.skipped = skipped;
    this.source = config.eventSource();
  }

  /** Emits {@code snapshot-skipped}; returns once the broker has it. */
  public void skipped(SnapshotSkipped event) {
    KafkaEvents.sendAndAwait(skipped, source, event, REPORT_EVERY);
  }

  /** Emits {@code snapshot-created}; returns once the broker has it. */
  public void created(SnapshotCreated event) {
    KafkaEvents.sendAndAwait(created, source, event, REPORT_EVERY);
  }
}
