package io.chainsnap.publisher;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import io.chainsnap.events.SnapshotPinned;
import io.chainsnap.events.SnapshotPublished;
import io.chainsnap.events.SnapshotRejected;
import io.chainsnap.events.SnapshotTarget;
import io.chainsnap.events.SnapshotUploaded;
import io.chainsnap.events.SnapshotVerified;
import io.chainsnap.events.Topics;
import io.chainsnap.publisher.client.IpfsRpcClient;
import io.chainsnap.testsupport.Components;
import io.chainsnap.testsupport.IpfsResource;
import io.chainsnap.testsupport.KafkaResource;
import io.chainsnap.testsupport.KafkaTestClient;
import io.chainsnap.testsupport.PrometheusScrape;
import io.chainsnap.testsupport.S3Resource;
import io.chainsnap.testsupport.StaticFileServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The publisher over real components: Kafka, s3proxy (SigV4), js-ipfs. Staged archives are real
 * format-v1 archives served over HTTP like the snapshotter's staging.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(S3Resource.class)
@QuarkusTestResource(IpfsResource.class)
@QuarkusTestResource(SigningKeyResource.class)
class PublisherIT {
  static final SnapshotTarget TARGET = new SnapshotTarget("litecoin", "regtest", Mode.FULL);
  static final String HASH = "91280346e339bbc6614a0baf04b1a257da8b197b0b55ced010ad075270eac7cb";
  static final Duration WAIT = Duration.ofSeconds(90);

  static Path stagingRoot;
  static StaticFileServer staging;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startStaging() throws Exception {
    stagingRoot = Files.createTempDirectory("chainsnap-staging-").toRealPath();
    staging = new StaticFileServer(stagingRoot);
  }

  @AfterAll
  static void stopStaging() {
    staging.close();
  }

  KafkaTestClient kafka() {
    return new KafkaTestClient(KafkaResource.bootstrapServers());
  }

  /** Stages a real archive of random data (7 MB: two multipart parts) and returns its event. */
  SnapshotCreated stage(String id, long height, boolean corruptAfterHashing) throws Exception {
    Path data = Files.createTempDirectory("chainsnap-data-");
    Random random = new Random(height);
    byte[] block = new byte[7 << 20];
    random.nextBytes(block);
    Files.createDirectories(data.resolve("blocks"));
    Files.write(data.resolve("blocks/blk00000.dat"), block);
    Files.writeString(data.resolve("blocks/index.txt"), "height " + height);
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
            "litecoin",
            "regtest",
            Mode.FULL,
            "/LitecoinCore:0.21.2.1/",
            height,
            HASH,
            Instant.now(),
            QuiesceStrategy.STOP,
            1000,
            manifest);
    byte[] json = metadata.toJson();
    Files.write(dir.resolve("snapshot.json"), json);
    if (corruptAfterHashing) {
      byte[] archive = Files.readAllBytes(dir.resolve("snapshot.tar.zst"));
      archive[archive.length / 2] ^= 1;
      Files.write(dir.resolve("snapshot.tar.zst"), archive);
    }
    return new SnapshotCreated(
        id,
        TARGET,
        height,
        HASH,
        "/LitecoinCore:0.21.2.1/",
        metadata.takenAt(),
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
    assertEquals(type.cloudEventType(), KafkaTestClient.header(record, "ce_type"));
    return EventCodec.decode(type, record.value());
  }

  long count(EventType type, String id) {
    return kafka().readAll(type.topic(), Duration.ofSeconds(3)).stream()
        .filter(r -> id.equals(r.key()))
        .count();
  }

  SnapshotIndex index() throws Exception {
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(URI.create(publicUrl("litecoin/regtest/index.json"))).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode(), "index.json is public");
    return SnapshotIndex.read(response.body());
  }

  @jakarta.inject.Inject io.chainsnap.publisher.service.IndexService indexService;

  byte[] fetch(String key) throws Exception {
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(URI.create(publicUrl(key))).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode(), key + " is public");
    return r.body();
  }

  /**
   * The stored index verifies with the configured key (the exact bytes served, its signature and
   * keys.json beside it), carries its validity period, and is re-issued with a higher sequence,
   * still signed, once half of that period has passed.
   */
  void signedIndexVerifiesAndIsReissued(SnapshotIndex index) throws Exception {
    io.chainsnap.archive.signing.SigningKey key = SigningKeyResource.key();
    byte[] bytes = fetch("litecoin/regtest/index.json");
    byte[] sig = fetch("litecoin/regtest/index.json.sig");
    assertEquals(
        key.keyId(),
        io.chainsnap.archive.signing.IndexSignature.verify(bytes, sig, List.of(key.publicKey())));
    SnapshotIndex served = SnapshotIndex.read(bytes);
    assertEquals(served.issuedAt().plus(Duration.ofDays(7)), served.expiresAt());
    assertTrue(served.expiresAt().isAfter(Instant.now()));
    var keys = io.chainsnap.archive.signing.PublishedKeys.read(fetch("litecoin/regtest/keys.json"));
    assertEquals(1, keys.matching(java.util.Set.of(key.keyId())).size(), "keys.json has the key");
    // nothing is due now (other tests' indexes are fresh too); four days on (past half of P7D) the
    // index is re-issued, same content
    assertEquals(List.of(), indexService.reissueDue(Instant.now()));
    assertTrue(
        indexService
            .reissueDue(Instant.now().plus(Duration.ofDays(4)))
            .contains("litecoin/regtest/index.json"));
    byte[] again = fetch("litecoin/regtest/index.json");
    SnapshotIndex reissued = SnapshotIndex.read(again);
    assertEquals(served.sequence() + 1, reissued.sequence());
    assertEquals(served.snapshots(), reissued.snapshots());
    assertEquals(served.generatedAt(), reissued.generatedAt());
    assertTrue(reissued.issuedAt().isAfter(served.issuedAt()));
    assertEquals(
        key.keyId(),
        io.chainsnap.archive.signing.IndexSignature.verify(
            again, fetch("litecoin/regtest/index.json.sig"), List.of(key.publicKey())));
    // the old signature does not verify the new index
    assertEquals(
        io.chainsnap.archive.signing.SignatureCheckException.Reason.MISMATCH,
        org.junit.jupiter.api.Assertions.assertThrows(
                io.chainsnap.archive.signing.SignatureCheckException.class,
                () ->
                    io.chainsnap.archive.signing.IndexSignature.verify(
                        again, sig, List.of(key.publicKey())))
            .reason());
  }

  static String publicUrl(String key) {
    return S3Resource.server().endpoint() + "/chainsnap-test/" + key;
  }

  static String sha256(InputStream in) throws Exception {
    MessageDigest digest = Sha256.newDigest();
    byte[] buffer = new byte[1 << 16];
    for (int n; (n = in.read(buffer)) > 0; ) {
      digest.update(buffer, 0, n);
    }
    return Sha256.toHex(digest);
  }

  @Test
  void uploadsPinsIndexesAndPublishesOnlyVerifiedSnapshots() throws Exception {
    SnapshotCreated created = stage("litecoin-regtest-full-a-100", 100, false);
    send(created);

    SnapshotUploaded uploaded = awaitEvent(EventType.SNAPSHOT_UPLOADED, created.snapshotId());
    assertEquals(
        "litecoin/regtest/full/litecoin-regtest-full-a-100/snapshot.tar.zst",
        uploaded.archiveKey());
    assertEquals(created.archive().sha256(), uploaded.sha256());
    assertEquals(100, uploaded.height());
    // anyone can download it at the public URL, and it is byte for byte the staged archive
    HttpResponse<InputStream> download =
        http.send(
            HttpRequest.newBuilder(URI.create(uploaded.archiveUrl())).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, download.statusCode());
    assertEquals(created.archive().sha256(), sha256(download.body()));
    HttpResponse<String> head =
        http.send(
            HttpRequest.newBuilder(URI.create(uploaded.archiveUrl()))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(
        created.archive().sha256(), head.headers().firstValue("x-amz-meta-sha256").orElse(null));
    genericToolsCheckTheHashes(uploaded);

    SnapshotPinned pinned = awaitEvent(EventType.SNAPSHOT_PINNED, created.snapshotId());
    IpfsRpcClient ipfs = new IpfsRpcClient(IpfsResource.node().apiUrl(), Duration.ofSeconds(30));
    assertTrue(ipfs.isPinned(pinned.cid()));
    try (InputStream in = ipfs.cat(pinned.cid())) {
      assertEquals(created.archive().sha256(), sha256(in));
    }

    // before verification: listed as pending, not latest
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .until(
            () ->
                index().snapshots().stream()
                    .anyMatch(
                        e ->
                            e.snapshotId().equals(created.snapshotId())
                                && e.sources().containsKey("ipfs")));
    SnapshotIndex pending = index();
    assertEquals(VerificationStatus.PENDING, pending.snapshots().get(0).verification().status());
    assertTrue(pending.latest(Mode.FULL).isEmpty());

    send(
        new SnapshotVerified(
            created.snapshotId(), TARGET, 100, HASH, uploaded.archiveUrl(), 10, 20, Instant.now()));
    SnapshotPublished published = awaitEvent(EventType.SNAPSHOT_PUBLISHED, created.snapshotId());
    assertEquals(created.snapshotId(), published.latest());
    SnapshotIndex index = index();
    assertEquals(Optional.of(created.snapshotId()), index.latest(Mode.FULL));
    SnapshotIndex.Entry entry = index.snapshots().get(0);
    assertEquals(VerificationStatus.VERIFIED, entry.verification().status());
    assertEquals(created.archive().sha256(), entry.sha256());
    assertEquals("ipfs://" + pinned.cid(), entry.sources().get("ipfs"));
    assertEquals(uploaded.archiveUrl(), entry.sources().get("https"));
    assertTrue(index.sequence() >= 3, "every change rewrites the index with a new sequence");
    signedIndexVerifiesAndIsReissued(index);
    // the latest published height and its age, per chain, network and mode
    Map<String, String> labels = Map.of("chain", "litecoin", "network", "regtest", "mode", "full");
    PrometheusScrape scrape = scrape();
    assertEquals(100, scrape.value("chainsnap_publisher_latest_height", labels).orElse(-1));
    double age = scrape.value("chainsnap_publisher_latest_age_seconds", labels).orElse(-1);
    assertTrue(age >= 0 && age < 600, "age of the latest snapshot since its takenAt: " + age);
    assertEquals(List.of(), scrape.withoutHelp("chainsnap_"), "every chainsnap metric has a HELP");

    // redelivered events: nothing uploaded, pinned or published twice
    double skippedBefore = metric("chainsnap_publisher_upload_skipped_total");
    send(created);
    send(
        new SnapshotVerified(
            created.snapshotId(), TARGET, 100, HASH, uploaded.archiveUrl(), 10, 20, Instant.now()));
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .until(
            () ->
                metric("chainsnap_publisher_upload_skipped_total") > skippedBefore
                    && metric("chainsnap_publisher_pin_skipped_total") >= 1);
    Thread.sleep(2000);
    assertEquals(1, count(EventType.SNAPSHOT_PUBLISHED, created.snapshotId()));

    // a newer snapshot that the verifier rejects never becomes latest
    SnapshotCreated newer = stage("litecoin-regtest-full-b-120", 120, false);
    send(newer);
    SnapshotUploaded newerUploaded = awaitEvent(EventType.SNAPSHOT_UPLOADED, newer.snapshotId());
    send(
        new SnapshotRejected(
            newer.snapshotId(),
            TARGET,
            newerUploaded.archiveUrl(),
            RejectionStage.CHECKSUM,
            "chunk 3 differs",
            Instant.now()));
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .until(
            () ->
                index().snapshots().stream()
                    .anyMatch(
                        e ->
                            e.snapshotId().equals(newer.snapshotId())
                                && e.verification().status() == VerificationStatus.REJECTED));
    assertEquals(Optional.of(created.snapshotId()), index().latest(Mode.FULL));
    assertEquals(100, scrape().value("chainsnap_publisher_latest_height", labels).orElse(-1));
  }

  /**
   * What a generic client can check without chainsnap: {@code sha256sum -c SHA256SUMS} over the
   * files downloaded beside it, and the S3 additional checksums ({@code x-amz-checksum-sha256}):
   * snapshot.json's is its SHA-256, the archive's the composite of its parts (5 MiB in the tests).
   * Range requests answer 206 with {@code Accept-Ranges: bytes}.
   */
  void genericToolsCheckTheHashes(SnapshotUploaded uploaded) throws Exception {
    String base = uploaded.archiveUrl().substring(0, uploaded.archiveUrl().lastIndexOf('/') + 1);
    assertEquals(base + "snapshot.json", uploaded.manifestUrl());
    Path downloads = Files.createTempDirectory("chainsnap-download-");
    for (String file : List.of("snapshot.tar.zst", "snapshot.json", "SHA256SUMS")) {
      HttpResponse<Path> response =
          http.send(
              HttpRequest.newBuilder(URI.create(base + file)).build(),
              HttpResponse.BodyHandlers.ofFile(downloads.resolve(file)));
      assertEquals(200, response.statusCode(), file + " is public");
    }
    Process check =
        new ProcessBuilder("sha256sum", "-c", "SHA256SUMS")
            .directory(downloads.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(check.getInputStream().readAllBytes());
    assertEquals(0, check.waitFor(), output);
    assertEquals("snapshot.tar.zst: OK\nsnapshot.json: OK\n", output);

    byte[] manifest = Files.readAllBytes(downloads.resolve("snapshot.json"));
    assertEquals(
        Base64.getEncoder().encodeToString(Sha256.newDigest().digest(manifest)),
        checksumHeader(base + "snapshot.json"));
    byte[] archive = Files.readAllBytes(downloads.resolve("snapshot.tar.zst"));
    int partSize = 5 << 20;
    MessageDigest composite = Sha256.newDigest();
    List<byte[]> parts = new ArrayList<>();
    for (int offset = 0; offset < archive.length; offset += partSize) {
      parts.add(
          Sha256.newDigest()
              .digest(
                  java.util.Arrays.copyOfRange(
                      archive, offset, Math.min(archive.length, offset + partSize))));
    }
    parts.forEach(composite::update);
    assertEquals(2, parts.size(), "a 7 MB archive goes up in two parts");
    assertEquals(
        Base64.getEncoder().encodeToString(composite.digest()) + "-2",
        checksumHeader(uploaded.archiveUrl()));

    HttpResponse<byte[]> range =
        http.send(
            HttpRequest.newBuilder(URI.create(uploaded.archiveUrl()))
                .header("Range", "bytes=0-9")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(206, range.statusCode());
    assertEquals("bytes", range.headers().firstValue("Accept-Ranges").orElse(null));
    assertEquals(
        "bytes 0-9/" + archive.length, range.headers().firstValue("Content-Range").orElse(null));
  }

  /** {@code x-amz-checksum-sha256} of a HEAD with {@code x-amz-checksum-mode: ENABLED}. */
  String checksumHeader(String url) throws Exception {
    HttpResponse<Void> head =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("x-amz-checksum-mode", "ENABLED")
                .build(),
            HttpResponse.BodyHandlers.discarding());
    assertEquals(200, head.statusCode(), url);
    return head.headers().firstValue("x-amz-checksum-sha256").orElse(null);
  }

  static PrometheusScrape scrape() {
    return PrometheusScrape.of(given().get("/q/metrics").asString());
  }

  /**
   * Issue 17: the same {@code snapshot-created} again (what a consumer sees after a broker restart
   * or an offset reset), after the snapshotter deleted the staged files: not announced twice, no
   * dead letter. The one-partition topics of the test broker keep the order, so once a later
   * snapshot is announced, the redelivered one was handled.
   */
  @Test
  void aRedeliveredSnapshotCreatedIsNotAnnouncedAgainNorDeadLetteredAfterStagingIsGone()
      throws Exception {
    SnapshotCreated created = stage("litecoin-regtest-full-r-300", 300, false);
    String id = created.snapshotId();
    send(created);
    awaitEvent(EventType.SNAPSHOT_UPLOADED, id);
    awaitEvent(EventType.SNAPSHOT_PINNED, id);
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .until(
            () ->
                index().snapshots().stream()
                    .anyMatch(e -> e.snapshotId().equals(id) && e.sources().containsKey("ipfs")));

    Components.deleteRecursively(stagingRoot.resolve(id)); // staging cleanup, as once settled
    send(created);
    SnapshotCreated later = stage("litecoin-regtest-full-r-301", 301, false);
    send(later);
    awaitEvent(EventType.SNAPSHOT_UPLOADED, later.snapshotId());
    awaitEvent(EventType.SNAPSHOT_PINNED, later.snapshotId());

    assertEquals(1, count(EventType.SNAPSHOT_UPLOADED, id), "snapshot-uploaded once");
    assertEquals(1, count(EventType.SNAPSHOT_PINNED, id), "snapshot-pinned once");
    assertEquals(
        0,
        kafka().readAll(Topics.DEAD_LETTER, Duration.ofSeconds(3)).stream()
            .filter(r -> id.equals(r.key()))
            .count(),
        "a replay after staging cleanup is no dead letter");
  }

  @Test
  void archiveThatDoesNotMatchItsHashIsNeverPublished() throws Exception {
    SnapshotCreated corrupt = stage("litecoin-regtest-full-c-130", 130, true);
    send(corrupt);
    List<ConsumerRecord<String, String>> dead =
        kafka().await(Topics.DEAD_LETTER, r -> corrupt.snapshotId().equals(r.key()), WAIT);
    String reasons =
        dead.stream().map(r -> KafkaTestClient.header(r, "dead-letter-reason")).toList().toString();
    assertTrue(reasons.contains("hashes to"), reasons);
    HttpResponse<String> object =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        publicUrl(
                            "litecoin/regtest/full/" + corrupt.snapshotId() + "/snapshot.tar.zst")))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertTrue(
        object.statusCode() == 404 || object.statusCode() == 403,
        "no object: " + object.statusCode());
  }

  @Test
  void malformedEventGoesToTheDeadLetterTopicAndTheConsumerGoesOn() throws Exception {
    kafka()
        .produce(Topics.SNAPSHOT_CREATED, "poison-1", "{\"snapshotId\": 42}", java.util.Map.of());
    ConsumerRecord<String, String> dead =
        kafka().await(Topics.DEAD_LETTER, r -> "poison-1".equals(r.key()), WAIT).get(0);
    String reason = KafkaTestClient.header(dead, "dead-letter-reason");
    assertNotNull(reason);
    assertTrue(reason.contains("does not match its schema"), reason);
    assertEquals("{\"snapshotId\": 42}", dead.value(), "the event is kept as it was");

    SnapshotCreated after = stage("litecoin-regtest-full-d-140", 140, false);
    send(after);
    awaitEvent(EventType.SNAPSHOT_UPLOADED, after.snapshotId());
  }

  static double metric(String name) {
    String body = given().get("/q/metrics").asString();
    return body.lines()
        .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }
}
