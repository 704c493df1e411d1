package io.chainsnap.snapshotter.targets;

import io.chainsnap.chain.ChainAdapter;
import io.chainsnap.chain.ChainFamily;
import io.chainsnap.events.SnapshotTarget;
import io.chainsnap.snapshotter.config.SnapshotterConfig;
import io.chainsnap.snapshotter.node.NodeController;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One configured target at run time: what it is, how to read and control its node, where its data
 * is, and which paths never leave the machine.
 *
 * @param name target name
 * @param target chain, network, mode
 * @param config the target's configuration
 * @param adapter reads the node's status
 * @param reference an independent node of the same chain to compare heights with, if configured
 * @param controller stops and starts the node
 * @param chainDir the directory a snapshot captures
 * @param family what chainsnap knows of the node's chain: files never modified in place, ...
 * @param include accepts the relative paths that go into the archive
 */
public record SourceNode(
    String name,
    SnapshotTarget target,
    SnapshotterConfig.Target config,
    ChainAdapter adapter,
    Optional<ChainAdapter> reference,
    NodeController controller,
    Path chainDir,
    ChainFamily family,
    Predicate<String> include) {}
