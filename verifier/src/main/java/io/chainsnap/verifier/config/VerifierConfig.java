package io.chainsnap.verifier.config;

import io.chainsnap.chain.ChainFamily;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The verifier's configuration. */
@ConfigMapping(prefix = "verifier")
public interface VerifierConfig {

  /** CloudEvents {@code source} of the events this service emits. */
  @WithDefault("/chainsnap/verifier")
  String eventSource();

  /** Scratch space: one directory per verification, deleted afterwards. */
  Path workDir();

  /** Longest download of one archive. */
  @WithDefault("PT2H")
  Duration downloadTimeout();

  /** Parallel ranged requests when restoring an archive from its public URL. */
  @WithDefault("4")
  int restoreConnections();

  /** How to boot a node of each chain, by chain name (e.g. {@code litecoin}). */
  Map<String, Node> chains();

  /** A node binary able to open a restored data dir. */
  interface Node {
    /**
     * The node's chain family, by adapter name: {@code bitcoin-core} (bitcoind, litecoind) or
     * {@code monero} (monerod); any other name fails at start-up.
     */
    @WithDefault("bitcoin-core")
    @WithConverter(BootableChainFamily.class)
    ChainFamily adapter();

    /** The node binary. */
    Path binary();

    /** Extra arguments; the verifier always isolates the node (no peers, loopback RPC). */
    Optional<List<String>> args();

    /** Longest wait for the restored node to answer. */
    @WithDefault("PT10M")
    Duration bootTimeout();
  }
}
