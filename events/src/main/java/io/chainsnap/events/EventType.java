package io.chainsnap.events;

import java.util.Arrays;
import java.util.Optional;

/** Every event chainsnap emits: its topic, CloudEvents {@code type}, data record and schema. */
public enum EventType {
  SNAPSHOT_REQUESTED(Topics.SNAPSHOT_REQUESTED, SnapshotRequested.class),
  SNAPSHOT_CREATED(Topics.SNAPSHOT_CREATED, SnapshotCreated.class),
  SNAPSHOT_UPLOADED(Topics.SNAPSHOT_UPLOADED, SnapshotUploaded.class),
  SNAPSHOT_PINNED(Topics.SNAPSHOT_PINNED, SnapshotPinned.class),
  SNAPSHOT_VERIFIED(Topics.SNAPSHOT_VERIFIED, SnapshotVerified.class),
  SNAPSHOT_REJECTED(Topics.SNAPSHOT_REJECTED, SnapshotRejected.class),
  SNAPSHOT_PUBLISHED(Topics.SNAPSHOT_PUBLISHED, SnapshotPublished.class);

  /** Version of the data contract, part of the CloudEvents type. */
  public static final int VERSION = 1;

  private final String topic;
  private final Class<? extends EventData> dataClass;

  EventType(String topic, Class<? extends EventData> dataClass) {
    this.topic = topic;
    this.dataClass = dataClass;
  }

  public String topic() {
    return topic;
  }

  public Class<? extends EventData> dataClass() {
    return dataClass;
  }

  /** The CloudEvents type, e.g. {@code io.chainsnap.snapshot.created.v1}. */
  public String cloudEventType() {
    return "io.chainsnap." + topic.replace('-', '.') + ".v" + VERSION;
  }

  /** Classpath resource of the JSON Schema of the data. */
  public String schemaResource() {
    return "/io/chainsnap/events/schemas/" + topic + ".v" + VERSION + ".schema.json";
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
