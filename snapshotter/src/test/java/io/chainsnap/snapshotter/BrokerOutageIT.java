package io.chainsnap.snapshotter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainsnap.events.Topics;
import io.chainsnap.testsupport.Components;
import io.chainsnap.testsupport.KafkaBroker;
import io.chainsnap.testsupport.KafkaTestClient;
import io.chainsnap.testsupport.LitecoinNode;
import io.chainsnap.testsupport.Ports;
import io.chainsnap.testsupport.ServiceProcess;
import io.chainsnap.testsupport.SnapshotterProperties;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The broker goes away while a snapshot is taken: the snapshotter (its built artifact, producer
 * delivery timeout cut to 6 s) must wait the outage out and announce the snapshot once a broker is
 * back, instead of failing the run when the producer gives up on the record (issue 17: a false
 * failure, and in the publisher a false dead letter).
 */
class BrokerOutageIT {
  static final String TOKEN = "outage-test";
  static final ObjectMapper JSON = new ObjectMapper();

  Path dir;
  int kafkaPort;
  int controllerPort;
  KafkaBroker kafka;
  LitecoinNode node;
  ServiceProcess agent;

  @BeforeEach
  void start() throws Exception {
    dir = Files.createTempDirectory("chainsnap-outage-");
    kafkaPort = Ports.free();
    controllerPort = Ports.free();
    kafka = startBroker();
    node = LitecoinNode.start(dir.resolve("node"), 0);
    node.mineTo(120);
  }

  KafkaBroker startBroker() {
    return KafkaBroker.startProcess(
        dir.resolve("kafka"), kafkaPort, controllerPort, dir.resolve("kafka.log"));
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
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
  void aSnapshotTakenWhileTheBrokerIsDownIsAnnouncedWhenItIsBack() throws Exception {
    Map<String, String> props = new LinkedHashMap<>();
    props.putAll(
        SnapshotterProperties.agent(kafka.bootstrapServers(), dir.resolve("staging"), TOKEN));
    props.putAll(SnapshotterProperties.litecoinRegtest("ltc", node, "stop"));
    String producer = "mp.messaging.outgoing." + Topics.SNAPSHOT_CREATED + ".";
    props.put(producer + "delivery.timeout.ms", "6000");
    props.put(producer + "request.timeout.ms", "3000");
    props.put(producer + "max.block.ms", "3000");
    props.put("quarkus.log.console.json.enabled", "false");
    Path log = dir.resolve("snapshotter.log");
    agent = ServiceProcess.start("snapshotter", Ports.free(), props, dir, log);

    kafka.close();
    kafka = null;
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> accepted =
        http.send(
            HttpRequest.newBuilder(URI.create(agent.url("/targets/ltc/snapshots")))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(202, accepted.statusCode(), accepted.body());

    // the producer gives up on the record at least twice (6 s each) while no broker answers
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (count(Files.readString(log), "no broker acknowledged snapshot-created") < 2) {
      assertTrue(System.nanoTime() < deadline, "the agent never retried the send");
      assertEquals("running", run(http).path("state").asText(), "the run ended during the outage");
      Thread.sleep(500);
    }
    assertEquals("running", run(http).path("state").asText());
    assertTrue(node.rpc().isReady(), "the node serves again while the event waits for a broker");

    kafka = startBroker();
    JsonNode run;
    long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while ((run = run(http)).path("state").asText().equals("running")) {
      assertTrue(System.nanoTime() < until, "still running 2 min after the broker came back");
      Thread.sleep(500);
    }
    assertEquals("succeeded", run.path("state").asText(), run.toString());
    String id = run.path("snapshotId").asText();
    assertFalse(
        new KafkaTestClient(kafka.bootstrapServers())
            .await(Topics.SNAPSHOT_CREATED, r -> id.equals(r.key()), Duration.ofSeconds(60))
            .isEmpty());
  }

  JsonNode run(HttpClient http) throws Exception {
    return JSON.readTree(
            http.send(
                    HttpRequest.newBuilder(URI.create(agent.url("/targets/ltc"))).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body())
        .path("latestRun");
  }

  static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
