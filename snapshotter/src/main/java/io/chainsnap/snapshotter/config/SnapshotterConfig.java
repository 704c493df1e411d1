package io.chainsnap.snapshotter.config;

import io.chainsnap.domain.ByteSize;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.QuiesceStrategy;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The snapshotter's configuration: staging, and one or more targets (source nodes). */
@ConfigMapping(prefix = "snapshotter")
public interface SnapshotterConfig {

  /** CloudEvents {@code source} of the events this agent emits. */
  @WithDefault("/chainsnap/snapshotter")
  String eventSource();

  /** Bearer token the REST trigger requires; no token configured means the trigger is closed. */
  Optional<String> requestToken();

  /** {@code snapshot-requested} events older than this are ignored (stale requests). */
  @WithDefault("PT1H")
  Duration requestMaxAge();

  /** Where archives are written and served from until they are published. */
  Staging staging();

  /** Archive writer settings. */
  Archive archive();

  /** The source nodes this agent snapshots, by target name (lower-case, digits, dashes). */
  Map<String, Target> targets();

  /** Staging area. */
  interface Staging {
    /** Directory of staged snapshots, one sub-directory per snapshot id. */
    Path dir();

    /**
     * Base URL under which the staging directory is served to the publisher (claim check). Empty:
     * {@code http://127.0.0.1:<http port>/staging}.
     */
    Optional<String> baseUrl();

    /**
     * Secret that signs staging URLs (HMAC-SHA256): only holders of a URL from a {@code
     * snapshot-created} event can fetch staged files. Empty: a random secret per start (URLs of
     * earlier runs then stop working after a restart: set one in production).
     */
    Optional<String> urlSecret();

    /** How long a staging URL stays valid. */
    @WithDefault("P7D")
    Duration urlTtl();

    /**
     * A staged snapshot never settled (no {@code snapshot-published} or {@code snapshot-rejected}
     * arrived, e.g. the publisher was down or the event was dead-lettered) is deleted this long
     * after its last file was written. Must be longer than {@link #urlTtl()}: until then the
     * publisher may still fetch it.
     */
    @WithDefault("P8D")
    Duration retention();

    /**
     * Refuse to start a snapshot unless staging has this much more free space than the data (a
     * size: bytes, or with k, M, G, T).
     */
    @WithDefault("64M")
    ByteSize minFreeSpace();
  }

  /** Archive writer settings. */
  interface Archive {
    /**
     * Uncompressed size of each independent zstd frame (a size: bytes, or with k, M, G; 4k to
     * 256M).
     */
    @WithDefault("64M")
    ByteSize chunkSize();

    /**
     * zstd level. Alone, a plain level (without the default parameters); with {@link
     * #zstdParameters()}, the level they apply on top of. Default 3.
     */
    Optional<Integer> level();

    /**
     * zstd parameters over the level, as {@code zstd --zstd=} takes them ({@code none}: the plain
     * level). Default when no level is set either: {@code strategy=1,hashLog=18,minMatch=6} ({@code
     * ZstdSettings.DEFAULT}).
     */
    Optional<String> zstdParameters();

    /** Compression threads; 0 means all cores. */
    @WithDefault("0")
    int workers();
  }

  /** One source-of-truth node and how to snapshot it. */
  interface Target {
    /** Chain, e.g. {@code litecoin}. */
    String chain();

    /** Network as published, e.g. {@code mainnet}, {@code regtest}. */
    String network();

    /** {@code archive}, {@code full} or {@code pruned}. */
    @WithDefault("full")
    Mode mode();

    /** Cron expression (Quarkus/Quartz syntax) of scheduled snapshots, or {@code off}. */
    @WithDefault("off")
    String cron();

    /**
     * How the node is quiesced: {@code stop} (stop, archive, start: down for the whole archive
     * time) or {@code pause-checkpoint} (flush, freeze, checkpoint the data dir in seconds, thaw,
     * then archive the checkpoint while the node runs).
     */
    @WithDefault("stop")
    QuiesceStrategy quiesce();

    /**
     * Longest a node may stay frozen with {@code pause-checkpoint}: past it, a watchdog process
     * resumes the node even if this agent is gone (killed, crashed).
     */
    @WithDefault("PT30S")
    Duration maxPause();

    /** The node and how to control it. */
    Node node();

    /**
     * Paths never archived besides the chain family's private files (wallets, keys, locks, logs,
     * peer lists: {@code ChainFamily.privateFiles()}), as globs relative to the chain dir: a
     * pattern without {@code /} matches a name at any depth, one with {@code /} the whole relative
     * path.
     */
    Optional<List<String>> exclude();

    /** When the node counts as healthy enough to snapshot. */
    Health health();
  }

  /** The node: how to read its status (adapter) and how to stop and start it (controller). */
  interface Node {
    /**
     * Chain adapter: {@code bitcoin-core} (bitcoind, litecoind), {@code monero}, {@code ethereum},
     * {@code near}, {@code substrate}, {@code tezos}, {@code cometbft}.
     */
    @WithDefault("bitcoin-core")
    String adapter();

    /**
     * How the node is stopped and started: {@code daemon} (this agent runs a Bitcoin Core family
     * binary as a daemon), {@code exec} (your commands), {@code systemd} (a unit), {@code
     * kubernetes} (scale a StatefulSet with kubectl).
     */
    @WithDefault("daemon")
    NodeControllerType controller();

    /** RPC endpoint; empty: {@code http://127.0.0.1:<rpc-port>/}. */
    Optional<String> rpcUrl();

    /** Node binary, e.g. {@code /usr/lib/litecoin/litecoind} (controller {@code daemon}). */
    Optional<Path> binary();

    /** The node's data dir ({@code -datadir} for {@code daemon}). */
    Path dataDir();

    /**
     * The directory a snapshot captures; empty: the network's directory under the data dir for
     * {@code daemon} (e.g. {@code regtest/}), the data dir itself otherwise.
     */
    Optional<Path> chainDir();

    /** Commands of the {@code exec} controller. */
    Exec exec();

    /** The unit of the {@code systemd} controller, e.g. {@code litecoind.service}. */
    Optional<String> systemdUnit();

    /**
     * Which manager owns the unit: {@code system} ({@code systemctl}) or {@code user} ({@code
     * systemctl --user}; the agent's {@code XDG_RUNTIME_DIR} names that manager, e.g. {@code
     * /run/user/1000} for a lingering user).
     */
    @WithDefault("system")
    SystemdScope systemdScope();

    /** The StatefulSet of the {@code kubernetes} controller. */
    Optional<String> kubernetesStatefulset();

    /** Its namespace. */
    @WithDefault("default")
    String kubernetesNamespace();

    /** The node's network flag: {@code main}, {@code test} or {@code regtest}. */
    @WithName("chain-network")
    @WithDefault("main")
    String chainNetwork();

    /** RPC port on 127.0.0.1 (used when {@code rpc-url} is empty). */
    @WithDefault("0")
    int rpcPort();

    /** RPC user. */
    Optional<String> rpcUser();

    /** RPC password. */
    Optional<String> rpcPassword();

    /** Further node arguments, exactly as the node is normally started. */
    Optional<List<String>> args();

    /** Longest wait for the node to stop cleanly. */
    @WithDefault("120s")
    Duration stopTimeout();

    /** Longest wait for the node to answer again after a start. */
    @WithDefault("300s")
    Duration startTimeout();
  }

  /** Shell commands (run with {@code sh -c}) that control a node. */
  interface Exec {
    /** Stops the node; returns once it has exited. */
    Optional<String> stop();

    /** Starts the node (may return before it answers: the agent waits for its RPC). */
    Optional<String> start();

    /** Exits 0 while the node runs. */
    Optional<String> status();

    /** Prints the node's process id (needed by {@code pause-checkpoint}). */
    Optional<String> pid();
  }

  /** Health gate. */
  interface Health {
    /** Fewest connected peers a node may have to be snapshotted (0 for an isolated regtest). */
    @WithDefault("1")
    int minPeers();

    /**
     * An independent node of the same chain (same adapter) to compare heights with; empty: no
     * comparison.
     */
    Optional<String> referenceUrl();

    /** RPC user of the reference. */
    Optional<String> referenceUser();

    /** RPC password of the reference. */
    Optional<String> referencePassword();

    /** Most blocks the node may be behind the reference. */
    @WithDefault("2")
    long maxLag();
  }
}
