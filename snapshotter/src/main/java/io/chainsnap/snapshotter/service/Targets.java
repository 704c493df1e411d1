package io.chainsnap.snapshotter.service;

import io.chainsnap.chain.BitcoinCoreChainAdapter;
import io.chainsnap.chain.BitcoinCoreDaemon;
import io.chainsnap.events.SnapshotTarget;
import io.chainsnap.snapshotter.config.SnapshotterConfig;
import io.chainsnap.snapshotter.node.DaemonNodeController;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** The configured targets, checked once at start-up: a bad one fails with the property's name. */
@ApplicationScoped
public class Targets {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Set<String> MODES = Set.of("archive", "full", "pruned");
  private static final Set<String> QUIESCE = Set.of("stop", "pause-checkpoint");
  private static final Set<String> NETWORKS = Set.of("main", "test", "regtest", "signet");

  private final Map<String, SourceNode> nodes = new LinkedHashMap<>();

  public Targets(SnapshotterConfig config) {
    if (config.targets().isEmpty()) {
      throw new IllegalArgumentException(
          "no target configured: set snapshotter.targets.<name>.chain and the rest");
    }
    config.targets().forEach((name, target) -> nodes.put(name, build(name, target)));
  }

  private static SourceNode build(String name, SnapshotterConfig.Target target) {
    String prefix = "snapshotter.targets." + name + ".";
    require(NAME.matcher(name).matches(), prefix, "name must match " + NAME);
    require(NAME.matcher(target.chain()).matches(), prefix + "chain", "must match " + NAME);
    require(NAME.matcher(target.network()).matches(), prefix + "network", "must match " + NAME);
    require(MODES.contains(target.mode()), prefix + "mode", "must be one of " + MODES);
    require(
        QUIESCE.contains(target.quiesce()), prefix + "quiesce", "must be one of " + QUIESCE);
    require(
        target.maxPause().toMillis() >= 1000, prefix + "max-pause", "must be at least 1 second");
    SnapshotterConfig.Node node = target.node();
    require(
        node.adapter().equals("bitcoin-core"),
        prefix + "node.adapter",
        "unknown adapter '" + node.adapter() + "' (known: bitcoin-core)");
    require(
        NETWORKS.contains(node.chainNetwork()),
        prefix + "node.chain-network",
        "must be one of " + NETWORKS);
    require(
        Files.isExecutable(node.binary()),
        prefix + "node.binary",
        node.binary() + " is not an executable file");
    require(node.rpcPort() > 0 && node.rpcPort() < 65536, prefix + "node.rpc-port", "not a port");
    BitcoinCoreDaemon daemon =
        new BitcoinCoreDaemon(
            new BitcoinCoreDaemon.Config(
                node.binary(),
                node.dataDir(),
                node.chainNetwork(),
                node.rpcPort(),
                node.rpcUser(),
                node.rpcPassword(),
                node.args().orElse(List.of())));
    return new SourceNode(
        name,
        new SnapshotTarget(target.chain(), target.network(), target.mode()),
        target,
        new BitcoinCoreChainAdapter(daemon.rpc()),
        new DaemonNodeController(daemon, node.stopTimeout(), node.startTimeout()),
        daemon.config().chainDir(),
        includeFilter(target.exclude()));
  }

  /** Accepts a relative path unless an exclude glob matches it or one of its parents. */
  static Predicate<String> includeFilter(List<String> excludes) {
    List<PathMatcher> matchers =
        excludes.stream()
            .map(String::strip)
            .filter(glob -> !glob.isEmpty())
            .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob))
            .toList();
    return relative -> {
      Path path = Path.of(relative);
      for (Path p = path; p != null; p = p.getParent()) {
        Path candidate = p;
        if (matchers.stream().anyMatch(m -> m.matches(candidate))) {
          return false;
        }
      }
      return true;
    };
  }

  private static void require(boolean ok, String property, String problem) {
    if (!ok) {
      throw new IllegalArgumentException("invalid configuration " + property + ": " + problem);
    }
  }

  public Optional<SourceNode> get(String name) {
    return Optional.ofNullable(nodes.get(name));
  }

  public Collection<SourceNode> all() {
    return nodes.values();
  }
}
