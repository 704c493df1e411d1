package io.chainsnap.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A real Ethereum JSON-RPC node: ganache 7.9.2 (from {@code tools/ganache}, see scripts/setup.sh)
 * as a child process on a free loopback port, its chain in a LevelDB directory ({@code
 * --database.dbPath}) that survives restarts. Blocks are mined on demand ({@code evm_mine}).
 *
 * <p>Deterministic: a fixed genesis time, a fixed 12 s between block timestamps and ganache's
 * deterministic wallet give the same block hashes on every run.
 */
public final class GanacheNode implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(GanacheNode.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GANACHE_RELATIVE = "tools/ganache/node_modules/.bin/ganache";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  /** Genesis time of the generated chain. */
  public static final String GENESIS_TIME = "2023-11-14T22:13:20Z";

  /** The chain id ganache reports ({@code eth_chainId}). */
  public static final int CHAIN_ID = 1337;

  private final Path dbDir;
  private final int port;
  private final ChildProcess process;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private GanacheNode(Path dbDir, int port, ChildProcess process) {
    this.dbDir = dbDir;
    this.port = port;
    this.process = process;
  }

  /**
   * The {@code ganache} launcher installed by scripts/setup.sh under the project directory, or the
   * system property {@code chainsnap.ganache}.
   */
  public static Path ganache() {
    String configured = System.getProperty("chainsnap.ganache");
    Path path =
        configured != null
            ? Path.of(configured)
            : Components.projectDir().resolve(GANACHE_RELATIVE);
    return Components.require(path, "run scripts/setup.sh (npm install in tools/ganache)");
  }

  /** Starts ganache on {@code dbDir} (created if missing) and waits until RPC answers. */
  public static GanacheNode start(Path dbDir) {
    Path dir = dbDir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    int port = Ports.free();
    List<String> command =
        List.of(
            ganache().toString(),
            "--database.dbPath",
            dir.toString(),
            "--server.host",
            "127.0.0.1",
            "--server.port",
            Integer.toString(port),
            "--server.ws",
            "false",
            "--chain.chainId",
            Integer.toString(CHAIN_ID),
            "--chain.time",
            GENESIS_TIME,
            "--miner.timestampIncrement",
            "12",
            "--wallet.deterministic",
            "--logging.quiet");
    ChildProcess process =
        ChildProcess.start(
            "ganache " + dir.getFileName(),
            command,
            dir.getParent(),
            Map.of(),
            dir.resolveSibling(dir.getFileName() + ".log"));
    GanacheNode node = new GanacheNode(dir, port, process);
    try {
      node.awaitReady();
    } catch (RuntimeException e) {
      node.process.stop(Duration.ofSeconds(10));
      throw e;
    }
    return node;
  }

  private void awaitReady() {
    long started = System.nanoTime();
    long deadline = started + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      process.checkAlive();
      try {
        call("eth_blockNumber");
        LOG.infof(
            "ganache ready on port %d after %d ms",
            port, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return;
      } catch (UncheckedIOException e) {
        // not listening yet
      }
      Components.sleep(100);
    }
    throw new IllegalStateException(
        "ganache did not answer within " + READY_TIMEOUT + "; log tail:\n" + process.logTail(30));
  }

  /** The JSON-RPC URL, e.g. {@code http://127.0.0.1:40123/}. */
  public URI rpcUri() {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  public Path dbDir() {
    return dbDir;
  }

  /** Mines {@code blocks} empty blocks ({@code evm_mine}) and returns the new height. */
  public long mine(int blocks) {
    ObjectNode options = JSON.createObjectNode();
    options.put("blocks", blocks);
    call("evm_mine", options);
    return height();
  }

  /** {@code eth_blockNumber}. */
  public long height() {
    return Long.parseLong(call("eth_blockNumber").asText().substring(2), 16);
  }

  /** The hash of block {@code number} ({@code eth_getBlockByNumber}). */
  public String blockHash(long number) {
    return call("eth_getBlockByNumber", "0x" + Long.toHexString(number), false)
        .path("hash")
        .asText();
  }

  /** A JSON-RPC call; fails on an error answer. */
  public JsonNode call(String method, Object... params) {
    ObjectNode request = JSON.createObjectNode();
    request.put("jsonrpc", "2.0");
    request.put("id", 1);
    request.put("method", method);
    request.set("params", JSON.valueToTree(params));
    try {
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(rpcUri())
                  .timeout(Duration.ofSeconds(60))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(answer.body());
      if (body.has("error")) {
        throw new IllegalStateException(method + ": " + body.get("error").path("message"));
      }
      return body.path("result");
    } catch (IOException e) {
      throw new UncheckedIOException(method + " on ganache port " + port, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Stops ganache (SIGTERM; it closes its database and exits). */
  @Override
  public void close() {
    long started = System.nanoTime();
    process.stop(Duration.ofSeconds(20));
    LOG.infof(
        "ganache on %s stopped in %d ms",
        dbDir, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }
}
