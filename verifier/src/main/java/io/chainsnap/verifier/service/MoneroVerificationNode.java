package io.chainsnap.verifier.service;

import io.chainsnap.chain.ChainRpcException;
import io.chainsnap.chain.ChainStatus;
import io.chainsnap.chain.MoneroChainAdapter;
import io.chainsnap.chain.MoneroDaemon;
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
 * Boots {@code monerod} on a restored data dir, isolated ({@link MoneroDaemon#command}: offline,
 * loopback RPC and P2P on free ports), reads its tip through {@link MoneroChainAdapter}, and stops
 * it. A Monero snapshot captures the node's LMDB directory ({@link MoneroDaemon#chainDir}).
 */
final class MoneroVerificationNode {
  private MoneroVerificationNode() {}

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
    List<String> command =
        new ArrayList<>(
            MoneroDaemon.command(
                binary, network, dataDir, rpcPort, p2pPort, logDir.resolve("monerod.log")));
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
