package io.chainsnap.publisher.messaging;

import io.chainsnap.events.EventType;
import io.chainsnap.events.SnapshotVerified;
import io.chainsnap.events.Topics;
import io.chainsnap.events.kafka.KafkaEvents;
import io.chainsnap.publisher.service.IndexService;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Turns verifier results into the index: a verified snapshot can become {@code latest} and is
 * announced with {@code snapshot-published}; a rejected one is marked and never becomes latest.
 */
@ApplicationScoped
public class VerificationListener {
  private final IndexService index;
  private final PublisherEvents events;

  public VerificationListener(IndexService index, PublisherEvents events) {
    this.index = index;
    this.events = events;
  }

  @Incoming(Topics.SNAPSHOT_VERIFIED)
  @Blocking
  public void verified(ConsumerRecord<String, String> record) {
    SnapshotVerified verified = KafkaEvents.decode(EventType.SNAPSHOT_VERIFIED, record);
    index
        .verified(verified)
        .ifPresent(
            published -> {
              events.published(published);
              index.markPublished(published);
            });
  }

  @Incoming(Topics.SNAPSHOT_REJECTED)
  @Blocking
  public void rejected(ConsumerRecord<String, String> record) {
    index.rejected(KafkaEvents.decode(EventType.SNAPSHOT_REJECTED, record));
  }
}
