package io.chainsnap.verifier.service;

import io.chainsnap.chain.ChainRpcException;
import io.chainsnap.chain.ChainStatus;
import io.chainsnap.chain.MoneroChainAdapter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Boots {@code monerod} on a restored data dir, isolated ({@code --offline}, loopback RPC and P2P
 * on free ports, no ZMQ, no DNS), reads its tip through {@link MoneroChainAdapter}, and stops it.
 *
 * <p>A Monero snapshot captures the node's LMDB directory; {@link #chainDir} says where that
 * directory lives under a data dir for each network.
 */
final class MoneroVerificationNode {
  private MoneroVerificationNode() {}

  /** The LMDB directory of {@code network} under {@code dataDir}: what a snapshot restores into. */
  static Path chainDir(Path dataDir, String network) {
    return switch (network) {
      case "regtest" -> dataDir.resolve("fake/lmdb");
      case "testnet" -> dataDir.resolve("testnet/lmdb");
      case "stagenet" -> dataDir.resolve("stagenet/lmdb");
      default -> dataDir.resolve("lmdb");
    };
  }

  private static List<String> networkArgs(String network) {
    return switch (network) {
      // without --keep-fakechain, a regtest monerod deletes its chain at start
      case "regtest" -> List.of("--regtest", "--keep-fakechain");
      case "testnet" -> List.of("--testnet");
      case "stagenet" -> List.of("--stagenet");
      default -> List.of();
    };
  }

  /**
   * Starts monerod on {@code dataDir} and returns its tip once it answers.
   *
   * @throws Rejection ({@code boot}) if it exits or does not answer within {@code timeout}
   */
  static ChainStatus boot(
      Path binary,
      Path dataDir,
      String network,
      List<String> extraArgs,
      Duration timeout,
      Path logDir,
      int rpcPort,
      int p2pPort) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(networkArgs(network));
    command.addAll(
        List.of(
            "--offline",
            "--non-interactive",
            "--data-dir",
            dataDir.toString(),
            "--rpc-bind-ip",
            "127.0.0.1",
            "--rpc-bind-port",
            Integer.toString(rpcPort),
            "--p2p-bind-ip",
            "127.0.0.1",
            "--p2p-bind-port",
            Integer.toString(p2pPort),
            "--no-zmq",
            "--no-igd",
            "--disable-dns-checkpoints",
            "--check-updates",
            "disabled",
            "--rpc-ssl",
            "disabled",
            "--log-file",
            logDir.resolve("monerod.log").toString(),
            "--log-level",
            "0"));
    command.addAll(extraArgs);
    Path console = logDir.resolve("monerod.out");
    Process process;
    try {
      Files.createDirectories(logDir);
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(console.toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binary, e);
    }
    MoneroChainAdapter adapter =
        new MoneroChainAdapter(
            URI.create("http://127.0.0.1:" + rpcPort), null, null, Duration.ofSeconds(30));
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        if (!process.isAlive()) {
          throw new Rejection(
              "boot",
              "monerod exited with code "
                  + process.exitValue()
                  + " on the restored data: "
                  + tail(console));
        }
        try {
          return adapter.status();
        } catch (ChainRpcException e) {
          if (System.nanoTime() > deadline) {
            throw new Rejection(
                "boot", "monerod did not answer within " + timeout + ": " + e.getMessage(), e);
          }
        }
        sleep(250);
      }
    } finally {
      stop(process);
    }
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
    } catch (IOException | UncheckedIOException e) {
      return "(no output)";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
