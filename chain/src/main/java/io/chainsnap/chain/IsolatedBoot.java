package io.chainsnap.chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link ChainFamily#bootIsolated} needs to boot a node on a restored data dir.
 *
 * @param binary the node executable
 * @param dataDir the data dir the snapshot was restored under (into {@link ChainFamily#chainDir})
 * @param network the snapshot's network, as for {@link ChainFamily#chainDir}
 * @param extraArgs further arguments of the operator's; the family's isolation flags win
 * @param timeout longest wait for the node to answer
 * @param logDir where the node's console output and logs may go
 */
public record IsolatedBoot(
    Path binary,
    Path dataDir,
    String network,
    List<String> extraArgs,
    Duration timeout,
    Path logDir) {

  /** Every component but {@code extraArgs} (null: none; copied) is required. */
  public IsolatedBoot {
    Objects.requireNonNull(binary, "binary");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(network, "network");
    extraArgs = List.copyOf(extraArgs == null ? List.of() : extraArgs);
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(logDir, "logDir");
  }

  /** A TCP port free on the loopback interface right now. */
  static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}
