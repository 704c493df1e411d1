package io.chainsnap.publisher.messaging;

import io.chainsnap.events.EventType;
import io.chainsnap.events.SnapshotRejected;
import io.chainsnap.events.SnapshotVerified;
import io.chainsnap.events.Topics;
import io.chainsnap.events.kafka.KafkaEvents;
import io.chainsnap.publisher.mirror.MirrorService;
import io.chainsnap.publisher.service.IndexService;
import io.chainsnap.publisher.service.RetentionService;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
  private final MirrorService mirror;

  public VerificationListener(IndexService index, PublisherEvents events, MirrorService mirror) {
    this.index = index;
    this.events = events;
    this.mirror = mirror;
  }

  private RetentionService retention;

  /** Retention runs after each publication (when {@code publisher.retention.enabled}). */
  @Inject
  void retention(RetentionService retention) {
    this.retention = retention;
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
              // retention of its chain/network, now that a newer latest exists (never throws)
              retention.published(published.target());
            });
    // after the index: the per-file mirror follows the latest verified snapshot in the background
    mirror.request(verified.target());
  }

  @Incoming(Topics.SNAPSHOT_REJECTED)
  @Blocking
  public void rejected(ConsumerRecord<String, String> record) {
    SnapshotRejected rejected = KafkaEvents.decode(EventType.SNAPSHOT_REJECTED, record);
    index.rejected(rejected);
    // a rejection may overturn the latest snapshot: the mirror follows the index
    mirror.request(rejected.target());
  }
}
