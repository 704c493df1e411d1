package io.chainsnap.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A real Prometheus (Debian's {@code prometheus}) run as a child process: it scrapes the given jobs
 * every 2 s and evaluates the repository's alerting rules ({@code deploy/prometheus/rules}) every 2
 * s, its data under a directory of its own.
 */
public final class PrometheusServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final ChildProcess process;
  private final int port;

  private PrometheusServer(ChildProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /** A Prometheus someone else runs at {@code http://127.0.0.1:<port>}: its API only. */
  public static PrometheusServer attach(String url) {
    return new PrometheusServer(null, URI.create(url).getPort());
  }

  /** {@code /usr/bin/prometheus}, where Debian's package puts it. */
  public static Path binary() {
    return Path.of("/usr/bin/prometheus");
  }

  /** The rule files of the repository. */
  public static List<Path> ruleFiles() {
    Path dir = Components.projectDir().resolve("deploy/prometheus/rules");
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /**
   * Starts Prometheus on a free port with its data under {@code dir}, scraping {@code jobs} (job
   * name to {@code host:port} of a Quarkus service, metrics at {@code /q/metrics}).
   */
  public static PrometheusServer start(Path dir, Map<String, String> jobs) {
    Path binary =
        Components.require(binary(), "install it: scripts/setup.sh (Debian package prometheus)");
    int port = Ports.free();
    try {
      Files.createDirectories(dir);
      StringBuilder config =
          new StringBuilder()
              .append("global:\n  scrape_interval: 2s\n  evaluation_interval: 2s\n")
              .append("rule_files:\n");
      for (Path rules : ruleFiles()) {
        config.append("  - '").append(rules.toAbsolutePath()).append("'\n");
      }
      config.append("scrape_configs:\n");
      jobs.forEach(
          (job, address) ->
              config
                  .append("  - job_name: '")
                  .append(job)
                  .append("'\n    metrics_path: /q/metrics\n    static_configs:\n")
                  .append("      - targets: ['")
                  .append(address)
                  .append("']\n"));
      Path file = dir.resolve("prometheus.yml");
      Files.writeString(file, config.toString());
      List<String> command =
          List.of(
              binary.toString(),
              "--config.file=" + file,
              "--storage.tsdb.path=" + dir.resolve("data"),
              "--web.listen-address=127.0.0.1:" + port,
              "--storage.tsdb.retention.time=1d");
      ChildProcess child =
          ChildProcess.start("prometheus", command, dir, Map.of(), dir.resolve("prometheus.log"));
      PrometheusServer server = new PrometheusServer(child, port);
      server.awaitReady(Duration.ofSeconds(60));
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      process.checkAlive();
      try {
        if (get("/-/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Components.sleep(200);
    }
    close();
    throw new IllegalStateException(
        "prometheus not ready within " + timeout + "; log tail:\n" + process.logTail(30));
  }

  private HttpResponse<String> get(String path) throws IOException {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private JsonNode api(String path) {
    try {
      HttpResponse<String> response = get(path);
      JsonNode body = JSON.readTree(response.body());
      if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
        throw new IllegalStateException(path + ": HTTP " + response.statusCode() + " " + body);
      }
      return body.path("data");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public long pid() {
    return process.pid();
  }

  /** The names of every metric Prometheus holds. */
  public TreeSet<String> metricNames() {
    TreeSet<String> names = new TreeSet<>();
    api("/api/v1/label/__name__/values").forEach(n -> names.add(n.asText()));
    return names;
  }

  /** The result vector of an instant query, each sample as its labels plus {@code value}. */
  public List<Map<String, String>> query(String promql) {
    JsonNode data = api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    List<Map<String, String>> samples = new ArrayList<>();
    for (JsonNode sample : data.path("result")) {
      Map<String, String> labels =
          new java.util.TreeMap<>(JSON.convertValue(sample.path("metric"), Map.class));
      labels.put("value", sample.path("value").path(1).asText());
      samples.add(labels);
    }
    return samples;
  }

  /** The alerts Prometheus holds (pending and firing), each as its labels plus {@code state}. */
  public List<Map<String, String>> alerts() {
    List<Map<String, String>> alerts = new ArrayList<>();
    for (JsonNode alert : api("/api/v1/alerts").path("alerts")) {
      Map<String, String> labels =
          new java.util.TreeMap<>(JSON.convertValue(alert.path("labels"), Map.class));
      labels.put("state", alert.path("state").asText());
      alerts.add(labels);
    }
    return alerts;
  }

  @Override
  public void close() {
    if (process != null) {
      process.stop(Duration.ofSeconds(15));
    }
  }
}
