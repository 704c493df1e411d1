package io.chainsnap.publisher.service;

import static io.chainsnap.publisher.service.Events.created;
import static io.chainsnap.publisher.service.Events.id;
import static io.chainsnap.publisher.service.Events.pinned;
import static io.chainsnap.publisher.service.Events.rejected;
import static io.chainsnap.publisher.service.Events.target;
import static io.chainsnap.publisher.service.Events.uploaded;
import static io.chainsnap.publisher.service.Events.verified;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.archive.DocumentSchema;
import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.VerificationStatus;
import io.chainsnap.events.SnapshotPublished;
import io.chainsnap.events.SnapshotTarget;
import io.chainsnap.publisher.CatalogStage;
import io.chainsnap.publisher.store.CatalogKeys;
import io.chainsnap.publisher.store.InMemoryArchiveStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link IndexService} over an in-memory store that counts reads. */
class IndexServiceTest {
  static final SnapshotTarget FULL = target(Mode.FULL);
  static final String INDEX = CatalogKeys.index("litecoin", "regtest");

  /**
   * Most store reads one change may take: the index, six records (retention's {@code expired} among
   * them), the published record.
   */
  static final int READS_PER_CHANGE = 8;

  final InMemoryArchiveStore store = new InMemoryArchiveStore();
  final Catalog catalog = new Catalog(store);
  final IndexService service =
      new IndexService(
          store,
          catalog,
          new IndexBuilder(Optional.of("https://gw.example")),
          new PublisherMetrics(new SimpleMeterRegistry()));

  /** Snapshot {@code i}: created, uploaded, pinned, then verified, or rejected when i % 3 == 0. */
  void catalogue(int i) {
    String id = id(Mode.FULL, i);
    catalog.record(FULL, id, CatalogStage.CREATED, created(Mode.FULL, i));
    catalog.record(FULL, id, CatalogStage.UPLOADED, uploaded(Mode.FULL, i));
    catalog.record(FULL, id, CatalogStage.PINNED, pinned(Mode.FULL, i));
    if (i % 3 == 0) {
      catalog.record(FULL, id, CatalogStage.REJECTED, rejected(Mode.FULL, i, 60L * i + 3600));
    } else {
      catalog.record(FULL, id, CatalogStage.VERIFIED, verified(Mode.FULL, i, 60L * i + 3600));
    }
  }

  void uploadedNow(int i) {
    catalog.record(FULL, id(Mode.FULL, i), CatalogStage.CREATED, created(Mode.FULL, i));
    catalog.record(FULL, id(Mode.FULL, i), CatalogStage.UPLOADED, uploaded(Mode.FULL, i));
  }

  SnapshotIndex stored() {
    return SnapshotIndex.read(store.peek(INDEX).orElseThrow());
  }

  /** The stored index has the entries and latest a rebuild from the whole catalog gives. */
  void assertEqualsFullRebuild() {
    SnapshotIndex incremental = stored();
    SnapshotIndex full = service.rebuild("litecoin", "regtest");
    assertEquals(full.snapshots(), incremental.snapshots());
    assertEquals(full.latest(), incremental.latest());
    assertEquals(incremental.sequence() + 1, full.sequence());
  }

  @Test
  void eachChangeReadsAFewRecordsWhateverTheCatalogHolds() {
    int snapshots = 2500; // 4 records each: 10,000 catalog records
    for (int i = 0; i < snapshots; i++) {
      catalogue(i);
    }
    assertEquals(10_000, store.list(CatalogKeys.catalog("litecoin", "regtest")).size());

    // no index yet: the first change builds it from the whole catalog
    store.resetCounts();
    service.changed(FULL, id(Mode.FULL, 0));
    assertEquals(1, store.lists());
    assertTrue(store.gets() >= 10_000, "read the whole catalog: " + store.gets());
    assertEquals(snapshots, stored().snapshots().size());
    assertEquals(Optional.of(id(Mode.FULL, 2498)), stored().latest(Mode.FULL));

    List<String> reads = new ArrayList<>();
    Runnable counted =
        () -> {
          reads.add(store.gets() + " gets, " + store.lists() + " lists");
          assertEquals(0, store.lists(), "no listing: " + reads);
          assertTrue(store.gets() <= READS_PER_CHANGE, "reads per change: " + reads);
          store.resetCounts();
        };

    // a new snapshot is uploaded: listed, pending
    int fresh = 5000;
    uploadedNow(fresh);
    store.resetCounts();
    service.changed(FULL, id(Mode.FULL, fresh));
    counted.run();
    assertEquals(id(Mode.FULL, fresh), stored().snapshots().get(0).snapshotId());
    assertEquals(VerificationStatus.PENDING, stored().snapshots().get(0).verification().status());

    // pinned: the IPFS source appears
    catalog.record(FULL, id(Mode.FULL, fresh), CatalogStage.PINNED, pinned(Mode.FULL, fresh));
    store.resetCounts();
    service.changed(FULL, id(Mode.FULL, fresh));
    counted.run();
    assertEquals("ipfs://" + Events.cid(fresh), stored().snapshots().get(0).sources().get("ipfs"));

    // verified: latest, and published
    store.resetCounts();
    SnapshotPublished published =
        service.verified(verified(Mode.FULL, fresh, 60L * fresh + 3600)).orElseThrow();
    counted.run();
    assertEquals(id(Mode.FULL, fresh), published.latest());
    assertEquals(stored().sequence(), published.indexSequence());
    service.markPublished(published);

    // redelivered: not published again
    store.resetCounts();
    assertEquals(
        Optional.empty(), service.verified(verified(Mode.FULL, fresh, 60L * fresh + 3600)));
    counted.run();

    // a later rejection overturns it: latest falls back
    store.resetCounts();
    service.rejected(rejected(Mode.FULL, fresh, 60L * fresh + 7200));
    counted.run();
    assertEquals(Optional.of(id(Mode.FULL, 2498)), stored().latest(Mode.FULL));

    // an old rejection overturned by a re-verification: 2499 was rejected, becomes latest
    store.resetCounts();
    assertEquals(
        id(Mode.FULL, 2499),
        service.verified(verified(Mode.FULL, 2499, 60L * 2499 + 9000)).orElseThrow().latest());
    counted.run();

    assertEquals(snapshots + 1, stored().snapshots().size());
    assertEqualsFullRebuild();
  }

  @Test
  void aVerificationThatANewerRejectionOverturnedIsNotPublished() {
    uploadedNow(1);
    service.rejected(rejected(Mode.FULL, 1, 500));
    assertEquals(Optional.empty(), service.verified(verified(Mode.FULL, 1, 400)));
    assertEquals(VerificationStatus.REJECTED, stored().snapshots().get(0).verification().status());
    assertEquals(Optional.empty(), stored().latest(Mode.FULL));
  }

  @Test
  void aMissingOrEmptyIndexIsRebuiltWhole() {
    for (int i = 1; i <= 3; i++) {
      catalogue(i);
    }
    store.resetCounts();
    service.changed(FULL, id(Mode.FULL, 1));
    assertEquals(1, store.lists(), "no index: built from the whole catalog");
    assertEquals(1, stored().sequence());

    store.putRaw(INDEX, new byte[0]);
    store.resetCounts();
    // an empty object is unreadable, so the next change reads the whole catalog
    service.changed(FULL, id(Mode.FULL, 2));
    assertEquals(1, store.lists());
    assertEquals(3, stored().snapshots().size());
  }

  @Test
  void anUnreadableIndexIsRebuiltWholeAndItsSequenceGoesOn() {
    for (int i = 1; i <= 3; i++) {
      catalogue(i);
    }
    store.putRaw(
        INDEX,
        "{\"formatVersion\": 99, \"sequence\": 41, \"snapshots\": \"?\"}"
            .getBytes(StandardCharsets.UTF_8));
    store.resetCounts();
    service.changed(FULL, id(Mode.FULL, 2));
    assertEquals(1, store.lists());
    SnapshotIndex index = stored();
    assertEquals(42, index.sequence());
    assertEquals(3, index.snapshots().size());
    assertEquals(Optional.of(id(Mode.FULL, 2)), index.latest(Mode.FULL));
  }

  @Test
  void afterAFailedUpdateTheNextChangeRebuildsWhole() {
    for (int i = 1; i <= 3; i++) {
      catalogue(i);
    }
    service.changed(FULL, id(Mode.FULL, 1));

    // snapshot 4 reaches the catalog but the index write fails (the event is dead-lettered)
    uploadedNow(4);
    store.failPuts(INDEX::equals);
    assertThrows(RuntimeException.class, () -> service.changed(FULL, id(Mode.FULL, 4)));
    store.failPuts(key -> false);

    // a change of another snapshot still brings 4 into the index
    catalog.record(FULL, id(Mode.FULL, 2), CatalogStage.PINNED, pinned(Mode.FULL, 2));
    store.resetCounts();
    service.changed(FULL, id(Mode.FULL, 2));
    assertEquals(1, store.lists(), "rebuilt whole");
    assertEquals(id(Mode.FULL, 4), stored().snapshots().get(0).snapshotId());

    // and then it is incremental again
    store.resetCounts();
    service.changed(FULL, id(Mode.FULL, 3));
    assertEquals(0, store.lists());
    assertEqualsFullRebuild();
  }

  @Test
  void theSchemasArePublishedBesideTheIndex() {
    catalogue(1);
    service.changed(FULL, id(Mode.FULL, 1));
    for (DocumentSchema schema : DocumentSchema.values()) {
      assertArrayEquals(
          schema.bytes(),
          store.peek("litecoin/regtest/" + schema.fileName()).orElseThrow(),
          schema.fileName());
    }
  }

  @Test
  void aSnapshotWithoutUploadIsNotListed() {
    catalogue(1);
    catalog.record(FULL, id(Mode.FULL, 2), CatalogStage.CREATED, created(Mode.FULL, 2));
    service.changed(FULL, id(Mode.FULL, 1));
    service.changed(FULL, id(Mode.FULL, 2));
    assertEquals(
        List.of(id(Mode.FULL, 1)), IndexBuilderTest.ids(stored()), "created only: not listed");
    assertEqualsFullRebuild();
  }
}
