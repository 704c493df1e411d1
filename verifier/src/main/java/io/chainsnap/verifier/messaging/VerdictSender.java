package io.chainsnap.verifier.messaging;

import io.chainsnap.events.EventData;
import io.chainsnap.events.EventType;
import io.chainsnap.events.Topics;
import io.chainsnap.events.kafka.KafkaEvents;
import io.chainsnap.verifier.config.VerifierConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * Sends a verdict ({@code snapshot-verified} or {@code snapshot-rejected}) and waits until the
 * broker acknowledged it; an outage is waited out. Shared by the first verification and the
 * re-verification.
 */
@ApplicationScoped
public class VerdictSender {
  // how often a send that waits for a broker logs that it still waits
  private static final Duration REPORT_EVERY = Duration.ofMinutes(1);

  private final Emitter<String> verified;
  private final Emitter<String> rejected;
  private final String source;

  public VerdictSender(
      @Channel(Topics.SNAPSHOT_VERIFIED) Emitter<String> verified,
      @Channel(Topics.SNAPSHOT_REJECTED) Emitter<String> rejected,
      VerifierConfig config) {
    this.verified = verified;
    this.rejected = rejected;
    this.source = config.eventSource();
  }

  /** Sends {@code result} to its topic and waits for the acknowledgement. */
  public void send(EventData result) {
    Emitter<String> emitter =
        EventType.of(result.getClass()) == EventType.SNAPSHOT_VERIFIED ? verified : rejected;
    KafkaEvents.sendAndAwait(emitter, source, result, REPORT_EVERY);
  }
}
