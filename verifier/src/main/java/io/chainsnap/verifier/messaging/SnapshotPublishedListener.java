package io.chainsnap.verifier.messaging;

import io.chainsnap.events.EventType;
import io.chainsnap.events.SnapshotPublished;
import io.chainsnap.events.Topics;
import io.chainsnap.events.kafka.KafkaEvents;
import io.chainsnap.verifier.service.ReverifyService;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Learns the published indexes to re-check from {@code snapshot-published} ({@code indexUrl}). Its
 * consumer group is new at every start and reads from the earliest offset, so every instance learns
 * every index still named by a retained event.
 */
@ApplicationScoped
public class SnapshotPublishedListener {
  private final ReverifyService reverify;

  public SnapshotPublishedListener(ReverifyService reverify) {
    this.reverify = reverify;
  }

  @Incoming(Topics.SNAPSHOT_PUBLISHED)
  public void onPublished(ConsumerRecord<String, String> record) {
    SnapshotPublished published = KafkaEvents.decode(EventType.SNAPSHOT_PUBLISHED, record);
    reverify.learn(published.indexUrl());
  }
}
