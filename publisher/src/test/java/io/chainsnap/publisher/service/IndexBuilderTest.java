package io.chainsnap.publisher.service;

import static io.chainsnap.publisher.service.Events.created;
import static io.chainsnap.publisher.service.Events.id;
import static io.chainsnap.publisher.service.Events.pinned;
import static io.chainsnap.publisher.service.Events.rejected;
import static io.chainsnap.publisher.service.Events.uploaded;
import static io.chainsnap.publisher.service.Events.verified;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.VerificationStatus;
import io.chainsnap.events.SnapshotRejected;
import io.chainsnap.events.SnapshotVerified;
import io.chainsnap.publisher.service.IndexBuilder.CatalogRecords;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IndexBuilderTest {
  static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  final IndexBuilder builder = new IndexBuilder(Optional.of("https://gw.example"));

  SnapshotIndex.Entry entry(
      Mode mode,
      int minutes,
      boolean pinned,
      SnapshotVerified verified,
      SnapshotRejected rejected) {
    return builder
        .entry(
            new CatalogRecords(
                created(mode, minutes),
                uploaded(mode, minutes),
                pinned ? pinned(mode, minutes) : null,
                verified,
                rejected))
        .orElseThrow();
  }

  SnapshotIndex index(SnapshotIndex.Entry... entries) {
    return builder.index("litecoin", "regtest", 0, NOW, List.of(entries));
  }

  @Test
  void anExpiredSnapshotIsNeverListedAgainNorLatest() {
    SnapshotIndex.Entry latest = entry(Mode.FULL, 2, true, verified(Mode.FULL, 2, 600), null);
    SnapshotIndex.Entry older = entry(Mode.FULL, 1, true, verified(Mode.FULL, 1, 500), null);
    io.chainsnap.events.SnapshotExpired expired =
        new io.chainsnap.events.SnapshotExpired(
            id(Mode.FULL, 2),
            Events.target(Mode.FULL),
            2,
            Events.T0,
            VerificationStatus.VERIFIED,
            "test",
            "litecoin/regtest/full/" + id(Mode.FULL, 2) + "/",
            null,
            NOW);
    Optional<SnapshotIndex.Entry> gone =
        builder.entry(
            new CatalogRecords(
                created(Mode.FULL, 2),
                uploaded(Mode.FULL, 2),
                pinned(Mode.FULL, 2),
                verified(Mode.FULL, 2, 700), // even a later re-verification
                null,
                expired));
    assertEquals(Optional.empty(), gone);
    SnapshotIndex after = builder.update(index(latest, older), id(Mode.FULL, 2), gone, NOW);
    assertEquals(List.of(id(Mode.FULL, 1)), ids(after));
    assertEquals(Optional.of(id(Mode.FULL, 1)), after.latest(Mode.FULL));
  }

  @Test
  void aVerificationAfterARejectionOverturnsIt() {
    SnapshotIndex.Entry entry =
        entry(Mode.FULL, 1, false, verified(Mode.FULL, 1, 500), rejected(Mode.FULL, 1, 400));
    assertEquals(VerificationStatus.VERIFIED, entry.verification().status());
    assertEquals(Events.T0.plusSeconds(500), entry.verification().at());
    assertEquals(Optional.of(id(Mode.FULL, 1)), index(entry).latest(Mode.FULL));
  }

  @Test
  void aRejectionAfterAVerificationOverturnsIt() {
    SnapshotIndex.Entry older = entry(Mode.FULL, 1, false, verified(Mode.FULL, 1, 300), null);
    SnapshotIndex.Entry newer =
        entry(Mode.FULL, 2, false, verified(Mode.FULL, 2, 400), rejected(Mode.FULL, 2, 500));
    assertEquals(VerificationStatus.REJECTED, newer.verification().status());
    assertEquals("tip: height 99, announced 102", newer.verification().detail());
    // the rejected newer one is listed, but latest falls back to the older verified one
    SnapshotIndex index = index(older, newer);
    assertEquals(List.of(id(Mode.FULL, 2), id(Mode.FULL, 1)), ids(index));
    assertEquals(Optional.of(id(Mode.FULL, 1)), index.latest(Mode.FULL));
  }

  @Test
  void theVerifiersFiguresAndChainChecksGoIntoTheEntryAndSurviveTheJson() {
    SnapshotVerified base = verified(Mode.FULL, 1, 300);
    SnapshotVerified deep =
        new SnapshotVerified(
            base.snapshotId(),
            base.target(),
            base.height(),
            base.blockHash(),
            base.sourceUrl(),
            1234,
            567,
            base.verifiedAt(),
            987_654L,
            3,
            6,
            "hash_serialized_2",
            "bea32f5023186cc6340bf3eaa6bd8f4986f44cdbea2814b193d6f077083d68e5");
    SnapshotIndex.Verification v = entry(Mode.FULL, 1, false, deep, null).verification();
    assertEquals(
        new SnapshotIndex.Verification(
            VerificationStatus.VERIFIED,
            base.verifiedAt(),
            v.detail(),
            1234L,
            567L,
            987_654L,
            3,
            6,
            "hash_serialized_2",
            "bea32f5023186cc6340bf3eaa6bd8f4986f44cdbea2814b193d6f077083d68e5"),
        v);
    SnapshotIndex index = index(entry(Mode.FULL, 1, false, deep, null));
    assertEquals(index, SnapshotIndex.read(index.toJson()));
    // a verdict without them (older verifiers) writes none of the optional fields
    String plain = new String(index(entry(Mode.FULL, 1, false, base, null)).toJson(), UTF_8);
    assertFalse(plain.contains("utxoSetHash"), plain);
    assertTrue(plain.contains("\"restoreMillis\" : 10"), plain);
  }

  @Test
  void aReverifyRejectionAfterPublicationMovesLatestBack() {
    SnapshotIndex.Entry older = entry(Mode.FULL, 1, false, verified(Mode.FULL, 1, 300), null);
    SnapshotRejected reverify =
        new SnapshotRejected(
            id(Mode.FULL, 2),
            Events.target(Mode.FULL),
            "https://cdn.example/x",
            io.chainsnap.domain.RejectionStage.REVERIFY,
            "sample re-check: chunk 0 hashes 00, snapshot.json says 11",
            Events.T0.plusSeconds(9000));
    SnapshotIndex.Entry newer = entry(Mode.FULL, 2, false, verified(Mode.FULL, 2, 400), reverify);
    assertEquals(VerificationStatus.REJECTED, newer.verification().status());
    assertTrue(newer.verification().detail().startsWith("reverify: sample re-check:"));
    assertEquals(Optional.of(id(Mode.FULL, 1)), index(older, newer).latest(Mode.FULL));
  }

  @Test
  void aRejectionAtTheSameInstantAsAVerificationWins() {
    SnapshotIndex.Entry entry =
        entry(Mode.FULL, 1, false, verified(Mode.FULL, 1, 400), rejected(Mode.FULL, 1, 400));
    assertEquals(VerificationStatus.REJECTED, entry.verification().status());
  }

  @Test
  void latestIsTheNewestVerifiedSnapshotOfEachMode() {
    SnapshotIndex index =
        index(
            entry(Mode.FULL, 1, false, verified(Mode.FULL, 1, 100), null),
            entry(Mode.FULL, 3, false, verified(Mode.FULL, 3, 300), null),
            entry(Mode.FULL, 2, false, verified(Mode.FULL, 2, 900), null),
            entry(Mode.FULL, 4, false, null, null),
            entry(Mode.PRUNED, 1, false, verified(Mode.PRUNED, 1, 100), null),
            entry(Mode.PRUNED, 5, false, null, rejected(Mode.PRUNED, 5, 600)));
    // newest by takenAt, not by when the verdict came
    assertEquals(Map.of("full", id(Mode.FULL, 3), "pruned", id(Mode.PRUNED, 1)), index.latest());
    assertEquals(Optional.empty(), index.latest(Mode.ARCHIVE));
    assertEquals(
        List.of(
            id(Mode.PRUNED, 5),
            id(Mode.FULL, 4),
            id(Mode.FULL, 3),
            id(Mode.FULL, 2),
            id(Mode.PRUNED, 1),
            id(Mode.FULL, 1)),
        ids(index),
        "newest first; taken at the same time: by id, descending");
  }

  @Test
  void rejectedAndPendingSnapshotsAreNeverLatest() {
    SnapshotIndex.Entry pending = entry(Mode.FULL, 1, true, null, null);
    SnapshotIndex.Entry rejected = entry(Mode.FULL, 2, true, null, rejected(Mode.FULL, 2, 200));
    assertEquals(VerificationStatus.PENDING, pending.verification().status());
    SnapshotIndex index = index(pending, rejected);
    assertEquals(2, index.snapshots().size(), "both listed");
    assertTrue(index.latest().isEmpty(), index.latest().toString());
  }

  @Test
  void aSnapshotNotYetUploadedIsNotListed() {
    assertEquals(
        Optional.empty(),
        builder.entry(new CatalogRecords(created(Mode.FULL, 1), null, null, null, null)));
    assertEquals(
        Optional.empty(),
        builder.entry(
            new CatalogRecords(
                created(Mode.FULL, 1),
                null,
                pinned(Mode.FULL, 1),
                verified(Mode.FULL, 1, 100),
                null)),
        "pinned and verified but not uploaded: not public yet");
    assertEquals(
        Optional.empty(),
        builder.entry(new CatalogRecords(null, uploaded(Mode.FULL, 1), null, null, null)));
  }

  @Test
  void ipfsSourcesAppearOnceThePinIsRecorded() {
    SnapshotIndex.Entry unpinned = entry(Mode.FULL, 7, false, null, null);
    assertEquals(
        Map.of(
            "https", uploaded(Mode.FULL, 7).archiveUrl(),
            "manifest", uploaded(Mode.FULL, 7).manifestUrl(),
            "s3", "s3://test-bucket/" + uploaded(Mode.FULL, 7).archiveKey()),
        unpinned.sources());
    SnapshotIndex.Entry pinned = entry(Mode.FULL, 7, true, null, null);
    assertEquals("ipfs://" + Events.cid(7), pinned.sources().get("ipfs"));
    assertEquals("https://gw.example/ipfs/" + Events.cid(7), pinned.sources().get("ipfs-gateway"));

    SnapshotIndex.Entry noGateway =
        new IndexBuilder(Optional.empty())
            .entry(
                new CatalogRecords(
                    created(Mode.FULL, 7),
                    uploaded(Mode.FULL, 7),
                    pinned(Mode.FULL, 7),
                    null,
                    null))
            .orElseThrow();
    assertEquals("ipfs://" + Events.cid(7), noGateway.sources().get("ipfs"));
    assertFalse(noGateway.sources().containsKey("ipfs-gateway"));
  }

  @Test
  void theEntryCarriesWhatSnapshotCreatedAnnounced() {
    SnapshotIndex.Entry entry = entry(Mode.PRUNED, 3, false, null, null);
    assertEquals(id(Mode.PRUNED, 3), entry.snapshotId());
    assertEquals(Mode.PRUNED, entry.mode());
    assertEquals(103, entry.height());
    assertEquals(Events.HASH, entry.blockHash());
    assertEquals(Events.T0.plusSeconds(180), entry.takenAt());
    assertEquals(4096, entry.compressedSize());
    assertEquals(8192, entry.contentSize());
    assertEquals(3, entry.fileCount());
    assertEquals(Events.SHA, entry.sha256());
  }

  @Test
  void everyIndexHasTheNextSequence() {
    SnapshotIndex first =
        builder.index(
            "litecoin", "regtest", 41, NOW, List.of(entry(Mode.FULL, 1, false, null, null)));
    assertEquals(42, first.sequence());
    assertEquals(NOW, first.generatedAt());
    SnapshotIndex second =
        builder.update(
            first,
            id(Mode.FULL, 1),
            Optional.of(entry(Mode.FULL, 1, false, verified(Mode.FULL, 1, 100), null)),
            NOW.plusSeconds(1));
    assertEquals(43, second.sequence());
    assertEquals(NOW.plusSeconds(1), second.generatedAt());
  }

  @Test
  void anUpdateReplacesInsertsOrRemovesOneEntryAndRecomputesLatest() {
    SnapshotIndex.Entry one = entry(Mode.FULL, 1, false, verified(Mode.FULL, 1, 100), null);
    SnapshotIndex.Entry two = entry(Mode.FULL, 2, false, null, null);
    SnapshotIndex start = index(one, two);
    assertEquals(Optional.of(id(Mode.FULL, 1)), start.latest(Mode.FULL));

    // replaced: two is verified now, and newer, so it becomes latest
    SnapshotIndex.Entry twoVerified = entry(Mode.FULL, 2, false, verified(Mode.FULL, 2, 200), null);
    SnapshotIndex replaced = builder.update(start, id(Mode.FULL, 2), Optional.of(twoVerified), NOW);
    assertEquals(List.of(twoVerified, one), replaced.snapshots());
    assertEquals(Optional.of(id(Mode.FULL, 2)), replaced.latest(Mode.FULL));

    // inserted, in takenAt order
    SnapshotIndex.Entry zero = entry(Mode.FULL, 0, false, null, null);
    SnapshotIndex inserted = builder.update(replaced, id(Mode.FULL, 0), Optional.of(zero), NOW);
    assertEquals(List.of(twoVerified, one, zero), inserted.snapshots());

    // an update equal to building from scratch
    assertEquals(index(twoVerified, one, zero).snapshots(), inserted.snapshots());
    assertEquals(index(twoVerified, one, zero).latest(), inserted.latest());

    // an entry gone from the catalog leaves the index; latest follows
    SnapshotIndex removed = builder.update(inserted, id(Mode.FULL, 2), Optional.empty(), NOW);
    assertEquals(List.of(one, zero), removed.snapshots());
    assertEquals(Optional.of(id(Mode.FULL, 1)), removed.latest(Mode.FULL));
  }

  @Test
  void anUpdateMovesEveryIpfsGatewaySourceToTheConfiguredGateway() {
    SnapshotIndex old =
        index(entry(Mode.FULL, 1, true, null, null), entry(Mode.FULL, 2, false, null, null));
    SnapshotIndex moved =
        new IndexBuilder(Optional.of("https://new.example"))
            .update(old, id(Mode.FULL, 3), Optional.empty(), NOW);
    assertEquals(
        "https://new.example/ipfs/" + Events.cid(1),
        moved.snapshots().get(1).sources().get("ipfs-gateway"));
    assertFalse(moved.snapshots().get(0).sources().containsKey("ipfs-gateway"), "not pinned");
    SnapshotIndex none =
        new IndexBuilder(Optional.empty()).update(old, id(Mode.FULL, 3), Optional.empty(), NOW);
    assertFalse(none.snapshots().get(1).sources().containsKey("ipfs-gateway"));
    assertEquals("ipfs://" + Events.cid(1), none.snapshots().get(1).sources().get("ipfs"));
  }

  static List<String> ids(SnapshotIndex index) {
    return index.snapshots().stream().map(SnapshotIndex.Entry::snapshotId).toList();
  }
}
