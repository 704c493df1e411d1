package io.chainsnap.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The CloudEvents 1.0 attributes of an event in Kafka binary mode: each attribute is a record
 * header named {@code ce_<attribute>}, the record value is the JSON data.
 *
 * @param id unique per event
 * @param source the emitting service, e.g. {@code /chainsnap/snapshotter}
 * @param type e.g. {@code io.chainsnap.snapshot.created.v1}
 * @param subject the snapshot id
 * @param time when the event was emitted
 */
public record CloudEventAttributes(
    String id, String source, String type, String subject, Instant time) {
  public static final String SPEC_VERSION = "1.0";
  public static final String CONTENT_TYPE = "application/json";

  /** Fresh attributes for {@code data} emitted by {@code source} now. */
  public static CloudEventAttributes of(String source, EventData data) {
    return new CloudEventAttributes(
        UUID.randomUUID().toString(),
        source,
        EventType.of(data.getClass()).cloudEventType(),
        data.key(),
        Instant.now());
  }

  /** The Kafka headers of binary mode, in a stable order. */
  public Map<String, String> toHeaders() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("ce_specversion", SPEC_VERSION);
    headers.put("ce_id", id);
    headers.put("ce_source", source);
    headers.put("ce_type", type);
    headers.put("ce_subject", subject);
    headers.put("ce_time", time.toString());
    headers.put("content-type", CONTENT_TYPE);
    return headers;
  }

  /**
   * Reads the attributes from headers (given by a lookup that answers null when absent); fails when
   * a required one is missing.
   */
  public static CloudEventAttributes fromHeaders(Function<String, String> header) {
    String spec = header.apply("ce_specversion");
    if (!SPEC_VERSION.equals(spec)) {
      throw new InvalidEventException(
          "not a CloudEvents " + SPEC_VERSION + " event (ce_specversion=" + spec + ")");
    }
    String id = require(header, "ce_id");
    String source = require(header, "ce_source");
    String type = require(header, "ce_type");
    String time = header.apply("ce_time");
    Instant parsed;
    try {
      parsed = time == null ? null : Instant.parse(time);
    } catch (RuntimeException e) {
      throw new InvalidEventException("ce_time is not an RFC 3339 time: " + time, e);
    }
    return new CloudEventAttributes(id, source, type, header.apply("ce_subject"), parsed);
  }

  private static String require(Function<String, String> header, String name) {
    String value = header.apply(name);
    if (value == null || value.isBlank()) {
      throw new InvalidEventException("missing CloudEvents header " + name);
    }
    return value;
  }
}
