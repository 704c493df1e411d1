package io.chainsnap.events.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.events.SnapshotRequested;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

/**
 * How sending waits out a broker that does not answer. The emitter here plays the producer: it
 * acknowledges or fails each message the way SmallRye's Kafka sink does (the real broker is in the
 * services' integration tests, e.g. the snapshotter's {@code BrokerOutageIT}).
 */
class KafkaEventsTest {
  static final SnapshotRequested EVENT =
      new SnapshotRequested("req-1", "ltc", "ops", Instant.parse("2026-12-03T00:00:00Z"));

  /** Completes the n-th message (from 0) as {@code outcome} says: null acks, else nacks. */
  static class ScriptedEmitter implements Emitter<String> {
    final List<Message<? extends String>> sent = new ArrayList<>();
    final Function<Integer, Throwable> outcome;

    ScriptedEmitter(Function<Integer, Throwable> outcome) {
      this.outcome = outcome;
    }

    @Override
    public <M extends Message<? extends String>> void send(M message) {
      Throwable failure = outcome.apply(sent.size());
      sent.add(message);
      if (failure == null) {
        message.ack();
      } else {
        message.nack(failure);
      }
    }

    @Override
    public CompletionStage<Void> send(String payload) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void complete() {}

    @Override
    public void error(Exception e) {}

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public boolean hasRequests() {
      return true;
    }
  }

  @Test
  void anAcknowledgedEventIsSentOnce() {
    ScriptedEmitter emitter = new ScriptedEmitter(n -> null);
    KafkaEvents.sendAndAwait(emitter, "/test", EVENT, Duration.ofSeconds(1));
    assertEquals(1, emitter.sent.size());
  }

  @Test
  void aDeliveryTimeoutIsSentAgainUntilABrokerTakesIt() {
    // the producer gives up twice (no broker within delivery.timeout.ms), then the broker is back
    ScriptedEmitter emitter =
        new ScriptedEmitter(
            n -> n < 2 ? new TimeoutException("Expiring 1 record(s): 120000 ms has passed") : null);
    KafkaEvents.sendAndAwait(emitter, "/test", EVENT, Duration.ofSeconds(1));
    assertEquals(3, emitter.sent.size(), "sent again after each timeout");
    assertEquals(emitter.sent.get(0).getPayload(), emitter.sent.get(2).getPayload());
  }

  @Test
  void anErrorRetryingCannotFixFailsAtOnce() {
    RecordTooLargeException tooLarge = new RecordTooLargeException("too large");
    ScriptedEmitter emitter = new ScriptedEmitter(n -> tooLarge);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> KafkaEvents.sendAndAwait(emitter, "/test", EVENT, Duration.ofSeconds(1)));
    assertSame(tooLarge, e.getCause());
    assertEquals(1, emitter.sent.size());
  }

  @Test
  void aSlowAcknowledgementIsWaitedForPastTheReportInterval() throws Exception {
    CompletableFuture<Message<? extends String>> pending = new CompletableFuture<>();
    Emitter<String> slow =
        new ScriptedEmitter(n -> null) {
          @Override
          public <M extends Message<? extends String>> void send(M message) {
            pending.complete(message);
          }
        };
    Thread acker =
        new Thread(
            () -> {
              try {
                Thread.sleep(600);
                pending.get().ack();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    acker.start();
    long started = System.nanoTime();
    KafkaEvents.sendAndAwait(slow, "/test", EVENT, Duration.ofMillis(100));
    assertTrue(System.nanoTime() - started >= 500_000_000L, "returned only after the ack");
    acker.join();
  }

  @Test
  void retriableIsDecidedByTheCauseChain() {
    assertTrue(KafkaEvents.retriable(new IllegalStateException(new TimeoutException("x"))));
    assertFalse(KafkaEvents.retriable(new IllegalStateException("producer closed")));
    assertFalse(KafkaEvents.retriable(null));
  }
}
