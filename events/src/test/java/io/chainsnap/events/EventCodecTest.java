package io.chainsnap.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.QuiesceStrategy;
import io.chainsnap.domain.RejectionStage;
import io.chainsnap.domain.SkipReason;
import io.chainsnap.domain.Trigger;
import io.chainsnap.domain.VerificationStatus;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EventCodecTest {
  static final SnapshotTarget TARGET = new SnapshotTarget("litecoin", "regtest", Mode.FULL);
  static final String HASH = "91280346e339bbc6614a0baf04b1a257da8b197b0b55ced010ad075270eac7cb";
  static final String ID = "litecoin-regtest-full-20261121t223300123z-503";
  static final Instant NOW = Instant.parse("2026-11-21T22:33:00Z");

  static List<EventData> samples() {
    return List.of(
        new SnapshotRequested("req-1", "litecoin-regtest", "ops", NOW),
        new SnapshotCreated(
            ID,
            TARGET,
            503,
            HASH,
            "/LitecoinCore:0.21.2.1/",
            NOW,
            QuiesceStrategy.STOP,
            1200,
            new ArchiveRef(
                "http://127.0.0.1:8080/staging/a/snapshot.tar.zst",
                "http://127.0.0.1:8080/staging/a/snapshot.json",
                HASH,
                HASH,
                10,
                20,
                3,
                1,
                1)),
        new SnapshotUploaded(
            ID,
            TARGET,
            503,
            HASH,
            "snapshots",
            "litecoin/regtest/full/x/snapshot.tar.zst",
            "litecoin/regtest/full/x/snapshot.json",
            "http://127.0.0.1:9000/snapshots/litecoin/regtest/full/x/snapshot.tar.zst",
            "http://127.0.0.1:9000/snapshots/litecoin/regtest/full/x/snapshot.json",
            HASH,
            10,
            NOW),
        new SnapshotPinned(
            ID, TARGET, "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy", NOW),
        new SnapshotVerified(ID, TARGET, 503, HASH, "http://127.0.0.1/x", 100, 200, NOW),
        new SnapshotRejected(
            ID, TARGET, "http://127.0.0.1/x", RejectionStage.CHECKSUM, "chunk 0 differs", NOW),
        new SnapshotPublished(ID, TARGET, "http://127.0.0.1/index.json", 4, ID, NOW),
        new SnapshotSkipped(
            "ltc-regtest", TARGET, Trigger.SCHEDULE, SkipReason.SYNCING, "node is syncing", NOW),
        expired(
            VerificationStatus.VERIFIED,
            "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"));
  }

  static SnapshotExpired expired(VerificationStatus verification, String cid) {
    return new SnapshotExpired(
        ID,
        TARGET,
        503,
        NOW.minusSeconds(86_400 * 40),
        verification,
        "verified, outside keep-last 3, keep-daily 7",
        "litecoin/regtest/full/" + ID + "/",
        cid,
        NOW);
  }

  @Test
  void snapshotExpiredWithoutCidRoundTripsAndNeverNamesAPendingSnapshot() {
    SnapshotExpired neverPinned = expired(VerificationStatus.REJECTED, null);
    String json = EventCodec.encode(neverPinned);
    assertTrue(!json.contains("\"cid\""), "an unset cid is left out: " + json);
    assertEquals(neverPinned, EventCodec.decode(EventType.SNAPSHOT_EXPIRED, json));
    assertEquals("io.chainsnap.snapshot.expired.v1", EventType.SNAPSHOT_EXPIRED.cloudEventType());

    assertThrows(
        IllegalArgumentException.class,
        () -> EventCodec.encode(expired(VerificationStatus.PENDING, null)),
        "a pending snapshot is never expired");
    SnapshotExpired escaping =
        new SnapshotExpired(
            ID, TARGET, 503, NOW, VerificationStatus.VERIFIED, "x", "../../", null, NOW);
    assertThrows(IllegalArgumentException.class, () -> EventCodec.encode(escaping));
    String noReason = json.replace("\"reason\":\"verified", "\"reasonX\":\"verified");
    InvalidEventException missing =
        assertThrows(
            InvalidEventException.class,
            () -> EventCodec.decode(EventType.SNAPSHOT_EXPIRED, noReason));
    assertTrue(missing.getMessage().contains("reason"), missing.getMessage());
  }

  @Test
  void everyTypeRoundTripsThroughItsSchema() {
    assertEquals(EventType.values().length, samples().size());
    for (EventData sample : samples()) {
      EventType type = EventType.of(sample.getClass());
      String json = EventCodec.encode(sample);
      assertEquals(sample, EventCodec.decode(type, json), type.topic());
    }
  }

  @Test
  void schemaPropertiesMatchRecordComponents() throws Exception {
    for (EventType type : EventType.values()) {
      JsonNode schema;
      try (InputStream in = EventType.class.getResourceAsStream(type.schemaResource())) {
        schema = EventCodec.mapper().readTree(in);
      }
      Set<String> properties = new TreeSet<>();
      schema.path("properties").fieldNames().forEachRemaining(properties::add);
      Set<String> components =
          Arrays.stream(type.dataClass().getRecordComponents())
              .map(RecordComponent::getName)
              .collect(Collectors.toCollection(TreeSet::new));
      assertEquals(components, properties, "schema and record of " + type.topic() + " differ");
    }
  }

  @Test
  void cloudEventTypesAreVersioned() {
    assertEquals("io.chainsnap.snapshot.created.v1", EventType.SNAPSHOT_CREATED.cloudEventType());
    assertEquals(
        EventType.SNAPSHOT_PUBLISHED,
        EventType.ofCloudEventType("io.chainsnap.snapshot.published.v1").orElseThrow());
  }

  @Test
  void malformedEventsAreRefusedWithAReason() {
    InvalidEventException notJson =
        assertThrows(
            InvalidEventException.class,
            () -> EventCodec.decode(EventType.SNAPSHOT_CREATED, "{not json"));
    assertTrue(notJson.getMessage().contains("not JSON"), notJson.getMessage());

    InvalidEventException missing =
        assertThrows(
            InvalidEventException.class,
            () -> EventCodec.decode(EventType.SNAPSHOT_CREATED, "{\"snapshotId\":\"x\"}"));
    assertTrue(missing.getMessage().contains("blockHash"), missing.getMessage());

    String badHash = EventCodec.encode(samples().get(1)).replace(HASH, "zz");
    InvalidEventException pattern =
        assertThrows(
            InvalidEventException.class,
            () -> EventCodec.decode(EventType.SNAPSHOT_CREATED, badHash));
    assertTrue(pattern.getMessage().contains("does not match its schema"), pattern.getMessage());

    String traversal = EventCodec.encode(samples().get(1)).replace(ID, "../../etc");
    assertThrows(
        InvalidEventException.class,
        () -> EventCodec.decode(EventType.SNAPSHOT_CREATED, traversal));
  }

  @Test
  void unknownFieldsAreIgnoredForForwardCompatibility() {
    String json = EventCodec.encode(samples().get(3));
    String extended = json.substring(0, json.length() - 1) + ",\"futureField\":42}";
    assertEquals(samples().get(3), EventCodec.decode(EventType.SNAPSHOT_PINNED, extended));
  }

  @Test
  void producersCannotEmitInvalidEvents() {
    SnapshotPinned bad = new SnapshotPinned(ID, TARGET, "not-a-cid", NOW);
    assertThrows(IllegalArgumentException.class, () -> EventCodec.encode(bad));
  }

  @Test
  void cloudEventHeadersRoundTripAndTypeIsChecked() {
    EventData data = samples().get(1);
    CloudEventAttributes attributes = CloudEventAttributes.of("/chainsnap/test", data);
    Map<String, String> headers = new HashMap<>(attributes.toHeaders());
    assertEquals(ID, headers.get("ce_subject"));
    CloudEventAttributes read = CloudEventAttributes.fromHeaders(headers::get);
    assertEquals(attributes, read);
    String json = EventCodec.encode(data);
    assertEquals(data, EventCodec.decode(EventType.SNAPSHOT_CREATED, json, read));
    assertThrows(
        InvalidEventException.class,
        () -> EventCodec.decode(EventType.SNAPSHOT_UPLOADED, json, read));
    headers.remove("ce_type");
    assertThrows(InvalidEventException.class, () -> CloudEventAttributes.fromHeaders(headers::get));
  }
}
