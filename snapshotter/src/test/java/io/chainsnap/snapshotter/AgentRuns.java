package io.chainsnap.snapshotter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainsnap.testsupport.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Drives a snapshotter run as its built artifact: the REST trigger, then the run's status. */
final class AgentRuns {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AgentRuns() {}

  /**
   * Triggers a snapshot of {@code target} with {@code token}, waits until the run is no longer
   * {@code running}, asserts that it succeeded and returns {@code latestRun}.
   */
  static JsonNode snapshot(ServiceProcess agent, String target, String token, Duration timeout)
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> accepted =
        http.send(
            HttpRequest.newBuilder(URI.create(agent.url("/targets/" + target + "/snapshots")))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(202, accepted.statusCode(), accepted.body());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode run =
          JSON.readTree(
                  http.send(
                          HttpRequest.newBuilder(URI.create(agent.url("/targets/" + target)))
                              .build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body())
              .path("latestRun");
      if (!run.path("state").asText().equals("running")) {
        assertEquals("succeeded", run.path("state").asText(), run.toString());
        return run;
      }
      assertTrue(System.nanoTime() < deadline, "snapshot still running: " + run);
      Thread.sleep(250);
    }
  }
}
