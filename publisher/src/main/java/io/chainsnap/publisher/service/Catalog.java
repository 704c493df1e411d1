package io.chainsnap.publisher.service;

import io.chainsnap.events.EventCodec;
import io.chainsnap.events.EventData;
import io.chainsnap.events.EventType;
import io.chainsnap.events.SnapshotTarget;
import io.chainsnap.publisher.store.ArchiveStore;
import io.chainsnap.publisher.store.CatalogKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The publisher's durable state: per snapshot, one JSON record per stage reached ({@code created},
 * {@code uploaded}, {@code pinned}, {@code verified}, {@code rejected}, {@code published}), each
 * the event of that stage, stored in the bucket under a private prefix. Consumers check it to stay
 * idempotent, and the index is rebuilt from it.
 */
@ApplicationScoped
public class Catalog {
  /** Stage names and the event type recorded for each. */
  public static final Map<String, EventType> STAGES =
      Map.of(
          "created", EventType.SNAPSHOT_CREATED,
          "uploaded", EventType.SNAPSHOT_UPLOADED,
          "pinned", EventType.SNAPSHOT_PINNED,
          "verified", EventType.SNAPSHOT_VERIFIED,
          "rejected", EventType.SNAPSHOT_REJECTED,
          "published", EventType.SNAPSHOT_PUBLISHED);

  private final ArchiveStore store;

  public Catalog(ArchiveStore store) {
    this.store = store;
  }

  /** Records that {@code snapshotId} reached {@code stage}, with that stage's event. */
  public void record(SnapshotTarget target, String snapshotId, String stage, EventData event) {
    store.put(
        CatalogKeys.record(target, snapshotId, stage),
        EventCodec.encode(event).getBytes(StandardCharsets.UTF_8),
        "application/json",
        "no-store",
        Map.of());
  }

  /** The event recorded for {@code stage} of {@code snapshotId}, if that stage was reached. */
  public <T extends EventData> Optional<T> read(
      SnapshotTarget target, String snapshotId, String stage) {
    return store
        .get(CatalogKeys.record(target, snapshotId, stage))
        .map(
            bytes ->
                EventCodec.decode(STAGES.get(stage), new String(bytes, StandardCharsets.UTF_8)));
  }
}
