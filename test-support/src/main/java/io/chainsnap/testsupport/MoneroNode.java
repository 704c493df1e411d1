package io.chainsnap.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainsnap.chain.MoneroChainAdapter;
import io.chainsnap.chain.MoneroDaemon;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A real Monero node (Debian's {@code monerod}) in regtest mode, offline, as a child process on
 * free loopback ports: {@code --regtest --offline --keep-fakechain --fixed-difficulty 1 --rpc-ssl
 * disabled}. Blocks are mined on demand ({@code generateblocks}) to {@link #MINING_ADDRESS}.
 *
 * <p>The chain lives in {@code <dataDir>/fake/lmdb/} (one LMDB file); {@code --keep-fakechain}
 * keeps it across restarts (without it regtest deletes the database at start). Block timestamps
 * follow the clock, so hashes differ from run to run. monerod's own log goes to {@code
 * <dataDir>-monerod.log} (never into the data dir, which a snapshot would capture), its console to
 * {@code <dataDir>.log}.
 */
public final class MoneroNode implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(MoneroNode.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  /**
   * A mainnet-format address (regtest uses mainnet's address prefix) generated offline for these
   * tests with {@code monero-wallet-cli}; its keys were thrown away, the coins are worthless.
   */
  public static final String MINING_ADDRESS =
      "46BaXbRicFsSZFk7P2fnjWHvAfKtF1f4FTFpSQMHujH1YPDp55cMXm63ZYUWN2S1qAf7GSrNGiZtxAb7j11aqCL786QokBS";

  private final Path dataDir;
  private final int rpcPort;
  private final ChildProcess process;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String rpcLogin;

  private MoneroNode(Path dataDir, int rpcPort, ChildProcess process, String rpcLogin) {
    this.dataDir = dataDir;
    this.rpcPort = rpcPort;
    this.process = process;
    this.rpcLogin = rpcLogin;
  }

  /** Debian's monerod, or the system property {@code chainsnap.monerod}. */
  public static Path monerod() {
    String configured = System.getProperty("chainsnap.monerod");
    return Components.require(
        Path.of(configured != null ? configured : "/usr/bin/monerod"),
        "install it: scripts/setup.sh (apt-get install monero)");
  }

  /** Starts a node on {@code dataDir} (created if missing) and waits until RPC answers. */
  public static MoneroNode start(Path dataDir) {
    return start(dataDir, null);
  }

  /**
   * Starts a node whose RPC wants {@code --rpc-login user:password} (HTTP digest), or none when
   * {@code rpcLogin} is null.
   */
  public static MoneroNode start(Path dataDir, String rpcLogin) {
    Path dir = dataDir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    int rpcPort = Ports.free();
    List<String> command =
        new ArrayList<>(
            MoneroDaemon.command(
                monerod(),
                "regtest",
                dir,
                rpcPort,
                Ports.free(),
                dir.resolveSibling(dir.getFileName() + "-monerod.log")));
    command.addAll(List.of("--fixed-difficulty", "1"));
    if (rpcLogin != null) {
      command.add("--rpc-login");
      command.add(rpcLogin);
    }
    ChildProcess process =
        ChildProcess.start(
            "monerod " + dir.getFileName(),
            command,
            dir.getParent(),
            Map.of(),
            dir.resolveSibling(dir.getFileName() + ".log"));
    MoneroNode node = new MoneroNode(dir, rpcPort, process, rpcLogin);
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
        int status = post("get_height", "{}").statusCode();
        // with --rpc-login, a 401 also proves the RPC server is up
        if (status == 200 || (status == 401 && rpcLogin != null)) {
          LOG.infof(
              "monerod ready on port %d after %d ms",
              rpcPort, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Components.sleep(100);
    }
    throw new IllegalStateException(
        "monerod did not answer within " + READY_TIMEOUT + "; log tail:\n" + process.logTail(30));
  }

  /** The RPC base URL, e.g. {@code http://127.0.0.1:40123}. */
  public URI rpcUri() {
    return URI.create("http://127.0.0.1:" + rpcPort);
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The LMDB directory with the chain: what a snapshot of this node captures. */
  public Path chainDir() {
    return MoneroDaemon.chainDir(dataDir, "regtest");
  }

  /** An adapter on this node (with the node's login, if it has one). */
  public MoneroChainAdapter adapter() {
    if (rpcLogin == null) {
      return new MoneroChainAdapter(rpcUri(), null, null, Duration.ofSeconds(30));
    }
    String[] login = rpcLogin.split(":", 2);
    return new MoneroChainAdapter(rpcUri(), login[0], login[1], Duration.ofSeconds(30));
  }

  /**
   * Mines {@code blocks} blocks to {@link #MINING_ADDRESS} (about 0.3 s each) and returns the new
   * top height.
   */
  public long mine(int blocks) {
    ObjectNode params = JSON.createObjectNode();
    params.put("amount_of_blocks", blocks);
    params.put("wallet_address", MINING_ADDRESS);
    call("generateblocks", params);
    return topBlock().height();
  }

  /**
   * The top block as {@code get_last_block_header} reports it (independent of {@code get_info}).
   */
  public Top topBlock() {
    JsonNode header = call("get_last_block_header", JSON.createObjectNode()).path("block_header");
    return new Top(header.path("height").asLong(), header.path("hash").asText());
  }

  /** Height and hash of a block. */
  public record Top(long height, String hash) {}

  /** A JSON-RPC call without credentials (for nodes started without a login). */
  public JsonNode call(String method, JsonNode params) {
    if (rpcLogin != null) {
      throw new IllegalStateException("this node wants a login; use adapter()");
    }
    ObjectNode request = JSON.createObjectNode();
    request.put("jsonrpc", "2.0");
    request.put("id", "0");
    request.put("method", method);
    request.set("params", params);
    try {
      HttpResponse<String> answer = post("json_rpc", JSON.writeValueAsString(request));
      JsonNode body = JSON.readTree(answer.body());
      if (body.has("error")) {
        throw new IllegalStateException(method + ": " + body.get("error"));
      }
      return body.path("result");
    } catch (IOException e) {
      throw new UncheckedIOException(method + " on monerod port " + rpcPort, e);
    }
  }

  private HttpResponse<String> post(String path, String body) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rpcPort + "/" + path))
            .timeout(Duration.ofSeconds(120))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The monerod process id. */
  public long pid() {
    return process.pid();
  }

  /**
   * Stops the node (SIGTERM: monerod saves the chain and exits in about 2 s; SIGKILL after 30 s).
   */
  @Override
  public void close() {
    long started = System.nanoTime();
    process.stop(STOP_TIMEOUT);
    LOG.infof(
        "monerod on %s stopped in %d ms",
        dataDir, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }
}
