package io.chainsnap.snapshotter.targets;

import io.chainsnap.archive.ArchiveFormat;
import io.chainsnap.archive.ArchiveWriter;
import io.chainsnap.archive.PathFilter;
import io.chainsnap.archive.ZstdSettings;
import io.chainsnap.chain.BitcoinCoreDaemon;
import io.chainsnap.chain.ChainAdapter;
import io.chainsnap.chain.ChainFamilies;
import io.chainsnap.chain.ChainFamily;
import io.chainsnap.domain.ByteSize;
import io.chainsnap.domain.QuiesceStrategy;
import io.chainsnap.events.SnapshotTarget;
import io.chainsnap.snapshotter.config.SnapshotterConfig;
import io.chainsnap.snapshotter.config.SystemdScope;
import io.chainsnap.snapshotter.node.DaemonNodeController;
import io.chainsnap.snapshotter.node.ExecNodeController;
import io.chainsnap.snapshotter.node.NodeController;
import io.chainsnap.snapshotter.schedule.ScheduleLedger;
import jakarta.enterprise.context.ApplicationScoped;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The configured targets, checked once at start-up: a bad one fails with the property's name. */
@ApplicationScoped
public class Targets {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Set<String> NETWORKS = Set.of("main", "test", "regtest", "signet");

  private final Map<String, SourceNode> nodes = new LinkedHashMap<>();
  private final ZstdSettings zstd;
  private final int chunkSize;
  private final int workers;

  public Targets(SnapshotterConfig config) {
    if (config.targets().isEmpty()) {
      throw new IllegalArgumentException(
          "no target configured: set snapshotter.targets.<name>.chain and the rest");
    }
    chunkSize = chunkSize(config.archive());
    workers =
        config.archive().workers() > 0
            ? config.archive().workers()
            : Runtime.getRuntime().availableProcessors();
    checkHeap(chunkSize, workers);
    zstd = zstd(config.archive());
    require(
        config.staging().retention().compareTo(config.staging().urlTtl()) > 0,
        "snapshotter.staging.retention",
        config.staging().retention()
            + " must be longer than snapshotter.staging.url-ttl ("
            + config.staging().urlTtl()
            + "): the publisher may fetch a staged snapshot until its URL expires");
    config.targets().forEach((name, target) -> nodes.put(name, build(name, target)));
  }

  private static SourceNode build(String name, SnapshotterConfig.Target target) {
    String prefix = "snapshotter.targets." + name + ".";
    require(NAME.matcher(name).matches(), prefix, "name must match " + NAME);
    require(NAME.matcher(target.chain()).matches(), prefix + "chain", "must match " + NAME);
    require(NAME.matcher(target.network()).matches(), prefix + "network", "must match " + NAME);
    String cron = target.cron().strip();
    if (!cron.equals("off")) {
      try {
        ScheduleLedger.check(cron);
      } catch (IllegalArgumentException e) {
        throw invalid(
            prefix + "cron",
            "'" + cron + "' is not a Quartz cron expression (or 'off'): " + e.getMessage());
      }
    }
    require(
        target.maxPause().toMillis() >= 1000, prefix + "max-pause", "must be at least 1 second");
    SnapshotterConfig.Node node = target.node();
    ChainFamily family =
        ChainFamilies.find(node.adapter())
            .orElseThrow(
                () ->
                    invalid(
                        prefix + "node.adapter",
                        "unknown adapter '"
                            + node.adapter()
                            + "' (known: "
                            + String.join(", ", ChainFamilies.NAMES)
                            + ")"));
    require(
        !family.privateFiles().isEmpty() || target.exclude().isPresent(),
        prefix + "exclude",
        "chainsnap does not know which files of a "
            + family.name()
            + " node are private (node keys, validator keys, keystores, locks), and snapshots are"
            + " public: list them in exclude (e.g. geth: nodekey,keystore/**; CometBFT:"
            + " priv_validator_key.json,node_key.json,priv_validator_state.json)");
    require(
        family.supportsController(node.controller().configName()),
        prefix + "node.controller",
        "'"
            + node.controller()
            + "' cannot control "
            + family.name()
            + " nodes; use one of "
            + family.controllers());
    require(
        node.rpcUrl().isPresent() || (node.rpcPort() > 0 && node.rpcPort() < 65536),
        prefix + "node.rpc-port",
        "set node.rpc-url or a node.rpc-port");
    URI rpc = URI.create(node.rpcUrl().orElse("http://127.0.0.1:" + node.rpcPort() + "/"));
    String user = node.rpcUser().orElse("");
    String password = node.rpcPassword().orElse("");
    ChainAdapter adapter = family.createAdapter(rpc, user, password, Duration.ofSeconds(60));
    Optional<ChainAdapter> reference =
        target
            .health()
            .referenceUrl()
            .map(
                url ->
                    family.createAdapter(
                        URI.create(url),
                        target.health().referenceUser().orElse(""),
                        target.health().referencePassword().orElse(""),
                        Duration.ofSeconds(30)));
    NodeController controller;
    Path chainDir = node.chainDir().orElse(node.dataDir());
    switch (node.controller()) {
      case DAEMON -> {
        require(
            NETWORKS.contains(node.chainNetwork()),
            prefix + "node.chain-network",
            "must be one of " + NETWORKS);
        Path binary =
            node.binary()
                .orElseThrow(
                    () -> invalid(prefix + "node.binary", "required by controller daemon"));
        require(
            Files.isExecutable(binary),
            prefix + "node.binary",
            binary + " is not an executable file");
        BitcoinCoreDaemon daemon =
            new BitcoinCoreDaemon(
                new BitcoinCoreDaemon.Config(
                    binary,
                    node.dataDir(),
                    node.chainNetwork(),
                    rpc.getPort(),
                    user,
                    password,
                    node.args().orElse(List.of())));
        controller = new DaemonNodeController(daemon, node.stopTimeout(), node.startTimeout());
        chainDir = node.chainDir().orElse(daemon.config().chainDir());
      }
      case EXEC -> {
        SnapshotterConfig.Exec exec = node.exec();
        controller =
            new ExecNodeController(
                exec.stop().orElseThrow(() -> invalid(prefix + "node.exec.stop", "required")),
                exec.start().orElseThrow(() -> invalid(prefix + "node.exec.start", "required")),
                exec.status().orElseThrow(() -> invalid(prefix + "node.exec.status", "required")),
                exec.pid(),
                adapter,
                node.stopTimeout(),
                node.startTimeout());
      }
      case SYSTEMD -> {
        controller =
            ExecNodeController.systemd(
                node.systemdUnit()
                    .orElseThrow(() -> invalid(prefix + "node.systemd-unit", "required")),
                node.systemdScope() == SystemdScope.USER,
                adapter,
                node.stopTimeout(),
                node.startTimeout());
      }
      case KUBERNETES -> {
        require(
            target.quiesce() != QuiesceStrategy.PAUSE_CHECKPOINT,
            prefix + "quiesce",
            "pause-checkpoint needs the node's process: not available with kubernetes");
        controller =
            ExecNodeController.kubernetes(
                node.kubernetesStatefulset()
                    .orElseThrow(() -> invalid(prefix + "node.kubernetes-statefulset", "required")),
                node.kubernetesNamespace(),
                adapter,
                node.stopTimeout(),
                node.startTimeout());
      }
      default -> throw new IllegalStateException("unhandled controller " + node.controller());
    }
    return new SourceNode(
        name,
        new SnapshotTarget(target.chain(), target.network(), target.mode()),
        target,
        adapter,
        reference,
        controller,
        chainDir,
        family,
        include(prefix, excludes(family, target)));
  }

  /** The archive writer's zstd settings, resolved and checked at start-up. */
  public ZstdSettings zstd() {
    return zstd;
  }

  /** The archive writer's chunk size in bytes, checked at start-up. */
  public int chunkSize() {
    return chunkSize;
  }

  /** The archive writer's compression threads (all cores unless configured). */
  public int workers() {
    return workers;
  }

  private static int chunkSize(SnapshotterConfig.Archive archive) {
    try {
      return archive
          .chunkSize()
          .toIntBetween(ArchiveFormat.MIN_CHUNK_SIZE, ArchiveFormat.MAX_CHUNK_SIZE);
    } catch (IllegalArgumentException e) {
      throw invalid("snapshotter.archive.chunk-size", e.getMessage());
    }
  }

  /**
   * The writer's zstd settings from {@code snapshotter.archive.level} and {@code zstd-parameters}
   * ({@link ZstdSettings#resolve}).
   */
  private static ZstdSettings zstd(SnapshotterConfig.Archive archive) {
    Integer level = archive.level().orElse(null);
    if (level != null) {
      try {
        ZstdSettings.level(level);
      } catch (IllegalArgumentException e) {
        throw invalid("snapshotter.archive.level", e.getMessage());
      }
    }
    try {
      return ZstdSettings.resolve(level, archive.zstdParameters().orElse(null));
    } catch (IllegalArgumentException e) {
      throw invalid("snapshotter.archive.zstd-parameters", e.getMessage());
    }
  }

  /**
   * The archive writer keeps up to workers + 1 compressed chunks in direct (off-heap) buffers
   * ({@link ArchiveWriter#maxBufferBytes()}): refuse a chunk size this JVM cannot hold rather than
   * fail half way through a snapshot.
   */
  static void checkHeap(int chunkSize, int workers) {
    long needed;
    try {
      needed =
          ArchiveWriter.builder().chunkSize(chunkSize).workers(workers).build().maxBufferBytes();
    } catch (IllegalArgumentException e) {
      throw invalid("snapshotter.archive", e.getMessage());
    }
    long direct = maxDirectMemory();
    require(
        needed <= direct * 3 / 4,
        "snapshotter.archive.chunk-size",
        new ByteSize(chunkSize)
            + " with "
            + workers
            + " workers needs about "
            + (needed >> 20)
            + " MiB of direct memory, this JVM allows "
            + (direct >> 20)
            + " MiB: lower chunk-size or workers, or raise -XX:MaxDirectMemorySize (default: -Xmx)");
  }

  /** The JVM's direct memory limit: -XX:MaxDirectMemorySize if given, else the maximum heap. */
  static long maxDirectMemory() {
    long limit = Runtime.getRuntime().maxMemory();
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("-XX:MaxDirectMemorySize=")) {
        long parsed = parseJvmSize(arg.substring("-XX:MaxDirectMemorySize=".length()));
        if (parsed > 0) {
          limit = parsed;
        }
      }
    }
    return limit;
  }

  /** A JVM size option value (digits with an optional k, m, g or t suffix); -1 if unreadable. */
  static long parseJvmSize(String value) {
    try {
      return ByteSize.of(value).bytes();
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }

  /** What goes into the archive: every path no exclude glob matches ({@link PathFilter}). */
  private static PathFilter include(String prefix, List<String> excludes) {
    try {
      return PathFilter.excluding(excludes);
    } catch (IllegalArgumentException e) {
      throw invalid(prefix + "exclude", e.getMessage());
    }
  }

  /** The family's private files, which never leave the machine, and the target's own excludes. */
  private static List<String> excludes(ChainFamily family, SnapshotterConfig.Target target) {
    List<String> all = new ArrayList<>(family.privateFiles());
    all.addAll(target.exclude().orElse(List.of()));
    return all;
  }

  private static void require(boolean ok, String property, String problem) {
    if (!ok) {
      throw invalid(property, problem);
    }
  }

  private static IllegalArgumentException invalid(String property, String problem) {
    return new IllegalArgumentException("invalid configuration " + property + ": " + problem);
  }

  public Optional<SourceNode> get(String name) {
    return Optional.ofNullable(nodes.get(name));
  }

  public Collection<SourceNode> all() {
    return nodes.values();
  }
}
