package io.chainsnap.snapshotter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.snapshotter.quiesce.Signals;
import io.chainsnap.testsupport.Components;
import io.chainsnap.testsupport.KafkaBroker;
import io.chainsnap.testsupport.LitecoinNode;
import io.chainsnap.testsupport.Ports;
import io.chainsnap.testsupport.ServiceProcess;
import io.chainsnap.testsupport.SnapshotterProperties;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The snapshotter, run as its built artifact, is killed with SIGKILL while the node is frozen for a
 * checkpoint: the watchdog process must resume the node within 10 seconds.
 */
class PauseWatchdogIT {
  Path dir;
  KafkaBroker kafka;
  LitecoinNode node;
  ServiceProcess agent;

  @BeforeEach
  void start() throws Exception {
    dir = Files.createTempDirectory("chainsnap-watchdog-");
    kafka = KafkaBroker.startInJvm(dir.resolve("kafka"));
    node = LitecoinNode.start(dir.resolve("node"), 0);
    node.mineTo(150);
    // a 2 GiB file the node ignores, copied during the freeze: makes the pause long enough to
    // kill the agent in the middle of it
    byte[] block = new byte[1 << 20];
    try (OutputStream out =
        Files.newOutputStream(node.daemon().config().chainDir().resolve("padding.bin"))) {
      for (int i = 0; i < 2048; i++) {
        block[0] = (byte) i;
        out.write(block);
      }
    }
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
    if (node != null) {
      Signals.resume(node.daemon().pid().orElse(0L));
      node.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    Components.deleteRecursively(dir);
  }

  @Test
  void watchdogResumesTheNodeWhenTheAgentIsKilledDuringThePause() throws Exception {
    String token = "watchdog-test";
    Map<String, String> props = new LinkedHashMap<>();
    String t = "snapshotter.targets.ltc.";
    props.putAll(
        SnapshotterProperties.agent(kafka.bootstrapServers(), dir.resolve("staging"), token));
    props.putAll(SnapshotterProperties.litecoinRegtest("ltc", node, "pause-checkpoint"));
    props.put(t + "max-pause", "PT60S");
    agent =
        ServiceProcess.start(
            "snapshotter", Ports.free(), props, dir, dir.resolve("snapshotter.log"));
    long nodePid = node.daemon().pid().orElseThrow();

    HttpResponse<String> accepted =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(agent.url("/targets/ltc/snapshots")))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(202, accepted.statusCode(), accepted.body());

    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!Signals.state(nodePid).equals("T")) {
      assertTrue(System.nanoTime() < deadline, "the node was never frozen");
      Thread.sleep(2);
    }
    // SIGKILL: no finally block, no shutdown hook runs in the agent
    new ProcessBuilder("kill", "-KILL", String.valueOf(agent.pid())).start().waitFor();
    long killedAt = System.nanoTime();
    while (Signals.state(nodePid).equals("T")) {
      assertTrue(
          System.nanoTime() - killedAt < 10_000_000_000L,
          "the node is still frozen 10 s after the agent died");
      Thread.sleep(20);
    }
    long resumedMillis = (System.nanoTime() - killedAt) / 1_000_000;
    System.out.printf("node resumed %d ms after the agent was killed%n", resumedMillis);
    assertTrue(node.rpc().isReady(), "the node answers again");
    assertEquals(nodePid, node.daemon().pid().orElseThrow());
    // the agent had switched the node's network off for the pause: the watchdog switches it on
    long until = System.nanoTime() + 30_000_000_000L;
    while (!node.rpc().call("getnetworkinfo").path("networkactive").asBoolean()) {
      assertTrue(
          System.nanoTime() < until,
          "the network is still off 30 s after the watchdog resumed the node (agent still down)");
      Thread.sleep(100);
    }
    System.out.printf(
        "network on %d ms after the agent was killed%n",
        (System.nanoTime() - killedAt) / 1_000_000);
    try (var curlConfigs = Files.list(dir.resolve("staging"))) {
      assertEquals(
          List.of(),
          curlConfigs.filter(p -> p.toString().endsWith(".curl")).toList(),
          "the watchdog deletes its request file (it holds the RPC credentials)");
    }

    // the agent comes back: it finds its marker, sees the node serving, and clears the marker
    agent =
        ServiceProcess.start(
            "snapshotter", Ports.free(), props, dir, dir.resolve("snapshotter-2.log"));
    long cleared = System.nanoTime() + 30_000_000_000L;
    while (Files.exists(dir.resolve("staging").resolve(".node-stopped-ltc"))) {
      assertTrue(System.nanoTime() < cleared, "the marker is still there 30 s after the restart");
      Thread.sleep(100);
    }
    assertTrue(
        Files.notExists(dir.resolve("staging").resolve(".node-stopped-ltc")),
        "the marker is cleared");
  }
}
