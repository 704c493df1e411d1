package io.chainsnap.snapshotter.service;

import io.chainsnap.archive.ArchiveManifest;
import io.chainsnap.archive.ArchiveWriter;
import io.chainsnap.archive.FileTrees;
import io.chainsnap.archive.ProgressListener;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.chain.ChainStatus;
import io.chainsnap.domain.QuiesceStrategy;
import io.chainsnap.domain.Sha256;
import io.chainsnap.domain.SkipReason;
import io.chainsnap.domain.SnapshotId;
import io.chainsnap.domain.Trigger;
import io.chainsnap.events.ArchiveRef;
import io.chainsnap.events.SnapshotCreated;
import io.chainsnap.snapshotter.config.SnapshotterConfig;
import io.chainsnap.snapshotter.messaging.SnapshotEvents;
import io.chainsnap.snapshotter.quiesce.Archiver;
import io.chainsnap.snapshotter.quiesce.Capture;
import io.chainsnap.snapshotter.quiesce.Quiescer;
import io.chainsnap.snapshotter.staging.StagingSpace;
import io.chainsnap.snapshotter.staging.StagingUrls;
import io.chainsnap.snapshotter.targets.SourceNode;
import io.chainsnap.snapshotter.targets.Targets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Takes one snapshot of one target: health gate, staging space, the node's network off, the tip,
 * then the target's {@link Quiescer} captures the data dir into a staged archive (and resumes the
 * node, always); then {@code snapshot.json} is written and {@code snapshot-created} emitted. The
 * caller ({@link SnapshotRunner}) guarantees one run per target at a time.
 */
@ApplicationScoped
public class SnapshotService {
  private static final Logger LOG = Logger.getLogger(SnapshotService.class);

  private final SnapshotterConfig config;
  private final Targets targets;
  private final HealthGate gate;
  private final StagingSpace stagingSpace;
  private final SnapshotEvents events;
  private final StagingUrls stagingUrls;
  private final SnapshotMetrics metrics;
  private final Map<QuiesceStrategy, Quiescer> quiescers = new EnumMap<>(QuiesceStrategy.class);

  public SnapshotService(
      SnapshotterConfig config,
      Targets targets,
      HealthGate gate,
      StagingSpace stagingSpace,
      SnapshotEvents events,
      StagingUrls stagingUrls,
      Instance<Quiescer> quiescers,
      SnapshotMetrics metrics) {
    this.config = config;
    this.targets = targets;
    this.gate = gate;
    this.stagingSpace = stagingSpace;
    this.events = events;
    this.stagingUrls = stagingUrls;
    this.metrics = metrics;
    quiescers.forEach(q -> this.quiescers.put(q.strategy(), q));
  }

  /** Runs a snapshot of {@code node} now; {@link SnapshotRefusedException} if it may not. */
  public SnapshotResult snapshot(SourceNode node, Trigger trigger) {
    MDC.put("target", node.name());
    try {
      return run(node, trigger);
    } finally {
      MDC.remove("snapshotId");
      MDC.remove("target");
    }
  }

  private SnapshotResult run(SourceNode node, Trigger trigger) {
    long started = System.nanoTime();
    gate.check(node);
    stagingSpace
        .shortfall(node)
        .ifPresent(
            problem -> {
              LOG.warnf("snapshot of %s refused: %s", node.name(), problem);
              throw new SnapshotRefusedException(SkipReason.STAGING_SPACE, problem);
            });
    LOG.infof("snapshot of %s started (%s)", node.name(), trigger);

    Quiescer quiescer = quiescers.get(node.config().quiesce());
    // No new blocks while we read the tip and quiesce: the tip we record is the tip on disk.
    node.adapter().setNetworkActive(false);
    ChainStatus tip;
    try {
      tip = quiescer.tip(node);
    } catch (RuntimeException e) {
      node.adapter().setNetworkActive(true);
      throw e;
    }
    Instant takenAt = Instant.now();
    String snapshotId =
        SnapshotId.of(
            node.target().chain(),
            node.target().network(),
            node.target().mode(),
            takenAt,
            tip.height());
    MDC.put("snapshotId", snapshotId);
    Path dir = config.staging().dir().resolve(snapshotId);
    Path partial = dir.resolve("snapshot.tar.zst.partial");
    Capture capture;
    try {
      Files.createDirectories(dir);
      capture = quiescer.capture(node, snapshotId, archiver(node, partial));
    } catch (IOException e) {
      deleteQuietly(dir);
      node.adapter().setNetworkActive(true);
      throw new UncheckedIOException("cannot write staging " + dir, e);
    } catch (RuntimeException | Error e) {
      deleteQuietly(dir);
      throw e;
    }
    SnapshotCreated event = stage(node, snapshotId, dir, partial, tip, takenAt, capture);
    long durationMillis = (System.nanoTime() - started) / 1_000_000;
    metrics.created(node, capture, durationMillis);
    ArchiveManifest manifest = capture.manifest();
    LOG.infof(
        "snapshot %s of %s done: height %d, %d files, %d -> %d bytes, node down %d ms, %d ms in all",
        snapshotId,
        node.name(),
        tip.height(),
        manifest.fileCount(),
        manifest.contentSize(),
        manifest.compressedSize(),
        capture.downtimeMillis(),
        durationMillis);
    return new SnapshotResult(event, dir, durationMillis);
  }

  /**
   * Publishes the staged archive: renames it, writes {@code snapshot.json} durably and emits {@code
   * snapshot-created}. A failure before the emit deletes the staged files; a failure of the emit
   * keeps them (the event may have reached the broker all the same: staging cleanup removes them
   * once the snapshot is published or rejected).
   */
  private SnapshotCreated stage(
      SourceNode node,
      String snapshotId,
      Path dir,
      Path partial,
      ChainStatus tip,
      Instant takenAt,
      Capture capture) {
    ArchiveManifest manifest = capture.manifest();
    byte[] json;
    try {
      Files.move(partial, dir.resolve("snapshot.tar.zst"), StandardCopyOption.ATOMIC_MOVE);
      SnapshotMetadata metadata =
          new SnapshotMetadata(
              SnapshotMetadata.FORMAT_VERSION,
              snapshotId,
              node.target().chain(),
              node.target().network(),
              node.target().mode(),
              tip.clientVersion(),
              tip.height(),
              tip.bestBlockHash(),
              takenAt,
              node.config().quiesce(),
              capture.downtimeMillis(),
              manifest);
      json = metadata.toJson();
      // durable before the event announces it with its hash
      FileTrees.writeDurably(dir.resolve(SnapshotMetadata.FILE_NAME), json);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(dir);
      throw e instanceof IOException io
          ? new UncheckedIOException("cannot finish staging " + dir, io)
          : (RuntimeException) e;
    }
    SnapshotCreated event =
        new SnapshotCreated(
            snapshotId,
            node.target(),
            tip.height(),
            tip.bestBlockHash(),
            tip.clientVersion(),
            takenAt,
            node.config().quiesce(),
            capture.downtimeMillis(),
            new ArchiveRef(
                stagingUrls.url(snapshotId, "snapshot.tar.zst"),
                stagingUrls.url(snapshotId, SnapshotMetadata.FILE_NAME),
                manifest.sha256(),
                Sha256.hex(json),
                manifest.compressedSize(),
                manifest.contentSize(),
                manifest.fileCount(),
                manifest.chunks().size(),
                manifest.formatVersion()));
    try {
      events.created(event);
    } catch (RuntimeException e) {
      metrics.failed(node, "emit");
      throw e;
    }
    return event;
  }

  /** Writes the archive of a directory into {@code partial} with the agent's writer settings. */
  private Archiver archiver(SourceNode node, Path partial) {
    return source -> {
      ArchiveWriter writer =
          ArchiveWriter.builder()
              .chunkSize(targets.chunkSize())
              .zstd(targets.zstd())
              .workers(targets.workers())
              .filter(node.include())
              .progress(new ProgressLog(node.name()))
              .build();
      try {
        return writer.write(source, partial);
      } catch (RuntimeException e) {
        metrics.failed(node, "archive");
        LOG.errorf(e, "archiving %s failed", node.name());
        throw e;
      }
    };
  }

  private static void deleteQuietly(Path dir) {
    if (!FileTrees.deleteQuietly(dir)) {
      LOG.warnf("could not clean %s", dir);
    }
  }

  /** Logs archive progress every 10%. */
  private static final class ProgressLog implements ProgressListener {
    private final String target;
    private int lastDecile = -1;

    ProgressLog(String target) {
      this.target = target;
    }

    @Override
    public void onProgress(long done, long total) {
      if (total < 0) {
        return; // the data dir is still being listed; deciles start once its size is known
      }
      int decile = total == 0 ? 0 : (int) (done * 10 / total);
      if (decile != lastDecile) {
        lastDecile = decile;
        LOG.infof("archiving %s: %d%% (%d of %d bytes)", target, decile * 10, done, total);
      }
    }
  }
}
