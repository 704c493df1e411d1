package io.chainsnap.publisher;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.archive.ArchiveManifest;
import io.chainsnap.archive.ArchiveWriter;
import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.QuiesceStrategy;
import io.chainsnap.domain.RejectionStage;
import io.chainsnap.domain.Sha256;
import io.chainsnap.domain.VerificationStatus;
import io.chainsnap.events.ArchiveRef;
import io.chainsnap.events.CloudEventAttributes;
import io.chainsnap.events.EventCodec;
import io.chainsnap.events.EventData;
import io.chainsnap.events.EventType;
import io.chainsnap.events.SnapshotCreated;
import io.chainsnap.events.SnapshotExpired;
import io.chainsnap.events.SnapshotPinned;
import io.chainsnap.events.SnapshotRejected;
import io.chainsnap.events.SnapshotTarget;
import io.chainsnap.events.SnapshotUploaded;
import io.chainsnap.events.SnapshotVerified;
import io.chainsnap.publisher.client.IpfsRpcClient;
import io.chainsnap.publisher.service.RetentionService;
import io.chainsnap.publisher.store.ArchiveStore;
import io.chainsnap.publisher.store.CatalogKeys;
import io.chainsnap.testsupport.IpfsResource;
import io.chainsnap.testsupport.KafkaResource;
import io.chainsnap.testsupport.KafkaTestClient;
import io.chainsnap.testsupport.S3Resource;
import io.chainsnap.testsupport.StaticFileServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retention over real components (Kafka, s3proxy, js-ipfs, the publisher in-process), on the
 * network {@code litecoin/retention} whose test policy is {@code keep-last 2} with a 1 h download
 * window ({@code %test} in application.properties). Snapshots are staged with past {@code takenAt}
 * times; runs are given explicit clocks to step over the download window.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(S3Resource.class)
@QuarkusTestResource(IpfsResource.class)
class RetentionIT {
  static final SnapshotTarget TARGET = new SnapshotTarget("litecoin", "retention", Mode.FULL);
  static final String HASH = "91280346e339bbc6614a0baf04b1a257da8b197b0b55ced010ad075270eac7cb";
  static final Duration WAIT = Duration.ofSeconds(90);

  static Path stagingRoot;
  static StaticFileServer staging;
  final HttpClient http = HttpClient.newHttpClient();

  @Inject RetentionService retention;
  @Inject ArchiveStore store;

  @BeforeAll
  static void startStaging() throws Exception {
    stagingRoot = Files.createTempDirectory("chainsnap-retention-staging-").toRealPath();
    staging = new StaticFileServer(stagingRoot);
  }

  @AfterAll
  static void stopStaging() {
    staging.close();
  }

  KafkaTestClient kafka() {
    return new KafkaTestClient(KafkaResource.bootstrapServers());
  }

  /** Stages a small real archive taken at {@code takenAt} and returns its event. */
  SnapshotCreated stage(String id, long height, Instant takenAt) throws Exception {
    Path data = Files.createTempDirectory("chainsnap-retention-data-");
    byte[] block = new byte[96 << 10];
    new Random(height).nextBytes(block);
    Files.createDirectories(data.resolve("blocks"));
    Files.write(data.resolve("blocks/blk00000.dat"), block);
    Path dir = Files.createDirectories(stagingRoot.resolve(id));
    ArchiveManifest manifest =
        ArchiveWriter.builder()
            .chunkSize(1 << 20)
            .build()
            .write(data, dir.resolve("snapshot.tar.zst"));
    SnapshotMetadata metadata =
        new SnapshotMetadata(
            1,
            id,
            TARGET.chain(),
            TARGET.network(),
            Mode.FULL,
            "/LitecoinCore:0.21.2.1/",
            height,
            HASH,
            takenAt,
            QuiesceStrategy.STOP,
            1000,
            manifest);
    byte[] json = metadata.toJson();
    Files.write(dir.resolve("snapshot.json"), json);
    return new SnapshotCreated(
        id,
        TARGET,
        height,
        HASH,
        "/LitecoinCore:0.21.2.1/",
        takenAt,
        QuiesceStrategy.STOP,
        1000,
        new ArchiveRef(
            staging.url(id + "/snapshot.tar.zst"),
            staging.url(id + "/snapshot.json"),
            manifest.sha256(),
            Sha256.hex(json),
            manifest.compressedSize(),
            manifest.contentSize(),
            manifest.fileCount(),
            manifest.chunks().size(),
            manifest.formatVersion()));
  }

  void send(EventData event) {
    EventType type = EventType.of(event.getClass());
    kafka()
        .produce(
            type.topic(),
            event.key(),
            EventCodec.encode(event),
            CloudEventAttributes.of("/test", event).toHeaders());
  }

  <T extends EventData> T awaitEvent(EventType type, String id) {
    ConsumerRecord<String, String> record =
        kafka().await(type.topic(), r -> id.equals(r.key()), WAIT).get(0);
    return EventCodec.decode(type, record.value());
  }

  /** The {@code snapshot-expired} records of {@code id}, each checked against the schema. */
  List<SnapshotExpired> expiredEvents(String id) {
    return kafka().readAll(EventType.SNAPSHOT_EXPIRED.topic(), Duration.ofSeconds(3)).stream()
        .filter(r -> id.equals(r.key()))
        .map(
            r -> {
              assertEquals(
                  EventType.SNAPSHOT_EXPIRED.cloudEventType(),
                  KafkaTestClient.header(r, "ce_type"));
              assertEquals(id, KafkaTestClient.header(r, "ce_subject"));
              return EventCodec.<SnapshotExpired>decode(EventType.SNAPSHOT_EXPIRED, r.value());
            })
        .toList();
  }

  SnapshotIndex index() {
    return SnapshotIndex.read(store.get(CatalogKeys.index("litecoin", "retention")).orElseThrow());
  }

  List<String> listed() {
    return index().snapshots().stream().map(SnapshotIndex.Entry::snapshotId).toList();
  }

  /** Status of a GET of the object's public URL on s3proxy. */
  int publicStatus(String key) throws Exception {
    String url = S3Resource.server().endpoint() + "/chainsnap-test/" + key;
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  void assertObjectsGone(String id) throws Exception {
    assertEquals(List.of(), store.list(TARGET.path() + "/" + id + "/"), id + ": nothing left");
    for (String key :
        List.of(
            CatalogKeys.archive(TARGET, id),
            CatalogKeys.manifest(TARGET, id),
            CatalogKeys.checksums(TARGET, id))) {
      int status = publicStatus(key);
      assertTrue(status == 404 || status == 403, key + " answers " + status);
    }
  }

  void assertObjectsThere(String id) throws Exception {
    for (String key :
        List.of(
            CatalogKeys.archive(TARGET, id),
            CatalogKeys.manifest(TARGET, id),
            CatalogKeys.checksums(TARGET, id))) {
      assertEquals(200, publicStatus(key), key);
    }
  }

  @Test
  void expiresWhatNoRuleKeepsDeletesAfterTheWindowAndAnnouncesEachOnce() throws Exception {
    Instant now = Instant.now();
    String run = Long.toString(now.toEpochMilli(), 36);
    Map<String, SnapshotCreated> snapshots = new LinkedHashMap<>();
    // s1..s4 days old; s5 a minute old (younger than the 1 h window)
    long[] ages = {
      Duration.ofDays(10).toSeconds(),
      Duration.ofDays(9).toSeconds(),
      Duration.ofDays(8).toSeconds(),
      Duration.ofDays(2).toSeconds(),
      60
    };
    for (int i = 0; i < ages.length; i++) {
      String id = "litecoin-retention-full-" + run + "-s" + (i + 1);
      snapshots.put("s" + (i + 1), stage(id, 1001 + i, now.minusSeconds(ages[i])));
    }
    Map<String, String> ids = new LinkedHashMap<>();
    Map<String, String> cids = new LinkedHashMap<>();
    snapshots.forEach((name, created) -> ids.put(name, created.snapshotId()));
    for (SnapshotCreated created : snapshots.values()) {
      send(created);
    }
    Map<String, SnapshotUploaded> uploaded = new LinkedHashMap<>();
    for (Map.Entry<String, SnapshotCreated> s : snapshots.entrySet()) {
      String id = s.getValue().snapshotId();
      uploaded.put(s.getKey(), awaitEvent(EventType.SNAPSHOT_UPLOADED, id));
      SnapshotPinned pinned = awaitEvent(EventType.SNAPSHOT_PINNED, id);
      cids.put(s.getKey(), pinned.cid());
    }
    IpfsRpcClient ipfs = new IpfsRpcClient(IpfsResource.node().apiUrl(), Duration.ofSeconds(30));
    for (String cid : cids.values()) {
      assertTrue(ipfs.isPinned(cid), cid);
    }

    // verdicts: s3 and s5 rejected (recorded first), then s1, s2, s4 verified and published
    for (String name : List.of("s3", "s5")) {
      send(
          new SnapshotRejected(
              ids.get(name),
              TARGET,
              uploaded.get(name).archiveUrl(),
              RejectionStage.BOOT,
              "node did not start",
              Instant.now()));
    }
    for (String name : List.of("s3", "s5")) {
      String key = CatalogKeys.record(TARGET, ids.get(name), CatalogStage.REJECTED);
      Awaitility.await().atMost(WAIT).until(() -> store.head(key).isPresent());
    }
    for (String name : List.of("s1", "s2", "s4")) {
      SnapshotCreated c = snapshots.get(name);
      send(
          new SnapshotVerified(
              c.snapshotId(),
              TARGET,
              c.height(),
              HASH,
              uploaded.get(name).archiveUrl(),
              10,
              20,
              Instant.now()));
      awaitEvent(EventType.SNAPSHOT_PUBLISHED, c.snapshotId());
    }

    // run 1 (each publication ran retention too): s1 (verified, outside keep-last 2) and s3
    // (rejected, days old) leave the index; their objects stay for the download window
    RetentionService.Report first = retention.run("litecoin", "retention", Instant.now());
    assertEquals(List.of(), first.finished(), "nothing deleted within the download window");
    assertEquals(List.of(ids.get("s5"), ids.get("s4"), ids.get("s2")), listed());
    assertEquals(Optional.of(ids.get("s4")), index().latest(Mode.FULL));
    assertTrue(
        first.waiting().containsAll(List.of(ids.get("s1"), ids.get("s3"))), first.toString());
    for (String name : List.of("s1", "s3")) {
      assertTrue(
          store.head(CatalogKeys.record(TARGET, ids.get(name), CatalogStage.EXPIRED)).isPresent(),
          "the decision is in the catalog");
      assertObjectsThere(ids.get(name));
      assertTrue(ipfs.isPinned(cids.get(name)));
      assertEquals(List.of(), expiredEvents(ids.get(name)));
    }
    // the plan endpoint shows the same, read-only
    JsonPath plan =
        given()
            .queryParam("network", "retention")
            .get("/retention/plan")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertEquals("keep-last 2", plan.getString("[0].policies.full"));
    assertEquals("PT1H", plan.getString("[0].downloadWindow"));
    assertEquals(
        List.of(true, true, true), plan.getList("[0].snapshots.keep"), "the listed ones are kept");
    assertTrue(
        plan.getMap("[0].awaitingDeletion")
            .keySet()
            .containsAll(List.of(ids.get("s1"), ids.get("s3"))));

    // run 2, two hours later: s1 and s3 are deleted, unpinned and announced; s5 (now 2 h old,
    // rejected) leaves the index and waits in turn
    Instant later = Instant.now().plus(Duration.ofHours(2));
    RetentionService.Report second = retention.run("litecoin", "retention", later);
    assertEquals(List.of(ids.get("s5")), second.expired());
    assertEquals(
        List.of(ids.get("s1"), ids.get("s3")), second.finished().stream().sorted().toList());
    assertEquals(List.of(ids.get("s5")), second.waiting());
    assertEquals(List.of(ids.get("s4"), ids.get("s2")), listed());
    assertEquals(Optional.of(ids.get("s4")), index().latest(Mode.FULL));
    for (String name : List.of("s1", "s3")) {
      String id = ids.get(name);
      assertObjectsGone(id);
      assertFalse(ipfs.isPinned(cids.get(name)), cids.get(name) + " unpinned");
      List<SnapshotExpired> events = expiredEvents(id);
      assertEquals(1, events.size(), "one snapshot-expired for " + id);
      SnapshotExpired event = events.get(0);
      assertEquals(TARGET, event.target());
      assertEquals(cids.get(name), event.cid());
      assertEquals(TARGET.path() + "/" + id + "/", event.objectPrefix());
      assertEquals(snapshots.get(name).takenAt(), event.takenAt());
      assertEquals(
          name.equals("s1") ? VerificationStatus.VERIFIED : VerificationStatus.REJECTED,
          event.verification());
    }
    assertObjectsThere(ids.get("s5"));
    for (String name : List.of("s2", "s4", "s5")) {
      assertTrue(ipfs.isPinned(cids.get(name)), name + " still pinned");
    }

    // run 3 at the same time: nothing to do, nothing written
    long sequence = index().sequence();
    RetentionService.Report third = retention.run("litecoin", "retention", later);
    assertEquals(List.of(), third.expired());
    assertEquals(List.of(), third.finished());
    assertEquals(List.of(ids.get("s5")), third.waiting());
    assertEquals(sequence, index().sequence(), "the index is not rewritten");
    assertEquals(1, expiredEvents(ids.get("s1")).size());
    assertEquals(List.of(), expiredEvents(ids.get("s5")));

    // a crash right after a decision was recorded (before the index was rewritten): the next run
    // delists, deletes, unpins and announces it. s2's record as a run with keep-last 1 left it.
    String s2 = ids.get("s2");
    SnapshotCreated c2 = snapshots.get("s2");
    SnapshotExpired decided =
        new SnapshotExpired(
            s2,
            TARGET,
            c2.height(),
            c2.takenAt(),
            VerificationStatus.VERIFIED,
            "verified, kept by no rule (keep-last 1)",
            TARGET.path() + "/" + s2 + "/",
            cids.get("s2"),
            later);
    store.put(
        CatalogKeys.record(TARGET, s2, CatalogStage.EXPIRED),
        EventCodec.encode(decided).getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "application/json",
        "no-store",
        Map.of());
    assertTrue(listed().contains(s2), "the crash left it listed");
    RetentionService.Report redo =
        retention.run("litecoin", "retention", later.plus(Duration.ofHours(2)));
    assertEquals(List.of(s2, ids.get("s5")), redo.finished().stream().sorted().toList());
    assertEquals(List.of(ids.get("s4")), listed());
    assertEquals(Optional.of(ids.get("s4")), index().latest(Mode.FULL));
    for (String name : List.of("s2", "s5")) {
      assertObjectsGone(ids.get(name));
      assertFalse(ipfs.isPinned(cids.get(name)));
      assertEquals(1, expiredEvents(ids.get(name)).size());
    }
    assertObjectsThere(ids.get("s4"));
    assertTrue(ipfs.isPinned(cids.get("s4")), "the latest stays pinned");
    RetentionService.Report last =
        retention.run("litecoin", "retention", later.plus(Duration.ofHours(4)));
    assertEquals(List.of(), last.expired());
    assertEquals(List.of(), last.finished());
    assertEquals(List.of(), last.waiting());
  }
}
