package io.chainsnap.verifier;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.archive.ArchiveManifest;
import io.chainsnap.archive.ArchiveWriter;
import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.QuiesceStrategy;
import io.chainsnap.domain.RejectionStage;
import io.chainsnap.domain.VerificationStatus;
import io.chainsnap.events.CloudEventAttributes;
import io.chainsnap.events.EventCodec;
import io.chainsnap.events.EventType;
import io.chainsnap.events.SnapshotRejected;
import io.chainsnap.events.SnapshotTarget;
import io.chainsnap.events.SnapshotUploaded;
import io.chainsnap.events.SnapshotVerified;
import io.chainsnap.events.Topics;
import io.chainsnap.testsupport.KafkaResource;
import io.chainsnap.testsupport.KafkaTestClient;
import io.chainsnap.testsupport.LitecoinNode;
import io.chainsnap.testsupport.LitecoinResource;
import io.chainsnap.testsupport.MoneroNode;
import io.chainsnap.testsupport.PrometheusScrape;
import io.chainsnap.testsupport.StaticFileServer;
import io.chainsnap.verifier.service.ReverifyService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The verifier over real components: a Kafka broker, a real litecoind regtest data dir archived in
 * format v1 and served over HTTP, and litecoind booted on the restored copy.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(LitecoinResource.class)
class VerifierIT {
  static final SnapshotTarget TARGET = new SnapshotTarget("litecoin", "regtest", Mode.FULL);
  static final Duration WAIT = Duration.ofSeconds(120);
  static final List<String> NEVER =
      List.of(
          "debug.log",
          "wallets",
          "peers.dat",
          "banlist",
          "mempool.dat",
          "fee_estimates.dat",
          "settings.json",
          ".lock",
          "chainsnap-node.pid",
          "anchors.dat");

  static Path published;
  static StaticFileServer cdn;

  @BeforeAll
  static void startCdn() throws Exception {
    published = Files.createTempDirectory("chainsnap-published-").toRealPath();
    cdn = new StaticFileServer(published);
  }

  @AfterAll
  static void stopCdn() {
    cdn.close();
  }

  KafkaTestClient kafka() {
    return new KafkaTestClient(KafkaResource.bootstrapServers());
  }

  /** Snapshots the real node (cold) into {@code published/id}, announcing {@code claimedHeight}. */
  SnapshotUploaded publish(String id, int moreBlocks, long heightOffset, boolean flipByte)
      throws Exception {
    LitecoinNode node = LitecoinResource.node();
    node.mine(moreBlocks);
    long height = node.height();
    String hash = node.bestBlockHash();
    node.daemon().stop(Duration.ofSeconds(60));
    try {
      return publish(
          TARGET,
          id,
          node.daemon().config().chainDir(),
          path -> NEVER.stream().noneMatch(path::contains),
          height + heightOffset,
          hash,
          flipByte);
    } finally {
      node.daemon().start(Duration.ofSeconds(60));
    }
  }

  /** Archives {@code chainDir} into {@code published/id} and returns its uploaded event. */
  SnapshotUploaded publish(
      SnapshotTarget target,
      String id,
      Path chainDir,
      java.util.function.Predicate<String> filter,
      long claimed,
      String hash,
      boolean flipByte)
      throws Exception {
    Path dir = Files.createDirectories(published.resolve(id));
    ArchiveManifest manifest =
        ArchiveWriter.builder()
            .chunkSize(1 << 20)
            .filter(filter)
            .build()
            .write(chainDir, dir.resolve("snapshot.tar.zst"));
    SnapshotMetadata metadata =
        new SnapshotMetadata(
            1,
            id,
            target.chain(),
            target.network(),
            target.mode(),
            "test",
            claimed,
            hash,
            Instant.now(),
            QuiesceStrategy.STOP,
            500,
            manifest);
    Files.write(dir.resolve("snapshot.json"), metadata.toJson());
    if (flipByte) {
      byte[] archive = Files.readAllBytes(dir.resolve("snapshot.tar.zst"));
      archive[archive.length / 3] ^= 0x10;
      Files.write(dir.resolve("snapshot.tar.zst"), archive);
    }
    return new SnapshotUploaded(
        id,
        target,
        claimed,
        hash,
        "bucket",
        "k/" + id + "/snapshot.tar.zst",
        "k/" + id + "/snapshot.json",
        cdn.url(id + "/snapshot.tar.zst"),
        cdn.url(id + "/snapshot.json"),
        manifest.sha256(),
        manifest.compressedSize(),
        Instant.now());
  }

  void send(SnapshotUploaded event) {
    kafka()
        .produce(
            Topics.SNAPSHOT_UPLOADED,
            event.key(),
            EventCodec.encode(event),
            CloudEventAttributes.of("/test", event).toHeaders());
  }

  ConsumerRecord<String, String> awaitResult(String topic, String id) {
    return kafka().await(topic, r -> id.equals(r.key()), WAIT).get(0);
  }

  @Test
  void aGoodSnapshotBootsAtTheAnnouncedTip() throws Exception {
    SnapshotUploaded uploaded = publish("litecoin-regtest-full-good-1", 3, 0, false);
    send(uploaded);
    SnapshotVerified verified =
        EventCodec.decode(
            EventType.SNAPSHOT_VERIFIED,
            awaitResult(Topics.SNAPSHOT_VERIFIED, uploaded.snapshotId()).value());
    assertEquals(uploaded.height(), verified.height());
    assertEquals(uploaded.blockHash(), verified.blockHash());
    assertEquals(uploaded.archiveUrl(), verified.sourceUrl());
    assertTrue(verified.restoreMillis() >= 0 && verified.bootMillis() > 0);
    // the deeper checks of the real litecoind: verifychain (defaults 3, 6) and its UTXO set hash
    assertEquals(3, verified.verifyChainLevel());
    assertEquals(6, verified.verifyChainBlocks());
    assertEquals("hash_serialized_2", verified.utxoSetHashType());
    assertTrue(verified.utxoSetHash().matches("[0-9a-f]{64}"), verified.utxoSetHash());
    assertTrue(verified.diskBytes() > 0, "disk used " + verified.diskBytes());
    try (var left = Files.list(Path.of("target/verifier-work"))) {
      assertEquals(0, left.count(), "scratch data dirs are removed");
    }
    PrometheusScrape metrics = PrometheusScrape.of(given().get("/q/metrics").asString());
    Map<String, String> target = Map.of("chain", "litecoin", "network", "regtest", "mode", "full");
    assertTrue(
        metrics.value("chainsnap_verifier_boot_duration_seconds_count", target).orElse(0) >= 1);
    assertTrue(
        metrics.value("chainsnap_verifier_restore_duration_seconds_count", target).orElse(0) >= 1);
    assertEquals(
        (double) verified.diskBytes(),
        metrics.value("chainsnap_verifier_restored_disk_bytes", target).orElseThrow());
    assertTrue(
        metrics.value("chainsnap_verifier_verified_total", Map.of("chain", "litecoin")).orElse(0)
            >= 1);
    assertTrue(
        metrics
            .value("chainsnap_verifier_rejected_total", Map.of("chain", "monero", "stage", "boot"))
            .isPresent(),
        "counters of every configured chain and stage exist from the start");
    assertEquals(List.of(), metrics.withoutHelp("chainsnap_"), "every chainsnap metric has a HELP");
  }

  @Inject ReverifyService reverify;

  /** The index entry of a published {@code uploaded}, verified at {@code at}. */
  static SnapshotIndex.Entry verifiedEntry(SnapshotUploaded uploaded, Instant at) {
    return new SnapshotIndex.Entry(
        uploaded.snapshotId(),
        uploaded.target().mode(),
        uploaded.height(),
        uploaded.blockHash(),
        "test",
        uploaded.uploadedAt(),
        uploaded.compressedSize(),
        0,
        0,
        uploaded.sha256(),
        Map.of("https", uploaded.archiveUrl(), "manifest", uploaded.manifestUrl()),
        new SnapshotIndex.Verification(VerificationStatus.VERIFIED, at, "test"));
  }

  @Test
  void reverificationRejectsADeletedObjectOnceAndAFullPassRestoresAGoodOne() throws Exception {
    SnapshotUploaded good = publish("litecoin-regtest-full-reverify-good", 1, 0, false);
    SnapshotUploaded gone = publish("litecoin-regtest-full-reverify-gone", 1, 0, false);
    Files.delete(published.resolve(gone.snapshotId()).resolve("snapshot.tar.zst"));
    SnapshotIndex index =
        new SnapshotIndex(
            1,
            "litecoin",
            "regtest",
            7,
            Instant.now(),
            Map.of("full", gone.snapshotId()),
            List.of(verifiedEntry(gone, Instant.now()), verifiedEntry(good, Instant.now())));
    Files.write(published.resolve("reverify-index.json"), index.toJson());
    reverify.learn(cdn.url("reverify-index.json"));

    // the cheap pass: HEAD of the deleted archive answers 404
    assertEquals(1, reverify.runPass(ReverifyService.Pass.CHEAP));
    SnapshotRejected rejected =
        EventCodec.decode(
            EventType.SNAPSHOT_REJECTED,
            awaitResult(Topics.SNAPSHOT_REJECTED, gone.snapshotId()).value());
    assertEquals(RejectionStage.REVERIFY, rejected.stage());
    assertTrue(rejected.reason().startsWith("cheap re-check: HEAD "), rejected.reason());
    assertTrue(rejected.reason().endsWith("answered HTTP 404"), rejected.reason());
    assertEquals(gone.archiveUrl(), rejected.sourceUrl());

    // the full pass restores and boots the good one again; the rejected one is not checked again
    assertEquals(0, reverify.runPass(ReverifyService.Pass.FULL));
    assertEquals(
        1,
        kafka().readAll(Topics.SNAPSHOT_REJECTED, Duration.ofSeconds(1)).stream()
            .filter(r -> gone.snapshotId().equals(r.key()))
            .count(),
        "rejected once");
    PrometheusScrape metrics = PrometheusScrape.of(given().get("/q/metrics").asString());
    Map<String, String> target = Map.of("chain", "litecoin", "network", "regtest", "mode", "full");
    java.util.function.Function<Map<String, String>, Map<String, String>> with =
        extra -> {
          Map<String, String> labels = new java.util.HashMap<>(target);
          labels.putAll(extra);
          return labels;
        };
    assertEquals(
        1.0,
        metrics
            .value(
                "chainsnap_verifier_reverify_failures_total",
                with.apply(Map.of("pass", "cheap", "kind", "rejected")))
            .orElseThrow());
    assertTrue(
        metrics
                .value(
                    "chainsnap_verifier_reverify_last_success_timestamp_seconds",
                    with.apply(Map.of("pass", "full")))
                .orElseThrow()
            > 0);
    assertEquals(
        0.0,
        metrics
            .value(
                "chainsnap_verifier_reverify_last_success_timestamp_seconds",
                with.apply(Map.of("pass", "cheap")))
            .orElse(0),
        "the cheap pass of the target did not succeed");
    assertEquals(List.of(), metrics.withoutHelp("chainsnap_"), "every chainsnap metric has a HELP");
  }

  @Test
  void aMoneroSnapshotBootsAtTheAnnouncedTipAndALiarIsRejected() throws Exception {
    SnapshotTarget monero = new SnapshotTarget("monero", "regtest", Mode.FULL);
    Path work = Files.createTempDirectory("chainsnap-verifier-monero-");
    try {
      MoneroNode node = MoneroNode.start(work.resolve("xmr"));
      MoneroNode.Top tip;
      try {
        node.mine(12);
        tip = node.topBlock();
      } finally {
        node.close(); // a clean stop: the LMDB directory is consistent
      }
      SnapshotUploaded good =
          publish(
              monero,
              "monero-regtest-full-good-1",
              node.chainDir(),
              path -> !path.equals("lock.mdb"),
              tip.height(),
              tip.hash(),
              false);
      SnapshotUploaded liar =
          publish(
              monero,
              "monero-regtest-full-liar-1",
              node.chainDir(),
              path -> !path.equals("lock.mdb"),
              tip.height() + 1,
              tip.hash(),
              false);
      send(good);
      send(liar);
      SnapshotVerified verified =
          EventCodec.decode(
              EventType.SNAPSHOT_VERIFIED,
              awaitResult(Topics.SNAPSHOT_VERIFIED, good.snapshotId()).value());
      assertEquals(tip.height(), verified.height());
      assertEquals(tip.hash(), verified.blockHash());
      assertTrue(verified.bootMillis() > 0);
      SnapshotRejected rejected =
          EventCodec.decode(
              EventType.SNAPSHOT_REJECTED,
              awaitResult(Topics.SNAPSHOT_REJECTED, liar.snapshotId()).value());
      assertEquals(RejectionStage.TIP, rejected.stage());
      assertTrue(rejected.reason().contains("height " + tip.height()), rejected.reason());
    } finally {
      io.chainsnap.testsupport.Components.deleteRecursively(work);
    }
  }

  @Test
  void aFlippedByteIsRejectedBeforeTheNodeSeesIt() throws Exception {
    SnapshotUploaded uploaded = publish("litecoin-regtest-full-flipped-1", 1, 0, true);
    send(uploaded);
    SnapshotRejected rejected =
        EventCodec.decode(
            EventType.SNAPSHOT_REJECTED,
            awaitResult(Topics.SNAPSHOT_REJECTED, uploaded.snapshotId()).value());
    assertEquals(RejectionStage.CHECKSUM, rejected.stage());
    assertTrue(rejected.reason().contains("chunk"), rejected.reason());
  }

  @Test
  void aSnapshotThatBootsAtAnotherTipIsRejected() throws Exception {
    SnapshotUploaded uploaded = publish("litecoin-regtest-full-liar-1", 1, 1, false);
    send(uploaded);
    SnapshotRejected rejected =
        EventCodec.decode(
            EventType.SNAPSHOT_REJECTED,
            awaitResult(Topics.SNAPSHOT_REJECTED, uploaded.snapshotId()).value());
    assertEquals(RejectionStage.TIP, rejected.stage());
    assertTrue(rejected.reason().contains("height " + (uploaded.height() - 1)), rejected.reason());
  }

  @Test
  void aMissingObjectIsRejectedAtDownload() throws Exception {
    SnapshotUploaded real = publish("litecoin-regtest-full-gone-1", 1, 0, false);
    Files.delete(published.resolve(real.snapshotId()).resolve("snapshot.tar.zst"));
    send(real);
    SnapshotRejected rejected =
        EventCodec.decode(
            EventType.SNAPSHOT_REJECTED,
            awaitResult(Topics.SNAPSHOT_REJECTED, real.snapshotId()).value());
    assertEquals(RejectionStage.DOWNLOAD, rejected.stage());
    assertTrue(rejected.reason().contains("404"), rejected.reason());
  }

  @Test
  void malformedEventGoesToTheDeadLetterTopic() {
    kafka().produce(Topics.SNAPSHOT_UPLOADED, "poison-v", "[]", Map.of());
    String reason =
        KafkaTestClient.header(awaitResult(Topics.DEAD_LETTER, "poison-v"), "dead-letter-reason");
    assertTrue(
        reason != null && reason.contains("does not match its schema"), String.valueOf(reason));
  }
}
