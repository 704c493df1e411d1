package io.chainsnap.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * A real js-ipfs node (from {@code tools/ipfs}, see scripts/setup.sh) run offline as a child
 * process on loopback ports. It speaks the Kubo RPC API ({@code /api/v0}, POST only) that
 * production talks to on a Kubo node.
 *
 * <p>The repository is initialised on first use; every start picks fresh free ports and rewrites
 * them into the repository's {@code config}. Pins survive restarts on the same repository.
 */
public final class IpfsNode implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(IpfsNode.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JSIPFS_RELATIVE = "tools/ipfs/node_modules/.bin/jsipfs";
  private static final Duration INIT_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(20);
  private static final Pattern MULTIADDR_TCP = Pattern.compile("/ip4/([^/]+)/tcp/(\\d+)");

  private final Path repoDir;
  private final ChildProcess process;
  private final int apiPort;
  private final int gatewayPort;
  private final HttpClient http;

  private IpfsNode(
      Path repoDir, ChildProcess process, int apiPort, int gatewayPort, HttpClient http) {
    this.repoDir = repoDir;
    this.process = process;
    this.apiPort = apiPort;
    this.gatewayPort = gatewayPort;
    this.http = http;
  }

  /**
   * Initialises {@code repoDir} if needed, configures fresh loopback ports and starts {@code jsipfs
   * daemon --offline}, returning once the RPC API answers. The log goes to {@code <repoDir>.log}.
   */
  public static IpfsNode start(Path repoDir, Path jsipfsBin) {
    Path repo = repoDir.toAbsolutePath().normalize();
    Path logFile = repo.resolveSibling(repo.getFileName() + ".log");
    Map<String, String> env = Map.of("IPFS_PATH", repo.toString());
    Path workDir = repo.getParent();
    try {
      Files.createDirectories(repo);
      if (!Files.exists(repo.resolve("config"))) {
        init(repo, jsipfsBin, env, workDir, logFile);
      }
      int apiPort = Ports.free();
      int gatewayPort = Ports.free();
      configure(repo, apiPort, gatewayPort, Ports.free(), Ports.free());
      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(5))
              .build();
      clearLeftovers(repo, http);
      ChildProcess process =
          ChildProcess.start(
              "js-ipfs " + repo.getFileName(),
              List.of(jsipfsBin.toString(), "daemon", "--offline"),
              workDir,
              env,
              logFile);
      IpfsNode node = new IpfsNode(repo, process, apiPort, gatewayPort, http);
      node.awaitReady();
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare IPFS repository " + repo, e);
    }
  }

  /**
   * The {@code jsipfs} launcher installed by scripts/setup.sh, found by walking up from the system
   * property {@code chainsnap.project.dir} if set, else from the working directory.
   */
  public static Path defaultJsipfs() {
    String projectDir = System.getProperty("chainsnap.project.dir");
    Path start =
        Path.of(projectDir != null ? projectDir : System.getProperty("user.dir"))
            .toAbsolutePath()
            .normalize();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(JSIPFS_RELATIVE);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "js-ipfs not found: no "
            + JSIPFS_RELATIVE
            + " in "
            + start
            + " or any parent directory; run scripts/setup.sh (npm install in tools/ipfs)");
  }

  /** The RPC API base URL, for example {@code http://127.0.0.1:40123}. */
  public String apiUrl() {
    return "http://127.0.0.1:" + apiPort;
  }

  /** The HTTP gateway base URL ({@code /ipfs/<cid>}). */
  public String gatewayUrl() {
    return "http://127.0.0.1:" + gatewayPort;
  }

  public Path repoDir() {
    return repoDir;
  }

  public Path logFile() {
    return process.logFile();
  }

  /** Process id of the js-ipfs daemon. */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Asks the node to shut down ({@code /api/v0/shutdown}), then makes sure the process is gone. */
  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        post("shutdown", Duration.ofSeconds(10));
        long deadline = System.nanoTime() + SHUTDOWN_WAIT.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
          TimeUnit.MILLISECONDS.sleep(100);
        }
      } catch (IOException e) {
        LOG.debugf("shutdown request failed (%s), stopping the process", e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    process.stop(Duration.ofSeconds(10));
  }

  private static void init(
      Path repo, Path jsipfsBin, Map<String, String> env, Path workDir, Path log)
      throws IOException {
    long started = System.nanoTime();
    ProcessBuilder builder =
        new ProcessBuilder(jsipfsBin.toString(), "init", "--empty-repo")
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    Process init = builder.start();
    try {
      if (!init.waitFor(INIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        init.descendants().forEach(ProcessHandle::destroyForcibly);
        init.destroyForcibly();
        throw new IllegalStateException("jsipfs init did not finish within " + INIT_TIMEOUT);
      }
    } catch (InterruptedException e) {
      init.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during jsipfs init", e);
    }
    if (init.exitValue() != 0 || !Files.exists(repo.resolve("config"))) {
      throw new IllegalStateException(
          "jsipfs init failed with code " + init.exitValue() + "; see " + log);
    }
    LOG.infof(
        "initialised IPFS repository %s in %d ms",
        repo, Duration.ofNanos(System.nanoTime() - started).toMillis());
  }

  /** Loopback-only ports, no bootstrap peers, no discovery: a private offline node. */
  private static void configure(Path repo, int api, int gateway, int rpc, int swarm)
      throws IOException {
    Path configFile = repo.resolve("config");
    ObjectNode config = (ObjectNode) JSON.readTree(configFile.toFile());
    ObjectNode addresses = child(config, "Addresses");
    addresses.put("API", "/ip4/127.0.0.1/tcp/" + api);
    addresses.put("Gateway", "/ip4/127.0.0.1/tcp/" + gateway);
    addresses.put("RPC", "/ip4/127.0.0.1/tcp/" + rpc);
    addresses.putArray("Swarm").add("/ip4/127.0.0.1/tcp/" + swarm);
    addresses.putArray("Announce");
    addresses.putArray("Delegates");
    config.putArray("Bootstrap");
    ObjectNode discovery = child(config, "Discovery");
    child(discovery, "MDNS").put("Enabled", false);
    child(discovery, "webRTCStar").put("Enabled", false);
    JSON.writerWithDefaultPrettyPrinter().writeValue(configFile.toFile(), config);
  }

  /**
   * A killed daemon leaves {@code repo.lock} (fresh for 20 s, so a quick restart fails with "Lock
   * already being held") and its {@code api} address behind. Both go, unless that daemon answers.
   */
  private static void clearLeftovers(Path repo, HttpClient http) throws IOException {
    Path apiFile = repo.resolve("api");
    if (Files.exists(apiFile)) {
      String address = Files.readString(apiFile).trim();
      Matcher tcp = MULTIADDR_TCP.matcher(address);
      if (tcp.find() && answersVersion(http, "http://" + tcp.group(1) + ":" + tcp.group(2))) {
        throw new IllegalStateException(
            "IPFS repository " + repo + " is in use by a running daemon at " + address);
      }
      Files.delete(apiFile);
    }
    Path lock = repo.resolve("repo.lock");
    if (Files.exists(lock)) {
      LOG.warnf("removing %s left behind by a daemon that did not stop cleanly", lock);
      try (Stream<Path> paths = Files.walk(lock)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
  }

  private static boolean answersVersion(HttpClient http, String baseUrl) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(baseUrl + "/api/v0/version"))
              .timeout(Duration.ofSeconds(3))
              .POST(HttpRequest.BodyPublishers.noBody())
              .build();
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static ObjectNode child(ObjectNode parent, String name) {
    if (parent.get(name) instanceof ObjectNode existing) {
      return existing;
    }
    return parent.putObject(name);
  }

  private void awaitReady() {
    long started = System.nanoTime();
    long deadline = started + READY_TIMEOUT.toNanos();
    IOException last = null;
    try {
      while (System.nanoTime() < deadline) {
        process.checkAlive();
        try {
          HttpResponse<String> answer = post("version", Duration.ofSeconds(5));
          if (answer.statusCode() == 200) {
            LOG.infof(
                "js-ipfs ready at %s in %d ms (%s)",
                apiUrl(), Duration.ofNanos(System.nanoTime() - started).toMillis(), answer.body());
            return;
          }
          last = new IOException("HTTP " + answer.statusCode() + ": " + answer.body());
        } catch (ConnectException e) {
          last = e; // not listening yet
        } catch (IOException e) {
          last = e;
        }
        TimeUnit.MILLISECONDS.sleep(250);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.stop(Duration.ofSeconds(5));
      throw new IllegalStateException("interrupted while waiting for js-ipfs", e);
    } catch (IllegalStateException e) {
      process.stop(Duration.ofSeconds(5));
      throw e;
    }
    process.stop(Duration.ofSeconds(10));
    throw new IllegalStateException(
        "js-ipfs did not answer on "
            + apiUrl()
            + " within "
            + READY_TIMEOUT
            + " (last: "
            + last
            + "); log tail:\n"
            + process.logTail(30));
  }

  private HttpResponse<String> post(String command, Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(apiUrl() + "/api/v0/" + command))
            .timeout(timeout)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
