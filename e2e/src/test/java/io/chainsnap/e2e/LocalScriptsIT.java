package io.chainsnap.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.chainsnap.testsupport.Components;
import io.chainsnap.testsupport.PrometheusServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The local run's scripts as an operator uses them (quick-start command 1 without its build, which
 * the suite has done): {@code scripts/local-up.sh} brings the stack up to a verified snapshot, the
 * supervisor's own log is not empty, {@code scripts/local-service.sh} restarts one service, and
 * {@code scripts/local-down.sh} stops every process the stack started, the restarted service
 * included, even after the supervisor was killed with SIGKILL.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalScriptsIT {
  static Path state;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Every pid recorded at any point: all must be gone after local-down. */
  static final Map<String, Long> seen = new LinkedHashMap<>();

  record Run(int exit, String output) {}

  static Run script(String name, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(Components.projectDir().resolve("scripts").resolve(name).toString());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(Components.projectDir().toFile());
    builder.environment().put("CHAINSNAP_LOCAL_STATE", state.toString());
    builder.environment().put("CHAINSNAP_LOCAL_BUILD", "0");
    builder.redirectErrorStream(true);
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Path out = Files.createTempFile(state.getParent(), name, ".out");
    builder.redirectOutput(out.toFile());
    Process process = builder.start();
    if (!process.waitFor(12, TimeUnit.MINUTES)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      fail(name + " did not finish within 12 minutes:\n" + Files.readString(out));
    }
    String output = Files.readString(out);
    System.out.printf(
        "--- %s %s (exit %d)%n%s%n", name, String.join(" ", args), process.exitValue(), output);
    return new Run(process.exitValue(), output);
  }

  static Map<String, Long> recordedPids() throws IOException {
    Map<String, Long> pids = new LinkedHashMap<>();
    Path dir = state.resolve("pids");
    if (!Files.isDirectory(dir)) {
      return pids;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".pid")).sorted().toList()) {
        String name = file.getFileName().toString().replace(".pid", "");
        pids.put(name, Long.parseLong(Files.readString(file).trim().split(" ")[0]));
      }
    }
    seen.putAll(pids);
    return pids;
  }

  static Map<String, String> env() throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : Files.readAllLines(state.resolve("pipeline.env"))) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        env.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return env;
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @BeforeAll
  static void makeState() throws IOException {
    state = Files.createTempDirectory("chainsnap-local-").resolve("state");
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (state != null && Files.isDirectory(state)) {
      script("local-down.sh"); // whatever a failed test left running
      Path logs = Path.of("target/local-scripts-logs");
      Components.deleteRecursively(logs);
      Files.createDirectories(logs);
      if (Files.isDirectory(state.resolve("logs"))) {
        try (Stream<Path> files = Files.list(state.resolve("logs"))) {
          for (Path log : files.toList()) {
            Files.copy(log, logs.resolve(log.getFileName()));
          }
        }
      }
      Components.deleteRecursively(state.getParent());
    }
  }

  @Test
  @Order(1)
  void localUpEndsWithAVerifiedSnapshotAndASupervisorLog() throws Exception {
    Run up = script("local-up.sh");
    assertEquals(0, up.exit(), up.output());
    assertTrue(up.output().contains("Index:"), up.output());
    assertTrue(up.output().contains("\"full\""), "latest full snapshot printed:\n" + up.output());

    String supervisorLog = Files.readString(state.resolve("logs/pipeline.log"));
    assertTrue(supervisorLog.contains("local pipeline ready"), supervisorLog);
    assertTrue(supervisorLog.contains("publisher up at"), supervisorLog);

    Map<String, Long> pids = recordedPids();
    for (String name :
        List.of(
            "kafka",
            "s3proxy",
            "ipfs",
            "litecoind",
            "snapshotter",
            "publisher",
            "verifier",
            "prometheus")) {
      assertTrue(pids.containsKey(name), name + " recorded: " + pids);
      assertTrue(alive(pids.get(name)), name + " runs");
    }
    // the real Prometheus of the stack scrapes the services: the freshness metric is there, and
    // every metric the alert rules and the dashboard read exists
    PrometheusServer prometheus = PrometheusServer.attach(env().get("PROMETHEUS_URL"));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !prometheus.query("chainsnap_publisher_latest_age_seconds").isEmpty());
    Map<String, String> freshness =
        prometheus.query("chainsnap_publisher_latest_age_seconds").get(0);
    assertEquals("litecoin", freshness.get("chain"));
    assertTrue(Double.parseDouble(freshness.get("value")) < 600, freshness.toString());
    assertTrue(up.output().contains("Freshness:"), up.output());
    // (the mirror's byte counter appears when its first run, after the verdict, has uploaded)
    Set<String> unknown = new TreeSet<>();
    for (int i = 0; i < 60; i++) {
      unknown.clear();
      unknown.addAll(PrometheusRulesTest.metricsRead());
      unknown.removeAll(prometheus.metricNames());
      if (unknown.isEmpty()) {
        break;
      }
      Thread.sleep(1000);
    }
    assertEquals(Set.of(), unknown, "metrics read by deploy/ rules and dashboard, not scraped");

    Run status = script("local-service.sh", "status");
    assertEquals(0, status.exit(), status.output());
    assertTrue(status.output().contains("publisher running, pid " + pids.get("publisher")));
  }

  @Test
  @Order(2)
  void oneServiceRestartsAndTheRestKeepsRunning() throws Exception {
    Map<String, Long> before = recordedPids();
    Run restart = script("local-service.sh", "restart", "publisher");
    assertEquals(0, restart.exit(), restart.output());
    Map<String, Long> after = recordedPids();
    long publisher = after.get("publisher");
    assertNotEquals(before.get("publisher"), publisher);
    assertTrue(restart.output().contains("publisher running, pid " + publisher), restart.output());
    assertTrue(!alive(before.get("publisher")), "the old publisher is gone");
    assertTrue(alive(publisher));
    for (String other : List.of("snapshotter", "verifier", "kafka")) {
      assertEquals(before.get(other), after.get(other), other + " untouched");
    }
    HttpResponse<String> ready =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(env().get("PUBLISHER_URL") + "/q/health/ready"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ready.statusCode(), ready.body());

    Run unknown = script("local-service.sh", "restart", "nosuch");
    assertEquals(1, unknown.exit(), unknown.output());
    assertTrue(unknown.output().contains("unknown service 'nosuch'"), unknown.output());
    assertTrue(
        Files.readString(state.resolve("logs/pipeline.log"))
            .contains("control: restart publisher"));

    // a stopped service fires ChainsnapServiceDown in the stack's Prometheus (for: 1m)
    Run stop = script("local-service.sh", "stop", "verifier");
    assertEquals(0, stop.exit(), stop.output());
    PrometheusServer prometheus = PrometheusServer.attach(env().get("PROMETHEUS_URL"));
    await()
        .atMost(Duration.ofSeconds(150))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () ->
                prometheus.alerts().stream()
                    .anyMatch(
                        a ->
                            a.get("alertname").equals("ChainsnapServiceDown")
                                && a.get("job").equals("chainsnap-verifier")
                                && a.get("state").equals("firing")));
    Run start = script("local-service.sh", "start", "verifier");
    assertEquals(0, start.exit(), start.output());
  }

  @Test
  @Order(3)
  void localDownStopsEverythingEvenAfterTheSupervisorWasKilled() throws Exception {
    recordedPids();
    long supervisor = Long.parseLong(Files.readString(state.resolve("pipeline.pid")).trim());
    ProcessHandle.of(supervisor).ifPresent(ProcessHandle::destroyForcibly);
    for (int i = 0; i < 50 && alive(supervisor); i++) {
      Thread.sleep(100);
    }
    assertTrue(!alive(supervisor), "supervisor killed");
    assertTrue(alive(seen.get("publisher")), "its services outlive it");

    Run down = script("local-down.sh");
    assertEquals(0, down.exit(), down.output());
    for (Map.Entry<String, Long> process : seen.entrySet()) {
      assertTrue(!alive(process.getValue()), process.getKey() + " stopped: " + down.output());
    }
    assertTrue(recordedPids().isEmpty(), "no pid files left");
  }
}
