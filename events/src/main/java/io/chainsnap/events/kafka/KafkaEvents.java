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
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The Kafka binding of chainsnap events: CloudEvents binary mode (attributes in {@code ce_*}
 * headers, JSON data as the value, key = snapshot id). Sending waits for the broker's
 * acknowledgement, so callers only move on once the event is durable.
 */
public final class KafkaEvents {
  private KafkaEvents() {}

  /** Sends {@code data} on {@code emitter} and blocks until the broker acknowledged it. */
  public static void sendAndAwait(
      Emitter<String> emitter, String source, EventData data, Duration timeout) {
    CompletableFuture<Void> acked = new CompletableFuture<>();
    emitter.send(message(source, data, acked));
    try {
      acked.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "broker did not accept " + EventType.of(data.getClass()).topic() + " " + data.key(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "no broker acknowledgement within " + timeout + " for " + data.key(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending " + data.key(), e);
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
