package io.chainsnap.events;

import java.util.Arrays;
import java.util.Optional;

/** Every event chainsnap emits: its topic, CloudEvents {@code type}, data record and schema. */
public enum EventType {
  SNAPSHOT_REQUESTED(Topics.SNAPSHOT_REQUESTED, SnapshotRequested.class, 1),
  SNAPSHOT_CREATED(Topics.SNAPSHOT_CREATED, SnapshotCreated.class, 1),
  SNAPSHOT_UPLOADED(Topics.SNAPSHOT_UPLOADED, SnapshotUploaded.class, 1),
  SNAPSHOT_PINNED(Topics.SNAPSHOT_PINNED, SnapshotPinned.class, 1),
  SNAPSHOT_VERIFIED(Topics.SNAPSHOT_VERIFIED, SnapshotVerified.class, 1),
  SNAPSHOT_REJECTED(Topics.SNAPSHOT_REJECTED, SnapshotRejected.class, 1),
  SNAPSHOT_PUBLISHED(Topics.SNAPSHOT_PUBLISHED, SnapshotPublished.class, 1),
  SNAPSHOT_SKIPPED(Topics.SNAPSHOT_SKIPPED, SnapshotSkipped.class, 1),
  SNAPSHOT_EXPIRED(Topics.SNAPSHOT_EXPIRED, SnapshotExpired.class, 1);

  private final String topic;
  private final Class<? extends EventData> dataClass;
  private final int version;

  EventType(String topic, Class<? extends EventData> dataClass, int version) {
    this.topic = topic;
    this.dataClass = dataClass;
    this.version = version;
  }

  /** Version of this type's data contract, part of its CloudEvents type and schema name. */
  public int version() {
    return version;
  }

  public String topic() {
    return topic;
  }

  public Class<? extends EventData> dataClass() {
    return dataClass;
  }

  /** The CloudEvents type, e.g. {@code io.chainsnap.snapshot.created.v1}. */
  public String cloudEventType() {
    return "io.chainsnap." + topic.replace('-', '.') + ".v" + version;
  }

  /** Classpath resource of the JSON Schema of the data. */
  public String schemaResource() {
    return "/io/chainsnap/events/schemas/" + topic + ".v" + version + ".schema.json";
  }

  public static Optional<EventType> ofCloudEventType(String type) {
    return Arrays.stream(values()).filter(t -> t.cloudEventType().equals(type)).findFirst();
  }

  public static EventType of(Class<? extends EventData> dataClass) {
    return Arrays.stream(values())
        .filter(t -> t.dataClass.equals(dataClass))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no event type for " + dataClass));
  }
}
