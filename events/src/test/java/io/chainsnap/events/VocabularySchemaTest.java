package io.chainsnap.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.QuiesceStrategy;
import io.chainsnap.domain.RejectionStage;
import io.chainsnap.domain.SkipReason;
import io.chainsnap.domain.Trigger;
import io.chainsnap.domain.VerificationStatus;
import io.chainsnap.domain.WireEnum;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The closed lists of the domain ({@code io.chainsnap.domain}) and the {@code enum}s of the event
 * schemas are the same lists: a value added to one and not the other fails here, not in production
 * when a consumer refuses an event.
 */
class VocabularySchemaTest {

  @Test
  void modeIsTheSameListInEverySchemaThatHasATarget() throws Exception {
    for (EventType type : EventType.values()) {
      JsonNode schema = schema(type);
      JsonNode mode = schema.at("/properties/target/properties/mode/enum");
      if (type == EventType.SNAPSHOT_REQUESTED) {
        assertEquals(true, mode.isMissingNode(), "snapshot-requested names a target by name");
        continue;
      }
      assertEquals(wireNames(Mode.class), values(mode), type.topic() + " target.mode");
    }
  }

  @Test
  void quiesceOfSnapshotCreated() throws Exception {
    assertEquals(
        wireNames(QuiesceStrategy.class),
        values(schema(EventType.SNAPSHOT_CREATED).at("/properties/quiesce/enum")));
  }

  @Test
  void triggerAndReasonOfSnapshotSkipped() throws Exception {
    JsonNode schema = schema(EventType.SNAPSHOT_SKIPPED);
    assertEquals(wireNames(Trigger.class), values(schema.at("/properties/trigger/enum")));
    assertEquals(wireNames(SkipReason.class), values(schema.at("/properties/reason/enum")));
  }

  @Test
  void stageOfSnapshotRejected() throws Exception {
    assertEquals(
        wireNames(RejectionStage.class),
        values(schema(EventType.SNAPSHOT_REJECTED).at("/properties/stage/enum")));
  }

  @Test
  void verificationOfSnapshotExpiredIsEveryVerdictButPending() throws Exception {
    List<String> verdicts = new ArrayList<>(wireNames(VerificationStatus.class));
    verdicts.remove(VerificationStatus.PENDING.wireName());
    assertEquals(
        verdicts, values(schema(EventType.SNAPSHOT_EXPIRED).at("/properties/verification/enum")));
  }

  @Test
  void everyConstantRoundTripsThroughItsWireName() {
    List<Class<? extends Enum<?>>> types =
        List.of(
            Mode.class,
            QuiesceStrategy.class,
            Trigger.class,
            SkipReason.class,
            RejectionStage.class,
            VerificationStatus.class);
    for (Class<? extends Enum<?>> type : types) {
      for (Enum<?> constant : type.getEnumConstants()) {
        String json = EventCodec.mapper().valueToTree(constant).asText();
        assertEquals(((WireEnum) constant).wireName(), json);
        assertEquals(constant, EventCodec.mapper().convertValue(json, type));
      }
    }
  }

  private static <E extends Enum<E> & WireEnum> List<String> wireNames(Class<E> type) {
    return Arrays.stream(type.getEnumConstants()).map(e -> e.wireName()).toList();
  }

  private static List<String> values(JsonNode array) {
    assertFalse(array.isMissingNode(), "the schema has no such enum");
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }

  private static JsonNode schema(EventType type) throws Exception {
    try (InputStream in = EventCodec.class.getResourceAsStream(type.schemaResource())) {
      return EventCodec.mapper().readTree(in);
    }
  }
}
