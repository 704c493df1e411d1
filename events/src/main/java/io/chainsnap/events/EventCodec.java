package io.chainsnap.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns event data into JSON and back, validating against the type's JSON Schema both ways: a
 * producer cannot emit an event its consumers would refuse, and a consumer refuses malformed input
 * with a reason instead of failing later. Unknown fields are ignored (new fields are optional).
 */
public final class EventCodec {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          // optional fields are left out rather than sent as null
          .setSerializationInclusion(JsonInclude.Include.NON_NULL)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static final Map<EventType, JsonSchema> SCHEMAS = loadSchemas();

  private EventCodec() {}

  /** The JSON of {@code data}; fails if it does not satisfy its own schema (a bug). */
  public static String encode(EventData data) {
    EventType type = EventType.of(data.getClass());
    JsonNode tree = MAPPER.valueToTree(data);
    Set<ValidationMessage> errors = SCHEMAS.get(type).validate(tree);
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(
          "refusing to emit an invalid " + type.topic() + " event: " + describe(errors));
    }
    try {
      return MAPPER.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses and validates an event of {@code type}; {@link InvalidEventException} with why not. */
  public static <T extends EventData> T decode(EventType type, String json) {
    if (json == null || json.isBlank()) {
      throw new InvalidEventException(type.topic() + " event has no data");
    }
    JsonNode tree;
    try {
      tree = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidEventException(
          type.topic() + " event is not JSON: " + e.getOriginalMessage(), e);
    }
    Set<ValidationMessage> errors = SCHEMAS.get(type).validate(tree);
    if (!errors.isEmpty()) {
      throw new InvalidEventException(
          type.topic() + " event does not match its schema: " + describe(errors));
    }
    try {
      @SuppressWarnings("unchecked")
      T data = (T) MAPPER.treeToValue(tree, type.dataClass());
      return data;
    } catch (JsonProcessingException e) {
      throw new InvalidEventException(
          type.topic() + " event cannot be read: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Decodes a Kafka record: checks the CloudEvents type header (when present) names {@code type},
   * then the data.
   */
  public static <T extends EventData> T decode(
      EventType type, String json, CloudEventAttributes attributes) {
    if (attributes != null && !type.cloudEventType().equals(attributes.type())) {
      throw new InvalidEventException(
          "expected CloudEvents type "
              + type.cloudEventType()
              + " on topic "
              + type.topic()
              + " but got "
              + attributes.type());
    }
    return decode(type, json);
  }

  /** The shared mapper (ISO-8601 times, unknown fields ignored), for other chainsnap JSON. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  private static String describe(Set<ValidationMessage> errors) {
    return errors.stream()
        .map(ValidationMessage::getMessage)
        .sorted()
        .collect(Collectors.joining("; "));
  }

  private static Map<EventType, JsonSchema> loadSchemas() {
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    Map<EventType, JsonSchema> schemas = new EnumMap<>(EventType.class);
    for (EventType type : EventType.values()) {
      try (InputStream in = EventCodec.class.getResourceAsStream(type.schemaResource())) {
        if (in == null) {
          throw new IllegalStateException("missing schema " + type.schemaResource());
        }
        schemas.put(type, factory.getSchema(in));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return schemas;
  }
}
