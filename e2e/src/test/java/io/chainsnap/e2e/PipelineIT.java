package io.chainsnap.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.domain.RejectionStage;
import io.chainsnap.domain.VerificationStatus;
import io.chainsnap.events.EventCodec;
import io.chainsnap.events.EventType;
import io.chainsnap.events.SnapshotPublished;
import io.chainsnap.events.SnapshotRejected;
import io.chainsnap.events.Topics;
import io.chainsnap.testsupport.Components;
import io.chainsnap.testsupport.KafkaTestClient;
import io.chainsnap.testsupport.LocalPipeline;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole pipeline, every part real: litecoind regtest is snapshotted on request, the archive is
 * uploaded to s3proxy and pinned on js-ipfs, the verifier restores it from its public URL and boots
 * litecoind on it, and only then does the index name it {@code latest}. Then bit rot in the bucket:
 * a snapshot whose object had one byte flipped is rejected and never becomes latest; a verified
 * snapshot whose object rots after publication is caught by re-verification and latest moves back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineIT {
  static final Duration WAIT = Duration.ofMinutes(3);
  static LocalPipeline pipeline;
  static Path dir;
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static String firstSnapshot;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("chainsnap-e2e-");
    pipeline = LocalPipeline.start(dir, new LocalPipeline.FixedPorts(0, 0, 0, 0, 0));
  }

  @AfterAll
  static void stop() throws Exception {
    if (pipeline != null) {
      pipeline.close();
    }
    // keep the services' and components' logs for a look after a failure
    Path logs = Path.of("target/e2e-logs");
    Components.deleteRecursively(logs);
    Files.createDirectories(logs);
    try (var files = Files.list(dir.resolve("logs"))) {
      for (Path log : files.toList()) {
        Files.copy(log, logs.resolve(log.getFileName()));
      }
    }
    Components.deleteRecursively(dir);
  }

  static KafkaTestClient kafka() {
    return new KafkaTestClient(pipeline.kafka().bootstrapServers());
  }

  static void requestSnapshot() throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        pipeline.snapshotterUrl()
                            + "/targets/"
                            + LocalPipeline.TARGET
                            + "/snapshots"))
                .header("Authorization", "Bearer " + pipeline.token())
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(202, response.statusCode(), response.body());
  }

  static Optional<SnapshotIndex> index() throws Exception {
    HttpResponse<byte[]> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(pipeline.indexUrl())).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    return response.statusCode() == 200
        ? Optional.of(SnapshotIndex.read(response.body()))
        : Optional.empty();
  }

  static SnapshotIndex.Entry entry(SnapshotIndex index, String id) {
    return index.snapshots().stream()
        .filter(e -> e.snapshotId().equals(id))
        .findFirst()
        .orElseThrow();
  }

  @Test
  @Order(1)
  void aRequestedSnapshotIsVerifiedAndBecomesLatest() throws Exception {
    long height = pipeline.litecoin().height();
    String hash = pipeline.litecoin().bestBlockHash();
    requestSnapshot();

    SnapshotPublished published =
        EventCodec.decode(
            EventType.SNAPSHOT_PUBLISHED,
            kafka().await(Topics.SNAPSHOT_PUBLISHED, r -> true, WAIT).get(0).value());
    firstSnapshot = published.snapshotId();
    assertEquals(pipeline.indexUrl(), published.indexUrl());

    SnapshotIndex index = index().orElseThrow();
    assertEquals(firstSnapshot, index.latest().get("full"));
    SnapshotIndex.Entry entry = entry(index, firstSnapshot);
    assertEquals(height, entry.height());
    assertEquals(hash, entry.blockHash());
    assertEquals(VerificationStatus.VERIFIED, entry.verification().status());
    assertTrue(entry.sources().get("ipfs").startsWith("ipfs://b"), entry.sources().toString());

    // what the index points at is downloadable by anyone and hashes as the index says
    HttpResponse<byte[]> archive =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(entry.sources().get("https"))).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, archive.statusCode());
    assertEquals(
        entry.sha256(),
        java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(archive.body())));
    // the source node runs on
    assertTrue(pipeline.litecoin().daemon().isRunning());
    assertEquals(hash, pipeline.litecoin().bestBlockHash());
  }

  @Test
  @Order(2)
  void aCorruptedObjectIsRejectedAndNeverBecomesLatest() throws Exception {
    pipeline.stopService("verifier");
    pipeline.litecoin().mine(3);
    requestSnapshot();

    // wait until the new snapshot is in the bucket (listed as pending), then rot one byte of it
    String[] id = new String[1];
    await()
        .atMost(WAIT)
        .until(
            () ->
                index()
                    .flatMap(
                        i ->
                            i.snapshots().stream()
                                .filter(e -> !e.snapshotId().equals(firstSnapshot))
                                .findFirst())
                    .map(e -> id[0] = e.snapshotId())
                    .isPresent());
    SnapshotIndex.Entry pending = entry(index().orElseThrow(), id[0]);
    assertEquals(VerificationStatus.PENDING, pending.verification().status());
    String key =
        pending.sources().get("s3").substring(("s3://" + LocalPipeline.BUCKET + "/").length());
    Path object = pipeline.objectFile(key);
    assertTrue(Files.isRegularFile(object), "s3proxy keeps the object at " + object);
    try (RandomAccessFile file = new RandomAccessFile(object.toFile(), "rw")) {
      long at = file.length() / 2;
      file.seek(at);
      int b = file.read();
      file.seek(at);
      file.write(b ^ 0x01);
    }

    pipeline.startService("verifier");
    SnapshotRejected rejected =
        EventCodec.decode(
            EventType.SNAPSHOT_REJECTED,
            kafka()
                .await(Topics.SNAPSHOT_REJECTED, r -> id[0].equals(r.key()), WAIT)
                .get(0)
                .value());
    assertEquals(RejectionStage.CHECKSUM, rejected.stage());

    await()
        .atMost(WAIT)
        .until(
            () ->
                entry(index().orElseThrow(), id[0]).verification().status()
                    == VerificationStatus.REJECTED);
    SnapshotIndex index = index().orElseThrow();
    assertEquals(
        firstSnapshot, index.latest().get("full"), "latest stays on the verified snapshot");
    assertNotEquals(id[0], index.latest().get("full"));
  }

  /**
   * Re-verification (scheduled every few seconds in this stack: every chunk re-hashed): a newer
   * verified snapshot becomes latest, carries the node's deeper checks and the restore figures,
   * passes its re-checks; then one byte of its published archive rots in s3proxy's storage, the
   * next re-check rejects it at {@code reverify}, once, and {@code latest} moves back.
   */
  @Test
  @Order(3)
  void aPublishedObjectThatRotsIsCaughtByReverificationAndLatestMovesBack() throws Exception {
    pipeline.litecoin().mine(2);
    requestSnapshot();
    SnapshotPublished published =
        EventCodec.decode(
            EventType.SNAPSHOT_PUBLISHED,
            kafka()
                .await(
                    Topics.SNAPSHOT_PUBLISHED,
                    r -> r.key() != null && !r.key().equals(firstSnapshot),
                    WAIT)
                .get(0)
                .value());
    String second = published.snapshotId();
    SnapshotIndex index = index().orElseThrow();
    assertEquals(second, index.latest().get("full"));

    // the verdict in the index: restore figures and the node's own checks (litecoind 0.21)
    SnapshotIndex.Verification verification = entry(index, second).verification();
    assertEquals(VerificationStatus.VERIFIED, verification.status());
    assertTrue(verification.restoreMillis() != null && verification.restoreMillis() >= 0);
    assertTrue(verification.bootMillis() != null && verification.bootMillis() > 0);
    assertTrue(
        verification.diskBytes() != null
            && verification.diskBytes() >= entry(index, second).contentSize(),
        "disk " + verification.diskBytes());
    assertEquals(3, verification.verifyChainLevel());
    assertEquals(6, verification.verifyChainBlocks());
    assertEquals("hash_serialized_2", verification.utxoSetHashType());
    assertTrue(verification.utxoSetHash().matches("[0-9a-f]{64}"), verification.utxoSetHash());

    // the re-checks pass while the objects are intact
    String lastSuccess = "chainsnap_verifier_reverify_last_success_timestamp_seconds";
    String failures = "chainsnap_verifier_reverify_failures_total";
    String[] target = {
      "chain=\"litecoin\"", "network=\"regtest\"", "mode=\"full\"", "pass=\"sample\""
    };
    await().atMost(WAIT).until(() -> metric(lastSuccess, target) > 0);
    assertEquals(0.0, metric(failures, "chain=\"litecoin\"", "kind=\"rejected\""));

    // one byte of the published archive rots
    String key =
        entry(index, second)
            .sources()
            .get("s3")
            .substring(("s3://" + LocalPipeline.BUCKET + "/").length());
    Path object = pipeline.objectFile(key);
    try (RandomAccessFile file = new RandomAccessFile(object.toFile(), "rw")) {
      long at = file.length() / 3;
      file.seek(at);
      int b = file.read();
      file.seek(at);
      file.write(b ^ 0x10);
    }

    SnapshotRejected rejected =
        EventCodec.decode(
            EventType.SNAPSHOT_REJECTED,
            kafka()
                .await(Topics.SNAPSHOT_REJECTED, r -> second.equals(r.key()), WAIT)
                .get(0)
                .value());
    assertEquals(RejectionStage.REVERIFY, rejected.stage());
    assertTrue(rejected.reason().contains("chunk"), rejected.reason());

    await()
        .atMost(WAIT)
        .until(() -> firstSnapshot.equals(index().orElseThrow().latest().get("full")));
    assertEquals(
        VerificationStatus.REJECTED, entry(index().orElseThrow(), second).verification().status());
    assertTrue(metric(failures, "chain=\"litecoin\"", "kind=\"rejected\"") >= 1);

    // later passes go on (the first snapshot still passes) and never reject it a second time
    long before = (long) metric(lastSuccess, target);
    await().atMost(WAIT).until(() -> metric(lastSuccess, target) > before);
    long rejections =
        kafka().readAll(Topics.SNAPSHOT_REJECTED, Duration.ofSeconds(2)).stream()
            .filter(r -> second.equals(r.key()))
            .count();
    assertEquals(1, rejections, "one snapshot-rejected for " + second);
  }

  /**
   * The sum of the verifier's Prometheus samples of {@code name} that have every one of {@code
   * labels} ({@code key="value"}); 0 if none.
   */
  static double metric(String name, String... labels) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(pipeline.serviceUrl("verifier") + "/q/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    return response
        .body()
        .lines()
        .filter(line -> line.startsWith(name + "{"))
        .filter(line -> java.util.Arrays.stream(labels).allMatch(line::contains))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }
}
