package io.chainsnap.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.chain.BitcoinCoreDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Node control over a real litecoind, including a node this code did not start. */
class BitcoinCoreDaemonIT {
  Path dir;
  BitcoinCoreDaemon daemon;

  @AfterEach
  void cleanUp() {
    if (daemon != null) {
      daemon.stop(Duration.ofSeconds(60));
    }
    Components.deleteRecursively(dir);
  }

  @Test
  void stopsAndStartsANodeItStarted() throws Exception {
    dir = Files.createTempDirectory("chainsnap-daemon-");
    daemon = new BitcoinCoreDaemon(LitecoinNode.config(dir, Ports.free()));
    daemon.start(Duration.ofSeconds(60));
    assertTrue(daemon.isRunning());
    assertTrue(daemon.pid().isPresent());
    assertThrows(IllegalStateException.class, () -> daemon.start(Duration.ofSeconds(5)));
    daemon.stop(Duration.ofSeconds(60));
    assertFalse(daemon.isRunning());
    assertFalse(daemon.rpc().isReady());
    daemon.start(Duration.ofSeconds(60));
    assertTrue(daemon.rpc().isReady());
  }

  @Test
  void stopsANodeStartedByHandWithoutItsPidFile() throws Exception {
    dir = Files.createTempDirectory("chainsnap-daemon-");
    BitcoinCoreDaemon.Config config = LitecoinNode.config(dir, Ports.free());
    // started the way an operator or systemd would: our pid file is not there
    List<String> command = new ArrayList<>();
    for (String arg : new BitcoinCoreDaemon(config).command()) {
      if (!arg.startsWith("-pid=")) {
        command.add(arg);
      }
    }
    Process launcher = new ProcessBuilder(command).inheritIO().start();
    assertEquals(0, launcher.waitFor());
    daemon = new BitcoinCoreDaemon(config);
    daemon.awaitReady(Duration.ofSeconds(60));

    assertTrue(daemon.pid().isEmpty(), "no chainsnap pid file");
    assertTrue(daemon.isRunning(), "the data dir lock shows the node runs");
    assertThrows(
        IllegalStateException.class,
        () -> daemon.start(Duration.ofSeconds(5)),
        "never a second node on the same data dir");

    daemon.stop(Duration.ofSeconds(60));
    assertFalse(daemon.isRunning());
    assertFalse(daemon.rpc().isReady());
  }
}
