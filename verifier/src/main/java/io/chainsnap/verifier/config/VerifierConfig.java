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

    /** Longest wait for the restored node to answer; also for each deeper check. */
    @WithDefault("PT10M")
    Duration bootTimeout();

    /** Bitcoin Core family: the node's {@code verifychain} after the tip matched. */
    VerifyChain verifychain();

    /**
     * Bitcoin Core family: read the UTXO set hash ({@code gettxoutsetinfo}) and record it in the
     * verdict and the index.
     */
    @WithDefault("true")
    boolean utxoSetHash();
  }

  /** {@code verifychain <level> <blocks>} on the restored node (Bitcoin Core family only). */
  interface VerifyChain {
    /** Whether to run it; a false answer rejects the snapshot at {@code tip}. */
    @WithDefault("true")
    boolean enabled();

    /** checklevel, 0 to 4 (Bitcoin Core's default 3: blocks, undo data, disconnecting the tip). */
    @WithDefault("3")
    int level();

    /** nblocks: how many blocks back from the tip, 0 for all (Bitcoin Core's default 6). */
    @WithDefault("6")
    int blocks();
  }

  /** Periodic re-verification of every verified snapshot of the published indexes. */
  Reverify reverify();

  /** {@code verifier.reverify.*}. */
  interface Reverify {
    /** Whether the re-checks run at all. */
    @WithDefault("true")
    boolean enabled();

    /** How often the scheduler looks whether a pass is due ({@code @Scheduled}). */
    @WithDefault("1m")
    String tick();

    /**
     * Cheap pass: HEAD of every https source (status, size, {@code x-amz-meta-sha256}), the
     * manifest reachable, the IPFS CID retrievable through the gateway (a 1-byte range).
     */
    @WithDefault("PT1H")
    Duration cheapEvery();

    /** Sampled pass: {@link #sampledChunks} random chunks re-downloaded and hashed. */
    @WithDefault("PT6H")
    Duration sampleEvery();

    /** Full pass: restore and boot again, as at the first verification. */
    @WithDefault("P7D")
    Duration fullEvery();

    /** Chunks per snapshot the sampled pass re-downloads (all of them if there are fewer). */
    @WithDefault("4")
    int sampledChunks();

    /**
     * {@code index.json} URLs to re-check; the verifier also learns them from {@code
     * snapshot-published} events ({@code indexUrl}).
     */
    Optional<List<String>> indexUrls();
  }
}
