package io.chainsnap.snapshotter.service;

import io.chainsnap.archive.ArchiveManifest;
import io.chainsnap.archive.ArchiveWriter;
import io.chainsnap.archive.FileTrees;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.chain.ChainStatus;
import io.chainsnap.events.ArchiveRef;
import io.chainsnap.events.SnapshotCreated;
import io.chainsnap.snapshotter.config.SnapshotterConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Takes one snapshot of one target with the {@code stop} strategy: health gate, isolate the node
 * from the network and read its tip, stop it, archive its data dir into staging, start it again
 * (always, in a finally block), then write {@code snapshot.json} and emit {@code snapshot-created}.
 * One run per target at a time.
 */
@ApplicationScoped
public class SnapshotService {
  private static final Logger LOG = Logger.getLogger(SnapshotService.class);
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

  private final SnapshotterConfig config;
  private final Targets targets;
  private final HealthGate gate;
  private final SnapshotEvents events;
  private final StagingUrls stagingUrls;
  private final MeterRegistry metrics;
  private final StoppedMarker stoppedMarker;
  private final Checkpointer checkpointer;
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();
  private final Map<String, String> nodeFailures = new ConcurrentHashMap<>();

  public SnapshotService(
      SnapshotterConfig config,
      Targets targets,
      HealthGate gate,
      SnapshotEvents events,
      StagingUrls stagingUrls,
      StoppedMarker stoppedMarker,
      Checkpointer checkpointer,
      MeterRegistry metrics) {
    this.stoppedMarker = stoppedMarker;
    this.checkpointer = checkpointer;
    this.config = config;
    this.targets = targets;
    this.gate = gate;
    this.events = events;
    this.stagingUrls = stagingUrls;
    this.metrics = metrics;
    for (SourceNode node : targets.all()) {
      AtomicLong gauge =
          metrics.gauge(
              "chainsnap.snapshot.last.success.timestamp",
              Tags.of("target", node.name()),
              new AtomicLong());
      lastSuccess.put(node.name(), gauge);
    }
  }

  /** Runs a snapshot of {@code targetName} now; {@link SnapshotRefusedException} if it cannot. */
  public SnapshotResult snapshot(String targetName, String trigger) {
    SourceNode node =
        targets
            .get(targetName)
            .orElseThrow(
                () ->
                    new SnapshotRefusedException(
                        "unknown-target", "no target named '" + targetName + "'"));
    ReentrantLock lock = locks.computeIfAbsent(node.name(), n -> new ReentrantLock());
    if (!lock.tryLock()) {
      refused(node, "busy");
      throw new SnapshotRefusedException(
          "busy", "a snapshot of " + node.name() + " is already running");
    }
    MDC.put("target", node.name());
    try {
      return run(node, trigger);
    } finally {
      MDC.remove("snapshotId");
      MDC.remove("target");
      lock.unlock();
    }
  }

  private SnapshotResult run(SourceNode node, String trigger) {
    long started = System.nanoTime();
    try {
      gate.check(node);
    } catch (SnapshotRefusedException e) {
      refused(node, e.reason());
      throw e;
    }
    checkStagingSpace(node);
    LOG.infof("snapshot of %s started (%s)", node.name(), trigger);

    boolean pause = node.config().quiesce().equals("pause-checkpoint");
    // No new blocks while we read the tip and quiesce: the tip we record is the tip on disk.
    node.adapter().setNetworkActive(false);
    ChainStatus tip;
    try {
      // a pause copies files as they are: the node writes its state first, and we take the tip
      // that write describes
      tip = pause ? node.adapter().flush() : node.adapter().status();
    } catch (RuntimeException e) {
      node.adapter().setNetworkActive(true);
      throw e;
    }
    Instant takenAt = Instant.now();
    String snapshotId = snapshotId(node, takenAt, tip.height());
    MDC.put("snapshotId", snapshotId);
    Path dir = config.staging().dir().resolve(snapshotId);
    Path archive = dir.resolve("snapshot.tar.zst");
    Path partial = dir.resolve("snapshot.tar.zst.partial");
    String quiesce = node.config().quiesce();
    Capture capture =
        pause
            ? captureByPause(node, dir, partial, tip)
            : captureByStop(node, dir, partial, snapshotId, tip);
    ArchiveManifest manifest = capture.manifest();
    long downtimeMillis = capture.downtimeMillis();
    try {
      Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
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
              quiesce,
              downtimeMillis,
              manifest);
      byte[] json = metadata.toJson();
      // durable before the event announces it with its hash
      FileTrees.writeDurably(dir.resolve(SnapshotMetadata.FILE_NAME), json);
      SnapshotCreated event =
          new SnapshotCreated(
              snapshotId,
              node.target(),
              tip.height(),
              tip.bestBlockHash(),
              tip.clientVersion(),
              takenAt,
              quiesce,
              downtimeMillis,
              new ArchiveRef(
                  stagingUrls.url(snapshotId, "snapshot.tar.zst"),
                  stagingUrls.url(snapshotId, SnapshotMetadata.FILE_NAME),
                  manifest.sha256(),
                  sha256(json),
                  manifest.compressedSize(),
                  manifest.contentSize(),
                  manifest.fileCount(),
                  manifest.chunks().size(),
                  manifest.formatVersion()));
      events.created(event);
      long durationMillis = (System.nanoTime() - started) / 1_000_000;
      record(node, quiesce, manifest, downtimeMillis, durationMillis);
      LOG.infof(
          "snapshot %s of %s done: height %d, %d files, %d -> %d bytes, node down %d ms, %d ms in"
              + " all",
          snapshotId,
          node.name(),
          tip.height(),
          manifest.fileCount(),
          manifest.contentSize(),
          manifest.compressedSize(),
          downtimeMillis,
          durationMillis);
      return new SnapshotResult(event, dir, durationMillis);
    } catch (IOException e) {
      deleteQuietly(dir);
      throw new UncheckedIOException("cannot finish staging " + dir, e);
    } catch (RuntimeException e) {
      // the event may have reached the broker all the same: keep the staged files for the
      // publisher; staging cleanup removes them once the snapshot is published or rejected
      failed(node, "emit");
      throw e;
    }
  }

  /** What quiescing and archiving produced. */
  private record Capture(ArchiveManifest manifest, long downtimeMillis) {}

  /** {@code stop}: stop the node, archive its data dir, start it (always). */
  private Capture captureByStop(
      SourceNode node, Path dir, Path partial, String snapshotId, ChainStatus tip) {
    long downSince = System.nanoTime();
    ArchiveManifest manifest = null;
    RuntimeException failure = null;
    boolean nodeStopped = false;
    try {
      Files.createDirectories(dir);
      stoppedMarker.set(node, snapshotId);
      node.controller().stop();
      nodeStopped = true;
      LOG.infof(
          "%s stopped at height %d, archiving %s", node.name(), tip.height(), node.chainDir());
      manifest = writeArchive(node, node.chainDir(), partial);
    } catch (IOException e) {
      failure = new UncheckedIOException("cannot write staging " + dir, e);
    } catch (RuntimeException e) {
      failure = e;
    } catch (Error e) {
      // out of memory and the like: resume the node first, then let it propagate
      failure = new IllegalStateException("snapshot aborted by " + e, e);
    }
    // whatever happened above, the node serves again before anything else is done
    failure = resumeAfter(node, nodeStopped, failure);
    if (failure == null) {
      stoppedMarker.clear(node);
    }
    long downtimeMillis = (System.nanoTime() - downSince) / 1_000_000;
    if (failure != null) {
      deleteQuietly(dir);
      throw failure;
    }
    return new Capture(manifest, downtimeMillis);
  }

  /**
   * {@code pause-checkpoint}: freeze the node for a checkpoint of its data dir (seconds), thaw it,
   * then archive the checkpoint while the node runs on.
   */
  private Capture captureByPause(SourceNode node, Path dir, Path partial, ChainStatus tip) {
    Checkpointer.Checkpoint checkpoint = null;
    RuntimeException failure = null;
    try {
      Files.createDirectories(dir);
      // if this agent dies during the pause, its next start turns the node's network back on
      stoppedMarker.set(node, dir.getFileName().toString());
      checkpoint = checkpointer.take(node, config.staging().dir());
    } catch (IOException e) {
      failure = new UncheckedIOException("cannot write staging " + dir, e);
    } catch (RuntimeException e) {
      failure = e;
    } catch (Error e) {
      // out of memory and the like: resume the node first, then let it propagate
      failure = new IllegalStateException("snapshot aborted by " + e, e);
    }
    failure = resumeAfter(node, false, failure);
    if (failure == null) {
      stoppedMarker.clear(node);
    }
    if (failure != null) {
      deleteQuietly(dir);
      if (checkpoint != null) {
        Checkpointer.deleteTree(checkpoint.dir());
      }
      throw failure;
    }
    LOG.infof(
        "%s checkpointed at height %d (frozen %d ms), archiving the checkpoint",
        node.name(), tip.height(), checkpoint.frozenMillis());
    try {
      return new Capture(writeArchive(node, checkpoint.dir(), partial), checkpoint.frozenMillis());
    } catch (IOException e) {
      deleteQuietly(dir);
      throw new UncheckedIOException("cannot write staging " + dir, e);
    } catch (RuntimeException e) {
      deleteQuietly(dir);
      throw e;
    } finally {
      Checkpointer.deleteTree(checkpoint.dir());
    }
  }

  /** Resumes the node; a failure to resume joins (or becomes) the run's failure. */
  private RuntimeException resumeAfter(SourceNode node, boolean stopped, RuntimeException failure) {
    try {
      resume(node, stopped);
      return failure;
    } catch (RuntimeException e) {
      if (failure == null) {
        return e;
      }
      failure.addSuppressed(e);
      return failure;
    }
  }

  private ArchiveManifest writeArchive(SourceNode node, Path source, Path partial)
      throws IOException {
    SnapshotterConfig.Archive settings = config.archive();
    ArchiveWriter writer =
        ArchiveWriter.builder()
            .chunkSize(settings.chunkSize())
            .zstd(targets.zstd())
            .workers(
                settings.workers() > 0
                    ? settings.workers()
                    : Runtime.getRuntime().availableProcessors())
            .filter(node.include())
            .progress(new ProgressLog(node.name()))
            .build();
    try {
      return writer.write(source, partial);
    } catch (RuntimeException e) {
      failed(node, "archive");
      LOG.errorf(e, "archiving %s failed", node.name());
      throw e;
    }
  }

  /**
   * Brings the node back to serving: started again if it was stopped (or is not running), its
   * network switched back on otherwise. A node that will not come back is the worst outcome, so it
   * is logged loudly, counted, and turns readiness DOWN.
   */
  void resume(SourceNode node, boolean stopped) {
    try {
      if (stopped || !node.controller().isRunning()) {
        node.controller().start();
        LOG.infof("%s started again", node.name());
      } else {
        node.adapter().setNetworkActive(true);
      }
      nodeFailures.remove(node.name());
    } catch (RuntimeException e) {
      nodeFailures.put(node.name(), String.valueOf(e.getMessage()));
      failed(node, "restart");
      LOG.errorf(e, "SOURCE NODE %s DID NOT START AGAIN: operator action needed", node.name());
      throw e;
    }
  }

  /** Targets whose node failed to start again after a snapshot, with the error. */
  public Map<String, String> nodeFailures() {
    return Map.copyOf(nodeFailures);
  }

  private void checkStagingSpace(SourceNode node) {
    try {
      Path staging = Files.createDirectories(config.staging().dir());
      long needed = directorySize(node.chainDir()) + parseSize(config.staging().minFreeSpace());
      long free = Files.getFileStore(staging).getUsableSpace();
      if (free < needed) {
        refused(node, "staging-space");
        String message = "staging " + staging + " has " + free + " bytes free, needs " + needed;
        LOG.warnf("snapshot of %s refused: %s", node.name(), message);
        throw new SnapshotRefusedException("staging-space", message);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check staging space", e);
    }
  }

  static long directorySize(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  return 0; // vanished while walking (logs, locks): not ours to archive anyway
                }
              })
          .sum();
    }
  }

  static long parseSize(String size) {
    String s = size.strip().toUpperCase();
    long unit = 1;
    char last = s.charAt(s.length() - 1);
    if (Character.isLetter(last)) {
      unit =
          switch (last) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            case 'T' -> 1L << 40;
            default -> throw new IllegalArgumentException("bad size " + size);
          };
      s = s.substring(0, s.length() - 1);
    }
    return Long.parseLong(s) * unit;
  }

  static String snapshotId(SourceNode node, Instant takenAt, long height) {
    return (node.target().chain()
            + "-"
            + node.target().network()
            + "-"
            + node.target().mode()
            + "-"
            + ID_TIME.format(takenAt)
            + "-"
            + height)
        .toLowerCase();
  }

  private void record(
      SourceNode node,
      String quiesce,
      ArchiveManifest manifest,
      long downtimeMillis,
      long durationMillis) {
    Tags tags = Tags.of("target", node.name());
    metrics
        .timer("chainsnap.snapshot.duration", tags)
        .record(java.time.Duration.ofMillis(durationMillis));
    metrics
        .timer("chainsnap.snapshot.node.downtime", tags.and("strategy", quiesce))
        .record(java.time.Duration.ofMillis(downtimeMillis));
    metrics.summary("chainsnap.snapshot.compressed.bytes", tags).record(manifest.compressedSize());
    metrics.counter("chainsnap.snapshot.created", tags).increment();
    lastSuccess.get(node.name()).set(Instant.now().getEpochSecond());
  }

  private void refused(SourceNode node, String reason) {
    metrics
        .counter("chainsnap.snapshot.refused", "target", node.name(), "reason", reason)
        .increment();
  }

  private void failed(SourceNode node, String stage) {
    metrics.counter("chainsnap.snapshot.failed", "target", node.name(), "stage", stage).increment();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteQuietly(Path dir) {
    if (!FileTrees.deleteQuietly(dir)) {
      LOG.warnf("could not clean %s", dir);
    }
  }

  /** Logs archive progress every 10%. */
  private static final class ProgressLog implements io.chainsnap.archive.ProgressListener {
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
