package io.chainsnap.testsupport;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The snapshotter's configuration for tests, benchmarks and the local run, in one place: the agent
 * (broker, staging, token, small chunks) and a target on a litecoind regtest node run by this agent
 * ({@code daemon} controller).
 */
public final class SnapshotterProperties {
  /** Chunks of 4 MiB: a regtest chain of a few MB still spans several chunks. */
  public static final int CHUNK_SIZE = 4 << 20;

  private SnapshotterProperties() {}

  /** The agent: broker, staging dir, REST token (and staging URL secret derived from it). */
  public static Map<String, String> agent(String bootstrapServers, Path stagingDir, String token) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("kafka.bootstrap.servers", bootstrapServers);
    props.put("snapshotter.staging.dir", stagingDir.toString());
    props.put("snapshotter.request-token", token);
    props.put("snapshotter.staging.url-secret", token + "-staging");
    props.put("snapshotter.archive.chunk-size", String.valueOf(CHUNK_SIZE));
    return props;
  }

  /**
   * Target {@code name}: chain {@code litecoin}, network {@code regtest}, mode {@code full}, no
   * peers needed, quiesced by {@code quiesce}, on the regtest node at {@code dataDir} (RPC on
   * {@code rpcPort}) that the agent controls as a daemon.
   */
  public static Map<String, String> litecoinRegtest(
      String name, Path dataDir, int rpcPort, String quiesce) {
    String t = "snapshotter.targets." + name + ".";
    Map<String, String> props = new LinkedHashMap<>();
    props.put(t + "chain", "litecoin");
    props.put(t + "network", "regtest");
    props.put(t + "mode", "full");
    props.put(t + "quiesce", quiesce);
    props.put(t + "health.min-peers", "0");
    props.put(t + "node.binary", Components.litecoind().toString());
    props.put(t + "node.data-dir", dataDir.toString());
    props.put(t + "node.chain-network", "regtest");
    props.put(t + "node.rpc-port", String.valueOf(rpcPort));
    props.put(t + "node.rpc-user", LitecoinNode.RPC_USER);
    props.put(t + "node.rpc-password", LitecoinNode.RPC_PASSWORD);
    props.put(t + "node.args", String.join(",", LitecoinNode.regtestArgs()));
    return props;
  }

  /** {@link #litecoinRegtest(String, Path, int, String)} on a running node. */
  public static Map<String, String> litecoinRegtest(
      String name, LitecoinNode node, String quiesce) {
    return litecoinRegtest(name, node.dataDir(), node.rpcPort(), quiesce);
  }
}
