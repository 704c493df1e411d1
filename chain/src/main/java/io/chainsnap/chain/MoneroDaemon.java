package io.chainsnap.chain;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How chainsnap runs {@code monerod} on a data dir of its own: the node's LMDB location for each
 * network, and the command line of an isolated node (offline, RPC and P2P on loopback, no ZMQ,
 * UPnP, DNS checkpoints or update checks, plain-HTTP RPC). The verifier boots restored snapshots
 * this way; the tests' regtest nodes start from the same command.
 */
public final class MoneroDaemon {
  private MoneroDaemon() {}

  /**
   * The LMDB directory of {@code network} under {@code dataDir}: what a snapshot captures.
   *
   * @param network {@code mainnet}, {@code testnet}, {@code stagenet} or {@code regtest} (the fake
   *     chain)
   */
  public static Path chainDir(Path dataDir, String network) {
    return switch (network) {
      case "regtest" -> dataDir.resolve("fake/lmdb");
      case "testnet" -> dataDir.resolve("testnet/lmdb");
      case "stagenet" -> dataDir.resolve("stagenet/lmdb");
      default -> dataDir.resolve("lmdb");
    };
  }

  /**
   * The command line of an isolated node; callers append their own further arguments.
   *
   * @param binary the monerod executable
   * @param network as for {@link #chainDir}
   * @param dataDir the {@code --data-dir}
   * @param rpcPort loopback RPC port
   * @param p2pPort loopback P2P port
   * @param logFile monerod's own log file (level 0)
   */
  public static List<String> command(
      Path binary, String network, Path dataDir, int rpcPort, int p2pPort, Path logFile) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(
        switch (network) {
          // without --keep-fakechain, a regtest monerod deletes its chain at start
          case "regtest" -> List.of("--regtest", "--keep-fakechain");
          case "testnet" -> List.of("--testnet");
          case "stagenet" -> List.of("--stagenet");
          default -> List.of();
        });
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
            logFile.toString(),
            "--log-level",
            "0"));
    return command;
  }
}
