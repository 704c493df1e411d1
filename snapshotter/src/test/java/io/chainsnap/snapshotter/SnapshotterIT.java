package io.chainsnap.snapshotter;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.archive.ArchiveManifest;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.archive.ZstdSettings;
import io.chainsnap.domain.QuiesceStrategy;
import io.chainsnap.events.CloudEventAttributes;
import io.chainsnap.events.EventCodec;
import io.chainsnap.events.EventType;
import io.chainsnap.events.SnapshotCreated;
import io.chainsnap.events.SnapshotPublished;
import io.chainsnap.events.SnapshotRequested;
import io.chainsnap.events.Topics;
import io.chainsnap.snapshotter.config.SnapshotterConfig;
import io.chainsnap.snapshotter.staging.StagingCleanup;
import io.chainsnap.testsupport.KafkaResource;
import io.chainsnap.testsupport.KafkaTestClient;
import io.chainsnap.testsupport.LitecoinNode;
import io.chainsnap.testsupport.LitecoinResource;
import io.chainsnap.testsupport.PrometheusScrape;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The snapshotter over real components: a litecoind regtest node and a Kafka broker. Snapshots are
 * taken by REST and by event; the node must always run again afterwards.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(LitecoinResource.class)
class SnapshotterIT {
  static final String TARGET = "ltc-regtest";
  static final String TOKEN = "Bearer test-token";

  KafkaTestClient kafka() {
    return new KafkaTestClient(KafkaResource.bootstrapServers());
  }

  LitecoinNode node() {
    return LitecoinResource.node();
  }

  @Test
  void restTriggerSnapshotsTheNodeAndRestartsIt() throws Exception {
    long height = node().mine(7);
    String hash = node().bestBlockHash();

    trigger().then().statusCode(202).body("state", equalTo("running"));
    String snapshotId = awaitRun("succeeded").path("latestRun.snapshotId");

    SnapshotCreated created = createdEvent(snapshotId);
    assertEquals(height, created.height());
    assertEquals(hash, created.blockHash());
    assertEquals("litecoin", created.target().chain());
    assertEquals(QuiesceStrategy.STOP, created.quiesce());
    assertTrue(created.nodeDowntimeMillis() > 0);
    assertTrue(created.clientVersion().contains("LitecoinCore"), created.clientVersion());

    // the last downtime and duration stay readable after the timers' _max has decayed
    PrometheusScrape metrics = PrometheusScrape.of(given().get("/q/metrics").asString());
    double downtime =
        metrics
            .value(
                "chainsnap_snapshot_last_downtime_seconds",
                Map.of("target", TARGET, "strategy", "stop"))
            .orElse(-1);
    assertEquals(created.nodeDowntimeMillis() / 1000.0, downtime, 0.0005);
    double duration =
        metrics
            .value("chainsnap_snapshot_last_duration_seconds", Map.of("target", TARGET))
            .orElse(-1);
    assertTrue(duration >= downtime, "the whole run " + duration + " s, the node down " + downtime);
    assertTrue(
        metrics
                .value("chainsnap_snapshot_last_success_timestamp", Map.of("target", TARGET))
                .orElse(0)
            > Instant.now().minusSeconds(300).getEpochSecond());

    // the node is back and serves the same tip
    assertTrue(node().daemon().isRunning());
    assertEquals(hash, node().bestBlockHash());

    // the staged archive is served at the claim-check URL and hashes as announced
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<InputStream> archive =
        http.send(
            HttpRequest.newBuilder(URI.create(created.archive().archiveUrl())).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, archive.statusCode());
    Path downloaded = Files.createTempFile("snapshot", ".tar.zst");
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (InputStream in = archive.body()) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
        Files.write(
            downloaded,
            java.util.Arrays.copyOf(buffer, n),
            java.nio.file.StandardOpenOption.APPEND);
      }
    }
    assertEquals(created.archive().sha256(), HexFormat.of().formatHex(sha.digest()));
    assertEquals(created.archive().compressedSize(), Files.size(downloaded));

    // ranges work (resumable downloads)
    HttpResponse<byte[]> range =
        http.send(
            HttpRequest.newBuilder(URI.create(created.archive().archiveUrl()))
                .header("Range", "bytes=0-3")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(206, range.statusCode());
    assertEquals(4, range.body().length);

    // only signed URLs open staging
    String unsigned =
        created.archive().archiveUrl().substring(0, created.archive().archiveUrl().indexOf('?'));
    assertEquals(
        403,
        http.send(
                HttpRequest.newBuilder(URI.create(unsigned)).build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode());
    String tampered = created.archive().archiveUrl().replace("snapshot.tar.zst?", "snapshot.json?");
    assertEquals(
        403,
        http.send(
                HttpRequest.newBuilder(URI.create(tampered)).build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode());

    // plain zstd + tar read it; node-local files never leave the machine
    String listing = run("zstd -dc " + downloaded + " | tar -t");
    assertTrue(listing.contains("blocks/blk00000.dat"), listing);
    assertTrue(listing.contains("chainstate/"), listing);
    for (String secret :
        List.of("debug.log", "wallets", "peers.dat", ".lock", ".pid", "settings.json")) {
      assertFalse(listing.contains(secret), secret + " must not be archived:\n" + listing);
    }

    HttpResponse<String> manifest =
        http.send(
            HttpRequest.newBuilder(URI.create(created.archive().manifestUrl())).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, manifest.statusCode());
    assertEquals(
        created.archive().manifestSha256(),
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(manifest.body().getBytes(StandardCharsets.UTF_8))));
    assertTrue(manifest.body().contains("\"height\" : " + height), manifest.body());
    // how it was compressed: the default settings, none configured here
    ArchiveManifest archived =
        SnapshotMetadata.read(manifest.body().getBytes(StandardCharsets.UTF_8)).archive();
    assertEquals(ZstdSettings.DEFAULT.level(), archived.level());
    assertEquals(ZstdSettings.DEFAULT.parameters(), archived.zstdParameters());
  }

  @Test
  void secondTriggerWhileRunningIsRefused() {
    trigger().then().statusCode(202);
    trigger().then().statusCode(409).body("reason", equalTo("busy"));
    awaitRun("succeeded");
  }

  @Test
  void triggerNeedsTheToken() {
    given().post("/targets/" + TARGET + "/snapshots").then().statusCode(401);
    given()
        .header("Authorization", "Bearer wrong")
        .post("/targets/" + TARGET + "/snapshots")
        .then()
        .statusCode(401);
    given().header("Authorization", TOKEN).post("/targets/nope/snapshots").then().statusCode(404);
  }

  @Test
  void nodeRunsAgainWhenArchivingFails() throws Exception {
    awaitIdle();
    // a symlink in the data dir: the archive writer refuses it, mid-snapshot
    Path link = node().daemon().config().chainDir().resolve("evil-link");
    Files.createSymbolicLink(link, Path.of("/etc/passwd"));
    try {
      trigger().then().statusCode(202);
      Response run = awaitRun("failed");
      assertTrue(run.path("latestRun.error").toString().contains("evil-link"), run.asString());
      assertTrue(node().daemon().isRunning(), "node must run again after a failed archive");
      assertTrue(node().height() > 0);
      given().get("/q/health/ready").then().statusCode(200);
      try (var staged = Files.list(Path.of("target/.staging"))) {
        assertTrue(
            staged.noneMatch(p -> p.toString().contains(".partial")),
            "failed runs leave no partial archive");
      }
    } finally {
      Files.delete(link);
    }
  }

  @Test
  void snapshotRequestedEventStartsASnapshot() {
    awaitIdle();
    SnapshotRequested request =
        new SnapshotRequested("req-" + System.nanoTime(), TARGET, "it", Instant.now());
    kafka()
        .produce(
            Topics.SNAPSHOT_REQUESTED,
            request.key(),
            EventCodec.encode(request),
            CloudEventAttributes.of("/test", request).toHeaders());
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              Response target = given().get("/targets/" + TARGET);
              return "event".equals(target.path("latestRun.trigger"))
                  && "succeeded".equals(target.path("latestRun.state"));
            });
  }

  @Test
  void malformedRequestGoesToTheDeadLetterTopicWithTheReason() {
    kafka().produce(Topics.SNAPSHOT_REQUESTED, "bad-1", "{this is not json", Map.of());
    List<ConsumerRecord<String, String>> dead =
        kafka().await(Topics.DEAD_LETTER, r -> "bad-1".equals(r.key()), Duration.ofSeconds(60));
    String reason = KafkaTestClient.header(dead.get(0), "dead-letter-reason");
    assertNotNull(reason);
    assertTrue(reason.contains("not JSON"), reason);
    // the consumer keeps going: a valid request after it is still served
    snapshotRequestedEventStartsASnapshot();
  }

  @Test
  void stagingIsFreedOnceTheSnapshotIsPublished() throws Exception {
    awaitIdle();
    trigger().then().statusCode(202);
    String snapshotId = awaitRun("succeeded").path("latestRun.snapshotId");
    Path staged = Path.of("target/.staging").resolve(snapshotId);
    assertTrue(Files.isDirectory(staged));
    SnapshotPublished published =
        new SnapshotPublished(
            snapshotId,
            createdEvent(snapshotId).target(),
            "http://127.0.0.1/index.json",
            1,
            snapshotId,
            Instant.now());
    kafka()
        .produce(
            Topics.SNAPSHOT_PUBLISHED,
            snapshotId,
            EventCodec.encode(published),
            CloudEventAttributes.of("/test", published).toHeaders());
    await().atMost(Duration.ofSeconds(60)).until(() -> !Files.exists(staged));
  }

  @Test
  void staleRequestsAreIgnored() {
    awaitIdle();
    double before = metric("chainsnap_snapshot_requests_total{outcome=\"stale\"");
    SnapshotRequested stale =
        new SnapshotRequested(
            "stale-" + System.nanoTime(), TARGET, "it", Instant.now().minus(Duration.ofHours(2)));
    kafka()
        .produce(
            Topics.SNAPSHOT_REQUESTED,
            stale.key(),
            EventCodec.encode(stale),
            CloudEventAttributes.of("/test", stale).toHeaders());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> metric("chainsnap_snapshot_requests_total{outcome=\"stale\"") > before);
    assertEquals(
        "idle",
        given().get("/targets/" + TARGET).path("latestRun.state").equals("running")
            ? "running"
            : "idle");
  }

  static double metric(String prefix) {
    return given()
        .get("/q/metrics")
        .asString()
        .lines()
        .filter(line -> line.startsWith(prefix))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Inject StagingCleanup cleanup;
  @Inject SnapshotterConfig config;

  @Test
  void unsettledStagingExpiresAfterTheRetention() throws Exception {
    Path staging = config.staging().dir();
    Path stale =
        Files.createDirectories(staging.resolve("litecoin-regtest-full-20200101t000000000z-1"));
    Files.writeString(stale.resolve("snapshot.json"), "{}");
    FileTime old =
        FileTime.from(Instant.now().minus(config.staging().retention()).minusSeconds(60));
    Files.setLastModifiedTime(stale.resolve("snapshot.json"), old);
    Files.setLastModifiedTime(stale, old);
    Path fresh =
        Files.createDirectories(staging.resolve("litecoin-regtest-full-20991231t000000000z-2"));
    Files.writeString(fresh.resolve("snapshot.json"), "{}");
    double before = cleanedExpired();

    assertEquals(List.of(stale.getFileName().toString()), cleanup.expire(Instant.now()));
    assertFalse(Files.exists(stale), "the unsettled snapshot past the retention is gone");
    assertTrue(Files.exists(fresh), "a recent one stays");
    assertEquals(before + 1, cleanedExpired());
    Files.delete(fresh.resolve("snapshot.json"));
    Files.delete(fresh);
  }

  static double cleanedExpired() {
    return given()
        .get("/q/metrics")
        .asString()
        .lines()
        .filter(line -> line.startsWith("chainsnap_snapshot_staging_cleaned_total{"))
        .filter(line -> line.contains("how=\"expired\""))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void metricsAndHealthAreExposed() {
    given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    String metrics = given().get("/q/metrics").asString();
    assertTrue(metrics.contains("chainsnap_snapshot_last_success_timestamp"), metrics);
    PrometheusScrape scrape = PrometheusScrape.of(metrics);
    assertEquals(List.of(), scrape.withoutHelp("chainsnap_"), "every chainsnap metric has a HELP");
    for (String family :
        List.of(
            "chainsnap_snapshot_last_downtime_seconds",
            "chainsnap_snapshot_last_duration_seconds",
            // counter families are named without _total (their samples with it)
            "chainsnap_snapshot_failed",
            "chainsnap_snapshot_requests",
            "chainsnap_snapshot_staging_cleaned")) {
      assertTrue(
          scrape.families("chainsnap_").contains(family),
          family + " exists from the start: " + scrape.families("chainsnap_"));
    }
    assertTrue(
        scrape
            .value("chainsnap_snapshot_failed_total", Map.of("target", TARGET, "stage", "restart"))
            .isPresent(),
        "failure counters exist per target and stage at 0");
    assertEquals(
        1.0,
        scrape.value("chainsnap_snapshot_node_up", Map.of("target", TARGET)).orElseThrow(),
        "the source node is up");
  }

  static Response trigger() {
    return given().header("Authorization", TOKEN).post("/targets/" + TARGET + "/snapshots");
  }

  static Response awaitRun(String state) {
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> !"running".equals(given().get("/targets/" + TARGET).path("latestRun.state")));
    Response target = given().get("/targets/" + TARGET);
    assertEquals(state, target.path("latestRun.state"), target.asString());
    return target;
  }

  static void awaitIdle() {
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> !"running".equals(given().get("/targets/" + TARGET).path("latestRun.state")));
  }

  SnapshotCreated createdEvent(String snapshotId) {
    ConsumerRecord<String, String> record =
        kafka()
            .await(Topics.SNAPSHOT_CREATED, r -> snapshotId.equals(r.key()), Duration.ofSeconds(30))
            .get(0);
    assertEquals(
        EventType.SNAPSHOT_CREATED.cloudEventType(), KafkaTestClient.header(record, "ce_type"));
    assertEquals(snapshotId, KafkaTestClient.header(record, "ce_subject"));
    return EventCodec.decode(EventType.SNAPSHOT_CREATED, record.value());
  }

  static String run(String command) throws Exception {
    Process process = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), out);
    return out;
  }
}
