package io.chainsnap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainsnap.testsupport.Components;
import io.chainsnap.testsupport.KafkaBroker;
import io.chainsnap.testsupport.ServiceProcess;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built snapshotter reads its settings from the environment variables of {@code
 * deploy/local/snapshotter.env} (the names the systemd unit and the Kubernetes manifests use): run
 * with them (local paths and ports, the {@code exec} controller in place of {@code daemon} so that
 * no mainnet node starts, a real broker), it serves the target they define with their chain,
 * network, mode and cron, and its REST trigger checks the bearer token they set.
 */
class DeployEnvFileIT {
  @Test
  void theSnapshotterReadsTheVariablesOfItsEnvFile(@TempDir Path dir) throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line :
        Files.readAllLines(Components.projectDir().resolve("deploy/local/snapshotter.env"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
      }
    }
    Files.createDirectories(dir.resolve("node"));
    try (KafkaBroker kafka = KafkaBroker.startInJvm(dir.resolve("kafka"))) {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      Map<String, String> run = new LinkedHashMap<>(env);
      run.remove("QUARKUS_HTTP_PORT"); // ServiceProcess sets the port
      run.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
      run.put("SNAPSHOTTER_STAGING_DIR", dir.resolve("staging").toString());
      run.put("SNAPSHOTTER_TARGETS_LITECOIN_NODE_DATA_DIR", dir.resolve("node").toString());
      run.put("SNAPSHOTTER_TARGETS_LITECOIN_NODE_CONTROLLER", "exec");
      run.put("SNAPSHOTTER_TARGETS_LITECOIN_NODE_EXEC_STOP", "true");
      run.put("SNAPSHOTTER_TARGETS_LITECOIN_NODE_EXEC_START", "true");
      run.put("SNAPSHOTTER_TARGETS_LITECOIN_NODE_EXEC_STATUS", "true"); // "running"
      try (ServiceProcess snapshotter =
          ServiceProcess.start(
              "snapshotter", port, Map.of(), run, dir, dir.resolve("snapshotter.log"))) {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> targets =
            http.send(
                HttpRequest.newBuilder(URI.create(snapshotter.url("/targets"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, targets.statusCode(), targets.body());
        JsonNode list = new ObjectMapper().readTree(targets.body());
        assertEquals(1, list.size(), targets.body());
        JsonNode target = list.get(0);
        assertEquals("litecoin", target.path("name").asText());
        assertEquals(
            env.get("SNAPSHOTTER_TARGETS_LITECOIN_CHAIN"), target.at("/target/chain").asText());
        assertEquals(
            env.get("SNAPSHOTTER_TARGETS_LITECOIN_NETWORK"), target.at("/target/network").asText());
        assertEquals(
            env.get("SNAPSHOTTER_TARGETS_LITECOIN_MODE"), target.at("/target/mode").asText());
        assertEquals(env.get("SNAPSHOTTER_TARGETS_LITECOIN_CRON"), target.path("cron").asText());
        // a token is configured (no token: 403), and it is not this one
        HttpResponse<String> wrong =
            http.send(
                HttpRequest.newBuilder(URI.create(snapshotter.url("/targets/litecoin/snapshots")))
                    .header("Authorization", "Bearer not-" + env.get("SNAPSHOTTER_REQUEST_TOKEN"))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, wrong.statusCode(), wrong.body());
      }
    }
  }
}
