package io.chainsnap.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A chainsnap service run as its production artifact ({@code target/quarkus-app/quarkus-run.jar})
 * in a child JVM, configured with system properties, ready once {@code /q/health/ready} says UP.
 */
public final class ServiceProcess implements AutoCloseable {
  private final String name;
  private final int port;
  private final ChildProcess process;

  private ServiceProcess(String name, int port, ChildProcess process) {
    this.name = name;
    this.port = port;
    this.process = process;
  }

  /**
   * Starts module {@code module} on {@code port} with {@code properties}, logging to {@code
   * logFile}, and waits until it is ready.
   */
  public static ServiceProcess start(
      String module, int port, Map<String, String> properties, Path workDir, Path logFile) {
    return start(module, port, properties, Map.of(), workDir, logFile);
  }

  /** As {@link #start(String, int, Map, Path, Path)}, with extra environment variables. */
  public static ServiceProcess start(
      String module,
      int port,
      Map<String, String> properties,
      Map<String, String> environment,
      Path workDir,
      Path logFile) {
    Path jar =
        Components.require(
            Components.projectDir().resolve(module).resolve("target/quarkus-app/quarkus-run.jar"),
            "build it first: ./mvnw -DskipTests install");
    List<String> command = new ArrayList<>();
    command.add(Components.java());
    command.add("-Xmx384m");
    command.add("-Djava.util.logging.manager=org.jboss.logmanager.LogManager");
    command.add("-Dquarkus.http.port=" + port);
    command.add("-Dquarkus.http.host=127.0.0.1");
    new TreeMap<>(properties).forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add("-jar");
    command.add(jar.toString());
    ChildProcess child = ChildProcess.start(module, command, workDir, environment, logFile);
    ServiceProcess service = new ServiceProcess(module, port, child);
    service.awaitReady(Duration.ofSeconds(120));
    return service;
  }

  private void awaitReady(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      process.checkAlive();
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create(url("/q/health/ready"))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
        last = response.body();
      } catch (java.io.IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      Components.sleep(300);
    }
    process.stop(Duration.ofSeconds(10));
    throw new IllegalStateException(
        name
            + " not ready within "
            + timeout
            + " ("
            + last
            + "); log tail:\n"
            + process.logTail(40));
  }

  /** {@code http://127.0.0.1:<port><path>}. */
  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(30));
  }
}
