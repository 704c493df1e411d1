package io.chainsnap.chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Runs a Bitcoin Core family node binary (bitcoind, litecoind) as a daemon: it forks and outlives
 * whoever started it, so a crash of the caller never takes the node down. Stopping is a clean RPC
 * {@code stop} (SIGTERM if RPC is gone), then waiting for the process to exit.
 */
public final class BitcoinCoreDaemon {
  private static final Logger LOG = Logger.getLogger(BitcoinCoreDaemon.class);

  /**
   * How to run the node.
   *
   * @param binary the node executable
   * @param dataDir the {@code -datadir}
   * @param network {@code main}, {@code test} or {@code regtest}
   * @param rpcPort loopback RPC port
   * @param rpcUser RPC user
   * @param rpcPassword RPC password
   * @param extraArgs further arguments, e.g. {@code -maxtipage=...}
   */
  public record Config(
      Path binary,
      Path dataDir,
      String network,
      int rpcPort,
      String rpcUser,
      String rpcPassword,
      List<String> extraArgs) {

    /** The directory with the chain data of {@link #network}: what a snapshot captures. */
    public Path chainDir() {
      return BitcoinCoreDaemon.chainDir(dataDir, network);
    }
  }

  /**
   * The directory with the chain data of {@code network} under {@code dataDir}: {@code main} -> the
   * data dir, {@code test} -> {@code testnet4/} (litecoind's name; bitcoind's is {@code
   * testnet3/}), any other network -> the directory of its name ({@code regtest/}, {@code
   * signet/}).
   *
   * @param network the node's network flag: {@code main}, {@code test}, {@code regtest}, ...
   */
  public static Path chainDir(Path dataDir, String network) {
    return switch (network) {
      case "main" -> dataDir;
      case "test" -> dataDir.resolve("testnet4");
      default -> dataDir.resolve(network);
    };
  }

  private final Config config;
  private final BitcoinCoreRpc rpc;

  public BitcoinCoreDaemon(Config config) {
    this.config = config;
    this.rpc =
        new BitcoinCoreRpc(
            URI.create("http://127.0.0.1:" + config.rpcPort() + "/"),
            config.rpcUser(),
            config.rpcPassword(),
            Duration.ofSeconds(60));
  }

  public Config config() {
    return config;
  }

  public BitcoinCoreRpc rpc() {
    return rpc;
  }

  private Path pidFile() {
    return config.chainDir().resolve("chainsnap-node.pid");
  }

  /** The command line that starts the daemon. */
  public List<String> command() {
    List<String> command = new ArrayList<>();
    command.add(config.binary().toString());
    if (!config.network().equals("main")) {
      command.add("-" + (config.network().equals("test") ? "testnet" : config.network()));
    }
    command.add("-datadir=" + config.dataDir().toAbsolutePath());
    command.add("-pid=" + pidFile().toAbsolutePath());
    command.add("-server");
    command.add("-daemon");
    command.add("-printtoconsole=0");
    command.add("-rpcbind=127.0.0.1");
    command.add("-rpcallowip=127.0.0.1");
    command.add("-rpcport=" + config.rpcPort());
    // the password never appears on the command line (ps): only its salted HMAC
    command.add("-rpcauth=" + rpcAuth(config.rpcUser(), config.rpcPassword()));
    command.addAll(config.extraArgs());
    return command;
  }

  /**
   * The node's {@code -rpcauth} value for a user and password: {@code user:salt$hmac}, where hmac
   * is HMAC-SHA256 keyed with the salt over the password, in hex. The salt is derived from the user
   * and password so the command line is stable across restarts.
   */
  static String rpcAuth(String user, String password) {
    try {
      byte[] random = new byte[16];
      new SecureRandom().nextBytes(random);
      String salt = HexFormat.of().formatHex(random);
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(salt.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      String hmac =
          HexFormat.of().formatHex(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
      return user + ":" + salt + "$" + hmac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts the node and waits until it answers RPC calls. */
  public void start(Duration timeout) {
    if (isRunning()) {
      throw new IllegalStateException(
          "node already running on " + config.chainDir() + " (pid " + pid().orElse(-1L) + ")");
    }
    try {
      Files.createDirectories(config.chainDir());
      Process launcher =
          new ProcessBuilder(command())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.PIPE)
              .start();
      if (!launcher.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        launcher.destroyForcibly();
        throw new IllegalStateException("node launcher did not return within " + timeout);
      }
      String output = new String(launcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (launcher.exitValue() != 0) {
        throw new IllegalStateException(
            "node failed to start (exit " + launcher.exitValue() + "): " + output.strip() + tail());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + config.binary(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the node", e);
    }
    awaitReady(timeout);
    LOG.infof("node started: pid %s, rpc %s", pid().orElse(-1L), rpc.endpoint());
  }

  /** Waits until the node answers RPC calls; fails early if its process has gone. */
  public void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (rpc.isReady()) {
        return;
      }
      if (pid().isEmpty() && !isRunning()) {
        sleep(200);
        if (!isRunning() && !rpc.isReady()) {
          throw new IllegalStateException("node exited during start-up" + tail());
        }
      }
      sleep(100);
    }
    throw new IllegalStateException("node did not answer RPC within " + timeout + tail());
  }

  /**
   * Stops the node cleanly and waits until it has released its data directory. Works for a node
   * this class started and for one started otherwise (systemd, by hand): the RPC {@code stop} is
   * the request, the data dir lock is the proof. No-op when the node is not running.
   */
  public void stop(Duration timeout) {
    if (!isRunning()) {
      LOG.debug("node not running, nothing to stop");
      return;
    }
    Optional<ProcessHandle> process = pid().flatMap(ProcessHandle::of);
    try {
      rpc.call("stop");
    } catch (ChainRpcException e) {
      if (process.isEmpty()) {
        throw new IllegalStateException(
            "node holds " + config.chainDir() + " but RPC stop failed: " + e.getMessage(), e);
      }
      LOG.warnf(
          "RPC stop failed (%s), sending SIGTERM to pid %d", e.getMessage(), process.get().pid());
      process.get().destroy();
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (isRunning()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "node on " + config.chainDir() + " did not stop within " + timeout);
      }
      sleep(50);
    }
    LOG.infof(
        "node stopped (%s)",
        process.map(p -> "pid " + p.pid()).orElse(config.chainDir().toString()));
  }

  /** The node's pid from its pid file, if the file is there. */
  public Optional<Long> pid() {
    try {
      return Optional.of(Long.parseLong(Files.readString(pidFile()).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * True while a node runs on this data dir: the pid file names a live process, or some process
   * holds the data dir's {@code .lock} (a node started without our pid file).
   */
  public boolean isRunning() {
    if (pid().flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false)) {
      return true;
    }
    return dataDirLocked();
  }

  /** Probes the node's advisory lock on {@code <chain dir>/.lock} (released when it exits). */
  private boolean dataDirLocked() {
    Path lock = config.chainDir().resolve(".lock");
    if (!Files.exists(lock)) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE)) {
      FileLock probe = channel.tryLock();
      if (probe == null) {
        return true;
      }
      probe.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private String tail() {
    Path log = config.chainDir().resolve("debug.log");
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "; "
          + log
          + " ends with:\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
