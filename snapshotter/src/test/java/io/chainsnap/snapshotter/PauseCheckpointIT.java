package io.chainsnap.snapshotter;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.archive.ArchiveReader;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.chain.BitcoinCoreDaemon;
import io.chainsnap.domain.QuiesceStrategy;
import io.chainsnap.events.EventCodec;
import io.chainsnap.events.EventType;
import io.chainsnap.events.SnapshotCreated;
import io.chainsnap.events.Topics;
import io.chainsnap.testsupport.Components;
import io.chainsnap.testsupport.KafkaResource;
import io.chainsnap.testsupport.KafkaTestClient;
import io.chainsnap.testsupport.LitecoinNode;
import io.chainsnap.testsupport.LitecoinResource;
import io.chainsnap.testsupport.Ports;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code pause-checkpoint} over a real litecoind: the node is frozen only for the checkpoint, keeps
 * running (same process), and the archive restores to a node at exactly the announced tip.
 */
@QuarkusTest
@TestProfile(PauseCheckpointIT.Pause.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(LitecoinResource.class)
class PauseCheckpointIT {

  /** The test target with the pause-checkpoint strategy. */
  public static class Pause implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("snapshotter.targets.ltc-regtest.quiesce", "pause-checkpoint");
    }
  }

  @Test
  void pausedSnapshotRestoresToTheAnnouncedTip() throws Exception {
    LitecoinNode node = LitecoinResource.node();
    node.mine(11);
    long pidBefore = node.daemon().pid().orElseThrow();

    given()
        .header("Authorization", "Bearer test-token")
        .post("/targets/ltc-regtest/snapshots")
        .then()
        .statusCode(202);
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () -> !"running".equals(given().get("/targets/ltc-regtest").path("latestRun.state")));
    String id = given().get("/targets/ltc-regtest").path("latestRun.snapshotId");
    SnapshotCreated created =
        EventCodec.decode(
            EventType.SNAPSHOT_CREATED,
            new KafkaTestClient(KafkaResource.bootstrapServers())
                .await(Topics.SNAPSHOT_CREATED, r -> id.equals(r.key()), Duration.ofSeconds(30))
                .get(0)
                .value());
    assertEquals(QuiesceStrategy.PAUSE_CHECKPOINT, created.quiesce());
    assertEquals(node.height(), created.height());
    assertEquals(node.bestBlockHash(), created.blockHash());
    assertEquals(pidBefore, node.daemon().pid().orElseThrow(), "the node was never restarted");
    assertTrue(
        created.nodeDowntimeMillis() < 5_000, "frozen " + created.nodeDowntimeMillis() + " ms");
    assertTrue(
        Files.notExists(node.dataDir().resolve(".chainsnap-checkpoint-ltc-regtest")),
        "the checkpoint is removed after archiving");

    // restore the staged archive and boot a second litecoind on it
    Path staged = Path.of("target/.staging").resolve(id);
    SnapshotMetadata metadata;
    try (InputStream in = Files.newInputStream(staged.resolve("snapshot.json"))) {
      metadata = SnapshotMetadata.read(in);
    }
    Path restored = Files.createTempDirectory("chainsnap-restored-");
    try {
      BitcoinCoreDaemon copy =
          new BitcoinCoreDaemon(LitecoinNode.config(restored.resolve("data"), Ports.free()));
      ArchiveReader.create()
          .extract(
              staged.resolve("snapshot.tar.zst"), metadata.archive(), copy.config().chainDir());
      copy.start(Duration.ofSeconds(60));
      try {
        assertEquals(created.height(), copy.rpc().call("getblockcount").asLong());
        assertEquals(created.blockHash(), copy.rpc().call("getbestblockhash").asText());
      } finally {
        copy.stop(Duration.ofSeconds(60));
      }
    } finally {
      Components.deleteRecursively(restored);
    }
  }
}
