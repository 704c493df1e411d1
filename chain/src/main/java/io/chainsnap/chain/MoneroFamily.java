package io.chainsnap.chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Monero ({@code monerod}): JSON-RPC and REST over HTTP ({@link MoneroChainAdapter}), started and
 * stopped by the operator's controllers (exec, systemd, kubernetes), chain data in the network's
 * LMDB directory ({@link MoneroDaemon#chainDir}), booted for verification with {@link
 * MoneroDaemon#command}.
 */
final class MoneroFamily implements ChainFamily {
  static final String NAME = "monero";

  /**
   * {@code lock.mdb} (LMDB's reader table, rebuilt at open) in the LMDB directory; the rest lies
   * next to it in the network's data dir and matters when that is configured as the chain dir:
   * {@code p2pstate.bin} (peer list), {@code bitmonero.log} and its rotated copies, {@code
   * poolstate.bin} (old versions' mempool), {@code rpcpayments.bin} (RPC payment accounts).
   */
  private static final List<String> PRIVATE_FILES =
      List.of(
          "lock.mdb",
          "**/lock.mdb",
          "p2pstate.bin",
          "poolstate.bin",
          "rpcpayments.bin",
          "bitmonero.log*",
          "/*.log");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ChainAdapter createAdapter(URI endpoint, String user, String password, Duration timeout) {
    return new MoneroChainAdapter(endpoint, user, password, timeout);
  }

  /** {@code exec}, {@code systemd}, {@code kubernetes}: chainsnap does not run monerod itself. */
  @Override
  public Set<String> controllers() {
    return ChainFamilies.controllers(List.of("exec", "systemd", "kubernetes"));
  }

  /** {@link MoneroDaemon#chainDir}; {@code main} and {@code test} are taken as well. */
  @Override
  public Path chainDir(Path dataDir, String network) {
    return MoneroDaemon.chainDir(dataDir, moneroNetwork(network));
  }

  @Override
  public List<String> privateFiles() {
    return PRIVATE_FILES;
  }

  /** None: LMDB rewrites its one file {@code data.mdb} in place. */
  @Override
  public Predicate<String> neverModifiedInPlace(Collection<String> relativePaths) {
    return relative -> false;
  }

  @Override
  public boolean supportsIsolatedBoot() {
    return true;
  }

  /**
   * Runs {@link MoneroDaemon#command} (offline, loopback RPC and P2P on free ports) with the
   * operator's arguments appended, console output to {@code <logDir>/monerod.out}; polls {@code
   * get_info} until it answers; stops it with SIGTERM (SIGKILL after 60 s).
   */
  @Override
  public ChainStatus bootIsolated(IsolatedBoot boot) {
    int rpcPort = IsolatedBoot.freeLoopbackPort();
    int p2pPort = IsolatedBoot.freeLoopbackPort();
    List<String> command =
        new ArrayList<>(
            MoneroDaemon.command(
                boot.binary(),
                moneroNetwork(boot.network()),
                boot.dataDir(),
                rpcPort,
                p2pPort,
                boot.logDir().resolve("monerod.log")));
    command.addAll(boot.extraArgs());
    Path console = boot.logDir().resolve("monerod.out");
    Process process;
    try {
      Files.createDirectories(boot.logDir());
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(console.toFile())
              .start();
    } catch (IOException e) {
      // the verifier's own trouble (binary, disk), not the restored data's
      throw new UncheckedIOException("cannot start " + boot.binary(), e);
    }
    MoneroChainAdapter adapter =
        new MoneroChainAdapter(
            URI.create("http://127.0.0.1:" + rpcPort), null, null, Duration.ofSeconds(30));
    try {
      long deadline = System.nanoTime() + boot.timeout().toNanos();
      while (true) {
        if (!process.isAlive()) {
          throw new ChainBootException(
              "monerod exited with code "
                  + process.exitValue()
                  + " on the restored data: "
                  + tail(console));
        }
        try {
          return adapter.status();
        } catch (ChainRpcException e) {
          if (System.nanoTime() > deadline) {
            throw new ChainBootException(
                "monerod did not answer within " + boot.timeout() + ": " + e.getMessage(), e);
          }
        }
        sleep(250);
      }
    } finally {
      stop(process);
    }
  }

  @Override
  public List<String> missing() {
    return List.of();
  }

  /** Monero's network names for the target's: {@code main} -> mainnet, {@code test} -> testnet. */
  static String moneroNetwork(String network) {
    return switch (network) {
      case "main" -> "mainnet";
      case "test" -> "testnet";
      default -> network;
    };
  }

  private static void stop(Process process) {
    process.destroy(); // SIGTERM: monerod closes its database and exits
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException | RuntimeException e) {
      return "(no output)";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for monerod", e);
    }
  }
}
