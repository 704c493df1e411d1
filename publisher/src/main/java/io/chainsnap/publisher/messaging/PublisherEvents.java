package io.chainsnap.publisher.messaging;

import io.chainsnap.events.EventData;
import io.chainsnap.events.Topics;
import io.chainsnap.events.kafka.KafkaEvents;
import io.chainsnap.publisher.config.PublisherConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** Emits the publisher's events and waits for the broker to acknowledge each. */
@ApplicationScoped
public class PublisherEvents {
  // how often a send that waits for a broker logs that it still waits (an outage is waited out)
  private static final Duration REPORT_EVERY = Duration.ofMinutes(1);

  private final Emitter<String> uploaded;
  private final Emitter<String> pinned;
  private final Emitter<String> published;
  private final Emitter<String> expired;
  private final String source;

  public PublisherEvents(
      @Channel(Topics.SNAPSHOT_UPLOADED) Emitter<String> uploaded,
      @Channel(Topics.SNAPSHOT_PINNED) Emitter<String> pinned,
      @Channel(Topics.SNAPSHOT_PUBLISHED) Emitter<String> published,
      @Channel(Topics.SNAPSHOT_EXPIRED) Emitter<String> expired,
      PublisherConfig config) {
    this.uploaded = uploaded;
    this.pinned = pinned;
    this.published = published;
    this.expired = expired;
    this.source = config.eventSource();
  }

  public void uploaded(EventData event) {
    KafkaEvents.sendAndAwait(uploaded, source, event, REPORT_EVERY);
  }

  public void pinned(EventData event) {
    KafkaEvents.sendAndAwait(pinned, source, event, REPORT_EVERY);
  }

  public void published(EventData event) {
    KafkaEvents.sendAndAwait(published, source, event, REPORT_EVERY);
  }

  /** Emits {@code snapshot-expired} (retention) and waits for the broker's ack. */
  public void expired(EventData event) {
    KafkaEvents.sendAndAwait(expired, source, event, REPORT_EVERY);
  }
}
