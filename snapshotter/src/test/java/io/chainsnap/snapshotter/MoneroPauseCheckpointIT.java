package io.chainsnap.snapshotter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainsnap.archive.ArchiveReader;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.domain.QuiesceStrategy;
import io.chainsnap.testsupport.Components;
import io.chainsnap.testsupport.KafkaBroker;
import io.chainsnap.testsupport.MoneroNode;
import io.chainsnap.testsupport.Ports;
import io.chainsnap.testsupport.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code pause-checkpoint} on a real Monero node: the built snapshotter flushes monerod with {@code
 * save_bc}, freezes it, checkpoints its LMDB directory (copied: LMDB writes in place), thaws it and
 * archives the checkpoint; a second monerod booted on the restored archive reports the announced
 * height and top block hash (the check the verifier makes; {@code VerifierIT} covers the verifier
 * booting monerod itself).
 */
class MoneroPauseCheckpointIT {
  static final String TOKEN = "monero-test";

  Path dir;
  KafkaBroker kafka;
  MoneroNode node;
  MoneroNode restored;
  ServiceProcess agent;

  @BeforeEach
  void start() throws Exception {
    dir = Files.createTempDirectory("chainsnap-monero-pause-");
    node = MoneroNode.start(dir.resolve("xmr"));
    node.mine(20);
    kafka = KafkaBroker.startInJvm(dir.resolve("kafka"));
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
    if (restored != null) {
      restored.close();
    }
    if (node != null) {
      node.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    Components.deleteRecursively(dir);
  }

  @Test
  void pausedMoneroSnapshotBootsAtTheAnnouncedTip() throws Exception {
    long pid = node.pid();
    Map<String, String> props = new LinkedHashMap<>();
    String t = "snapshotter.targets.xmr.";
    props.put("kafka.bootstrap.servers", kafka.bootstrapServers());
    props.put("snapshotter.staging.dir", dir.resolve("staging").toString());
    props.put("snapshotter.request-token", TOKEN);
    props.put("snapshotter.archive.chunk-size", String.valueOf(4 << 20));
    props.put(t + "chain", "monero");
    props.put(t + "network", "regtest");
    props.put(t + "quiesce", "pause-checkpoint");
    props.put(t + "exclude", "lock.mdb");
    props.put(t + "health.min-peers", "0");
    props.put(t + "node.adapter", "monero");
    props.put(t + "node.controller", "exec");
    props.put(t + "node.exec.stop", "kill " + pid);
    props.put(t + "node.exec.start", "echo 'this test never restarts monerod' >&2; false");
    props.put(t + "node.exec.status", "kill -0 " + pid);
    props.put(t + "node.exec.pid", "echo " + pid);
    props.put(t + "node.rpc-url", node.rpcUri().toString());
    props.put(t + "node.data-dir", node.dataDir().toString());
    props.put(t + "node.chain-dir", node.chainDir().toString());
    agent =
        ServiceProcess.start(
            "snapshotter", Ports.free(), props, dir, dir.resolve("snapshotter.log"));
    MoneroNode.Top tip = node.topBlock();

    JsonNode run = AgentRuns.snapshot(agent, "xmr", TOKEN, Duration.ofMinutes(2));
    assertEquals(pid, node.pid(), "the same monerod process: paused, never restarted");
    assertTrue(node.isAlive());
    assertEquals(tip, node.topBlock(), "monerod answers at its tip after the thaw");

    Path staged = dir.resolve("staging").resolve(run.path("snapshotId").asText());
    SnapshotMetadata metadata =
        SnapshotMetadata.read(Files.readAllBytes(staged.resolve(SnapshotMetadata.FILE_NAME)));
    assertEquals(tip.height(), metadata.height(), "the tip save_bc reported");
    assertEquals(tip.hash(), metadata.blockHash());
    assertEquals(QuiesceStrategy.PAUSE_CHECKPOINT, metadata.quiesce());
    assertTrue(
        metadata.nodeDowntimeMillis() < 2_000,
        "frozen for " + metadata.nodeDowntimeMillis() + " ms");
    System.out.printf("monerod frozen for %d ms%n", metadata.nodeDowntimeMillis());

    // boot a second monerod on the archive, as the verifier does for Bitcoin Core nodes
    Path copy = dir.resolve("restored");
    Path lmdb = Files.createDirectories(copy.resolve("fake/lmdb"));
    try (var in = Files.newInputStream(staged.resolve("snapshot.tar.zst"))) {
      ArchiveReader.create().extract(in, metadata.archive(), lmdb);
    }
    assertTrue(Files.notExists(lmdb.resolve("lock.mdb")), "lock.mdb is excluded");
    restored = MoneroNode.start(copy);
    assertEquals(tip, restored.topBlock(), "the restored node is at the announced tip");
  }
}
