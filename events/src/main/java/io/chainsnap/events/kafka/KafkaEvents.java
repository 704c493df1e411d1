package io.chainsnap.events.kafka;

import io.chainsnap.events.CloudEventAttributes;
import io.chainsnap.events.EventCodec;
import io.chainsnap.events.EventData;
import io.chainsnap.events.EventType;
import io.chainsnap.events.InvalidEventException;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The Kafka binding of chainsnap events: CloudEvents binary mode (attributes in {@code ce_*}
 * headers, JSON data as the value, key = snapshot id). Sending waits for the broker's
 * acknowledgement, so callers only move on once the event is durable.
 *
 * <p>A broker outage is waited out, however long: when the producer gives up on a record with a
 * retriable error (its {@code delivery.timeout.ms} passed while no broker answered) the event is
 * sent again, with backoff up to 30 s, until a broker acknowledges it. Only an error retrying
 * cannot fix (a record the broker refuses, a closed producer) fails the send. Consumers are
 * idempotent on the snapshot id, so an event the broker did take before the producer gave up may
 * arrive twice, never not at all.
 */
public final class KafkaEvents {
  private static final Logger LOG = Logger.getLogger(KafkaEvents.class);
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private KafkaEvents() {}

  /**
   * Sends {@code data} on {@code emitter} and blocks until the broker acknowledged it, sending it
   * again after retriable failures; logs a warning every {@code reportEvery} while it waits.
   *
   * @throws IllegalStateException if the producer fails with an error retrying cannot fix, or the
   *     thread is interrupted
   */
  public static void sendAndAwait(
      Emitter<String> emitter, String source, EventData data, Duration reportEvery) {
    String what = EventType.of(data.getClass()).topic() + " " + data.key();
    long started = System.nanoTime();
    Duration backoff = FIRST_BACKOFF;
    for (int attempt = 1; ; attempt++) {
      CompletableFuture<Void> acked = new CompletableFuture<>();
      try {
        emitter.send(message(source, data, acked));
      } catch (RuntimeException e) {
        acked.completeExceptionally(e);
      }
      try {
        await(acked, what, started, reportEvery);
        if (attempt > 1) {
          LOG.infof(
              "the broker acknowledged %s at attempt %d, %d s after the first",
              what, attempt, elapsedSeconds(started));
        }
        return;
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (!retriable(cause)) {
          throw new IllegalStateException("broker did not accept " + what + ": " + cause, cause);
        }
        LOG.warnf(
            "no broker acknowledged %s (attempt %d, %d s: %s); sending it again in %d s",
            what, attempt, elapsedSeconds(started), cause, backoff.toSeconds());
        sleep(backoff, what);
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
      }
    }
  }

  /** Waits for one attempt's outcome, logging while it takes long. */
  private static void await(
      CompletableFuture<Void> acked, String what, long started, Duration reportEvery)
      throws ExecutionException {
    while (true) {
      try {
        acked.get(reportEvery.toMillis(), TimeUnit.MILLISECONDS);
        return;
      } catch (TimeoutException e) {
        LOG.warnf(
            "still waiting for the broker to acknowledge %s (%d s)", what, elapsedSeconds(started));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while sending " + what, e);
      }
    }
  }

  /**
   * Whether sending again can help: the producer's error (or one of its causes) is a Kafka {@link
   * RetriableException}, such as the {@code TimeoutException} of a record no broker took within
   * {@code delivery.timeout.ms}.
   */
  static boolean retriable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RetriableException) {
        return true;
      }
    }
    return false;
  }

  private static long elapsedSeconds(long started) {
    return (System.nanoTime() - started) / 1_000_000_000L;
  }

  private static void sleep(Duration backoff, String what) {
    try {
      Thread.sleep(backoff.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending " + what, e);
    }
  }

  /** A message for {@code data} whose acknowledgement (or failure) completes {@code acked}. */
  public static Message<String> message(
      String source, EventData data, CompletableFuture<Void> acked) {
    String json = EventCodec.encode(data);
    Headers headers = new RecordHeaders();
    CloudEventAttributes.of(source, data)
        .toHeaders()
        .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
    OutgoingKafkaRecordMetadata<String> metadata =
        OutgoingKafkaRecordMetadata.<String>builder()
            .withKey(data.key())
            .withHeaders(headers)
            .build();
    return Message.of(json)
        .addMetadata(metadata)
        .withAck(
            () -> {
              acked.complete(null);
              return CompletableFuture.completedFuture(null);
            })
        .withNack(
            reason -> {
              acked.completeExceptionally(reason);
              return CompletableFuture.completedFuture(null);
            });
  }

  /**
   * Decodes a consumed record of {@code type}: CloudEvents headers when present (their type must
   * match), then the schema-validated data. {@link InvalidEventException} says why not.
   */
  public static <T extends EventData> T decode(
      EventType type, ConsumerRecord<String, String> record) {
    CloudEventAttributes attributes = null;
    if (record.headers().lastHeader("ce_specversion") != null) {
      attributes = CloudEventAttributes.fromHeaders(name -> header(record.headers(), name));
    }
    return EventCodec.decode(type, record.value(), attributes);
  }

  private static String header(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }
}
