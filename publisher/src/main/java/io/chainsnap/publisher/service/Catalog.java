package io.chainsnap.publisher.service;

import io.chainsnap.events.EventCodec;
import io.chainsnap.events.EventData;
import io.chainsnap.events.SnapshotTarget;
import io.chainsnap.publisher.CatalogStage;
import io.chainsnap.publisher.store.ArchiveStore;
import io.chainsnap.publisher.store.CatalogKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The publisher's durable state: per snapshot, one JSON record per {@link CatalogStage} reached,
 * each the event of that stage, stored in the bucket under a private prefix. Consumers check it to
 * stay idempotent, and the index is built from it.
 */
@ApplicationScoped
public class Catalog {
  private final ArchiveStore store;

  public Catalog(ArchiveStore store) {
    this.store = store;
  }

  /** Records that {@code snapshotId} reached {@code stage}, with that stage's event. */
  public void record(
      SnapshotTarget target, String snapshotId, CatalogStage stage, EventData event) {
    store.put(
        CatalogKeys.record(target, snapshotId, stage),
        EventCodec.encode(event).getBytes(StandardCharsets.UTF_8),
        "application/json",
        "no-store",
        Map.of());
  }

  /** The event recorded for {@code stage} of {@code snapshotId}, if that stage was reached. */
  public <T extends EventData> Optional<T> read(
      SnapshotTarget target, String snapshotId, CatalogStage stage) {
    return store
        .get(CatalogKeys.record(target, snapshotId, stage))
        .map(bytes -> decode(stage, bytes));
  }

  /** Decodes a catalog record of {@code stage}. */
  static <T extends EventData> T decode(CatalogStage stage, byte[] json) {
    return EventCodec.decode(stage.eventType(), new String(json, StandardCharsets.UTF_8));
  }
}
