package io.chainsnap.snapshotter.messaging;

import io.chainsnap.events.EventData;
import io.chainsnap.events.EventType;
import io.chainsnap.events.kafka.KafkaEvents;
import io.chainsnap.snapshotter.staging.StagingCleanup;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Frees staging once a snapshot is settled: published (the public copy is verified) or rejected
 * (nobody will fetch it again). Events for snapshots of other agents find nothing to delete.
 */
@ApplicationScoped
public class StagingCleanupListener {
  private final StagingCleanup cleanup;

  public StagingCleanupListener(StagingCleanup cleanup) {
    this.cleanup = cleanup;
  }

  @Incoming("staging-cleanup-published")
  @Blocking
  public void published(ConsumerRecord<String, String> record) {
    EventData event = KafkaEvents.decode(EventType.SNAPSHOT_PUBLISHED, record);
    cleanup.settled(event.key(), "published");
  }

  @Incoming("staging-cleanup-rejected")
  @Blocking
  public void rejected(ConsumerRecord<String, String> record) {
    EventData event = KafkaEvents.decode(EventType.SNAPSHOT_REJECTED, record);
    cleanup.settled(event.key(), "rejected");
  }
}
