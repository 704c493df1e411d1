package io.chainsnap.snapshotter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainsnap.chain.BitcoinCoreDaemon;
import io.chainsnap.chain.BitcoinCoreRpc;
import io.chainsnap.testsupport.Components;
import io.chainsnap.testsupport.KafkaBroker;
import io.chainsnap.testsupport.LitecoinNode;
import io.chainsnap.testsupport.Ports;
import io.chainsnap.testsupport.ServiceProcess;
import io.chainsnap.testsupport.SnapshotterProperties;
import io.chainsnap.testsupport.SystemdUserManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code systemd} controller against a real systemd service manager ({@code systemd --user} in
 * a private mount namespace, see {@link SystemdUserManager}) running litecoind as a unit: the built
 * snapshotter stops and starts the unit through {@code systemctl} for a {@code stop} snapshot, and
 * freezes the unit's main process for a {@code pause-checkpoint} one.
 */
class SystemdControllerIT {
  static final String UNIT = "chainsnap-ltc.service";
  static final String TOKEN = "systemd-test";
  static final int HEIGHT = 150;

  Path dir;
  SystemdUserManager systemd;
  KafkaBroker kafka;
  ServiceProcess agent;
  BitcoinCoreRpc rpc;
  Path dataDir;
  int rpcPort;

  @BeforeEach
  void start() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "a private mount namespace for systemd --user needs root");
    dir = Files.createTempDirectory("chainsnap-systemd-");
    // a regtest chain, made by a node this test runs, then handed over to systemd
    rpcPort = Ports.free();
    dataDir = dir.resolve("node");
    try (LitecoinNode node = LitecoinNode.start(dataDir, rpcPort)) {
      node.mineTo(HEIGHT);
    }
    systemd = SystemdUserManager.start(dir.resolve("systemd"));
    systemd.install(UNIT, unit());
    SystemdUserManager.Result started = systemd.systemctl("start", UNIT);
    assertEquals(0, started.exit(), started.output());
    BitcoinCoreDaemon.Config config = LitecoinNode.config(dataDir, rpcPort);
    rpc = new BitcoinCoreDaemon(config).rpc();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!rpc.isReady()) {
      assertTrue(System.nanoTime() < deadline, "litecoind under systemd did not answer");
      Thread.sleep(200);
    }
    kafka = KafkaBroker.startInJvm(dir.resolve("kafka"));
  }

  /** A unit as an operator writes it: the node in the foreground, stopped by SIGTERM. */
  String unit() {
    List<String> exec = new ArrayList<>();
    exec.add(Components.litecoind().toString());
    exec.add("-regtest");
    exec.add("-datadir=" + dataDir.toAbsolutePath());
    exec.add("-server");
    exec.add("-printtoconsole=0");
    exec.add("-rpcbind=127.0.0.1");
    exec.add("-rpcallowip=127.0.0.1");
    exec.add("-rpcport=" + rpcPort);
    exec.add("-rpcuser=" + LitecoinNode.RPC_USER);
    exec.add("-rpcpassword=" + LitecoinNode.RPC_PASSWORD);
    exec.addAll(LitecoinNode.regtestArgs());
    return "[Unit]\n"
        + "Description=litecoind regtest (chainsnap test)\n"
        + "[Service]\n"
        + "Type=simple\n"
        + "ExecStart="
        + String.join(" ", exec)
        + "\n"
        + "TimeoutStopSec=120\n"
        + "Restart=no\n";
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
    if (systemd != null) {
      systemd.systemctl("stop", UNIT);
      systemd.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    if (dir != null) {
      Components.deleteRecursively(dir);
    }
  }

  Map<String, String> target(Map<String, String> props, String name, String quiesce) {
    String t = "snapshotter.targets." + name + ".";
    props.put(t + "chain", "litecoin");
    props.put(t + "network", "regtest");
    props.put(t + "quiesce", quiesce);
    props.put(t + "health.min-peers", "0");
    props.put(t + "node.controller", "systemd");
    props.put(t + "node.systemd-unit", UNIT);
    props.put(t + "node.systemd-scope", "user");
    props.put(t + "node.data-dir", dataDir.toString());
    props.put(t + "node.chain-dir", dataDir.resolve("regtest").toString());
    props.put(t + "node.rpc-port", String.valueOf(rpcPort));
    props.put(t + "node.rpc-user", LitecoinNode.RPC_USER);
    props.put(t + "node.rpc-password", LitecoinNode.RPC_PASSWORD);
    return props;
  }

  JsonNode snapshot(String target) throws Exception {
    return AgentRuns.snapshot(agent, target, TOKEN, Duration.ofMinutes(3));
  }

  JsonNode metadata(JsonNode run) throws Exception {
    Path file =
        dir.resolve("staging").resolve(run.path("snapshotId").asText()).resolve("snapshot.json");
    return new ObjectMapper().readTree(file.toFile());
  }

  @Test
  void stopAndPauseThroughARealSystemdManager() throws Exception {
    Map<String, String> props = new LinkedHashMap<>();
    props.putAll(
        SnapshotterProperties.agent(kafka.bootstrapServers(), dir.resolve("staging"), TOKEN));
    target(props, "ltc", "stop");
    target(props, "ltc-pause", "pause-checkpoint");
    agent =
        ServiceProcess.start(
            "snapshotter",
            Ports.free(),
            props,
            systemd.environment(),
            dir,
            dir.resolve("snapshotter.log"));
    String tip = rpc.call("getbestblockhash").asText();

    // stop: systemctl stop, archive, systemctl start; a new main process afterwards
    long pidBefore = systemd.mainPid(UNIT);
    assertTrue(pidBefore > 0, "the unit runs");
    JsonNode stopped = snapshot("ltc");
    long pidAfter = systemd.mainPid(UNIT);
    assertTrue(systemd.isActive(UNIT), "the unit is active again:\n" + systemd.logTail(20));
    assertNotEquals(pidBefore, pidAfter, "systemd restarted the node");
    assertEquals(HEIGHT, rpc.call("getblockcount").asLong());
    JsonNode m1 = metadata(stopped);
    assertEquals(HEIGHT, m1.path("height").asLong(), m1.toString());
    assertEquals(tip, m1.path("blockHash").asText(), m1.toString());

    // pause-checkpoint: the unit's main process is frozen and thawed, never restarted
    JsonNode paused = snapshot("ltc-pause");
    assertEquals(pidAfter, systemd.mainPid(UNIT), "the node was paused, not restarted");
    assertTrue(systemd.isActive(UNIT));
    assertTrue(rpc.isReady(), "the node answers after the pause");
    JsonNode m2 = metadata(paused);
    assertEquals(HEIGHT, m2.path("height").asLong(), m2.toString());
    assertEquals(tip, m2.path("blockHash").asText(), m2.toString());
  }
}
