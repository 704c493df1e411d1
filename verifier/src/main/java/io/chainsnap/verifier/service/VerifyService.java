package io.chainsnap.verifier.service;

import io.chainsnap.archive.ArchiveException;
import io.chainsnap.archive.FileTrees;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.archive.restore.HttpRangeSource;
import io.chainsnap.archive.restore.RangeSource;
import io.chainsnap.archive.restore.RestoreException;
import io.chainsnap.archive.restore.RestoreListener;
import io.chainsnap.archive.restore.RestoreProgress;
import io.chainsnap.archive.restore.Restorer;
import io.chainsnap.chain.ChainBootException;
import io.chainsnap.chain.ChainCheckFailedException;
import io.chainsnap.chain.ChainChecks;
import io.chainsnap.chain.ChainFamily;
import io.chainsnap.chain.ChainStatus;
import io.chainsnap.chain.IsolatedBoot;
import io.chainsnap.domain.RejectionStage;
import io.chainsnap.domain.SnapshotId;
import io.chainsnap.events.EventData;
import io.chainsnap.events.PermanentFailureException;
import io.chainsnap.events.SnapshotRejected;
import io.chainsnap.events.SnapshotTarget;
import io.chainsnap.events.SnapshotUploaded;
import io.chainsnap.events.SnapshotVerified;
import io.chainsnap.verifier.config.VerifierConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

/**
 * Verifies one published snapshot as an operator would use it: download {@code snapshot.json} from
 * its public URL, restore the archive from its public URL with the restore engine of the {@code
 * chainsnap} command (parallel ranged requests, every chunk's SHA-256 checked before it is
 * decompressed, the whole-archive SHA-256 at the end) into a scratch data dir, boot the node binary
 * on it (isolated: no peers, loopback RPC), and compare the height and best block hash with what
 * the snapshotter announced.
 */
// created at start-up, so that its metrics exist (at 0, with their descriptions) from the start
@Startup
@ApplicationScoped
public class VerifyService {
  private static final Logger LOG = Logger.getLogger(VerifyService.class);
  private static final String VERIFIED = "chainsnap.verifier.verified";
  private static final String REJECTED = "chainsnap.verifier.rejected";
  private static final String RESTORE_DURATION = "chainsnap.verifier.restore.duration";
  private static final String BOOT_DURATION = "chainsnap.verifier.boot.duration";
  private static final String RESTORED_DISK = "chainsnap.verifier.restored.disk";

  private final Map<SnapshotTarget, AtomicLong> diskBytes = new ConcurrentHashMap<>();

  private final VerifierConfig config;
  private final MeterRegistry metrics;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NORMAL)
          .build();

  public VerifyService(VerifierConfig config, MeterRegistry metrics) {
    this.config = config;
    this.metrics = metrics;
    for (String chain : config.chains().keySet()) {
      verified(chain);
      for (RejectionStage stage : RejectionStage.values()) {
        rejected(chain, stage);
      }
    }
  }

  private Counter verified(String chain) {
    return Counter.builder(VERIFIED)
        .description("Snapshots verified: restored, booted and at the announced tip, per chain")
        .tag("chain", chain)
        .register(metrics);
  }

  private Counter rejected(String chain, RejectionStage stage) {
    return Counter.builder(REJECTED)
        .description("Snapshots rejected, per chain and stage (the fault of the snapshot)")
        .tags("chain", chain, "stage", stage.wireName())
        .register(metrics);
  }

  /**
   * Verifies {@code uploaded}; returns the verified or rejected event to emit. Only faults of the
   * snapshot reject it ({@link Verdicts}). The verifier's own trouble (network, server errors,
   * disk) throws and is retried, then sends the event to the dead-letter topic; its configuration
   * errors throw {@link PermanentFailureException}: dead-lettered at once, never retried.
   */
  @Retry(
      maxRetries = 3,
      delay = 10,
      delayUnit = ChronoUnit.SECONDS,
      maxDuration = 6,
      durationUnit = ChronoUnit.HOURS,
      abortOn = PermanentFailureException.class)
  @ExponentialBackoff(maxDelay = 2, maxDelayUnit = ChronoUnit.MINUTES)
  public EventData verify(SnapshotUploaded uploaded) {
    return run(uploaded, false);
  }

  /**
   * The full pass of a re-verification: restores and boots {@code claimed} (made from its index
   * entry) as {@link #verify} does, without retries (the next pass is the retry) and without
   * counting it in the verdict metrics. Returns the verified or rejected event (rejected at the
   * stage the restore or boot failed; the caller turns it into a {@code reverify} rejection).
   */
  public EventData reverify(SnapshotUploaded claimed) {
    return run(claimed, true);
  }

  private EventData run(SnapshotUploaded uploaded, boolean reverify) {
    if (!SnapshotId.isValid(uploaded.snapshotId())) {
      // the schema refuses such ids already; the id names a scratch directory, so check again
      throw new PermanentFailureException(
          "invalid snapshot id '" + uploaded.snapshotId() + "' in snapshot-uploaded");
    }
    Path scratch = config.workDir().resolve(uploaded.snapshotId() + "-" + UUID.randomUUID());
    long started = System.nanoTime();
    try {
      VerifierConfig.Node node = nodeFor(uploaded.target().chain());
      ChainFamily family = node.adapter();
      String network = uploaded.target().network();
      Path dataDir = scratch.resolve("data");
      restore(uploaded, family.chainDir(dataDir, network));
      long restoreMillis = (System.nanoTime() - started) / 1_000_000;
      long bootStarted = System.nanoTime();
      ChainChecks.Result checked =
          boot(
              family,
              new IsolatedBoot(
                  node.binary(),
                  dataDir,
                  network,
                  node.args().orElse(List.of()),
                  node.bootTimeout(),
                  scratch.resolve("logs")),
              checks(node),
              uploaded);
      ChainStatus status = checked.status();
      long bootMillis = (System.nanoTime() - bootStarted) / 1_000_000;
      long diskBytes = directorySize(dataDir);
      if (!reverify) {
        verified(uploaded.target().chain()).increment();
        Tags tags = targetTags(uploaded.target());
        Timer.builder(RESTORE_DURATION)
            .description(
                "Manifest fetch, restore from the public URL and checks of verified snapshots")
            .tags(tags)
            .register(metrics)
            .record(Duration.ofMillis(restoreMillis));
        Timer.builder(BOOT_DURATION)
            .description("Boot of the node on a restored snapshot until it answered at its tip")
            .tags(tags)
            .register(metrics)
            .record(Duration.ofMillis(bootMillis));
        diskGauge(uploaded.target()).set(diskBytes);
      }
      LOG.infof(
          "%s %s: restored in %d ms, node at height %d with the announced hash after %d ms,"
              + " %d bytes on disk%s%s",
          reverify ? "re-verified" : "verified",
          uploaded.snapshotId(),
          restoreMillis,
          status.height(),
          bootMillis,
          diskBytes,
          checked.verifyChainLevel() == null
              ? ""
              : ", verifychain " + checked.verifyChainLevel() + " " + checked.verifyChainBlocks(),
          checked.utxoSetHash() == null
              ? ""
              : ", " + checked.utxoSetHashType() + " " + checked.utxoSetHash());
      return new SnapshotVerified(
          uploaded.snapshotId(),
          uploaded.target(),
          status.height(),
          status.bestBlockHash(),
          uploaded.archiveUrl(),
          restoreMillis,
          bootMillis,
          Instant.now(),
          diskBytes,
          checked.verifyChainLevel(),
          checked.verifyChainBlocks(),
          checked.utxoSetHashType(),
          checked.utxoSetHash());
    } catch (Rejection e) {
      if (!reverify) {
        rejected(uploaded.target().chain(), e.stage()).increment();
      }
      LOG.warnf("REJECTED %s at %s: %s", uploaded.snapshotId(), e.stage(), e.getMessage());
      return new SnapshotRejected(
          uploaded.snapshotId(),
          uploaded.target(),
          uploaded.archiveUrl(),
          e.stage(),
          e.getMessage(),
          Instant.now());
    } finally {
      deleteRecursively(scratch);
    }
  }

  /**
   * The node configured for {@code chain}, with an executable binary; our configuration, not the
   * snapshot's fault: never a rejection, and retrying cannot fix it.
   */
  private VerifierConfig.Node nodeFor(String chain) {
    VerifierConfig.Node node = config.chains().get(chain);
    if (node == null) {
      throw new PermanentFailureException(
          "no node configured for chain "
              + chain
              + ": set verifier.chains."
              + chain
              + ".binary (and .adapter unless bitcoin-core)");
    }
    if (!Files.isExecutable(node.binary())) {
      throw new PermanentFailureException(
          "verifier.chains." + chain + ".binary " + node.binary() + " is not an executable file");
    }
    return node;
  }

  /**
   * Boots the family's node on the restored data and runs the deeper checks; a node that will not
   * start, or whose {@code verifychain} fails, rejects (at boot, at tip); so does a node at another
   * tip.
   */
  private static ChainChecks.Result boot(
      ChainFamily family, IsolatedBoot boot, ChainChecks checks, SnapshotUploaded uploaded) {
    try {
      ChainChecks.Result result = family.bootIsolated(boot, checks);
      Optional<Rejection> tip = Verdicts.ofTip(result.status(), uploaded);
      if (tip.isPresent()) {
        throw tip.get();
      }
      return result;
    } catch (ChainCheckFailedException e) {
      throw Verdicts.ofChainCheck(e);
    } catch (ChainBootException e) {
      throw Verdicts.ofBoot(e);
    }
  }

  /** The deeper checks configured for {@code node}. */
  private static ChainChecks checks(VerifierConfig.Node node) {
    return new ChainChecks(
        node.verifychain().enabled() ? node.verifychain().level() : null,
        node.verifychain().blocks(),
        node.utxoSetHash());
  }

  static Tags targetTags(SnapshotTarget target) {
    return Tags.of(
        "chain", target.chain(), "network", target.network(), "mode", target.mode().wireName());
  }

  private AtomicLong diskGauge(SnapshotTarget target) {
    return diskBytes.computeIfAbsent(
        target,
        t -> {
          AtomicLong value = new AtomicLong();
          Gauge.builder(RESTORED_DISK, value, AtomicLong::get)
              .description(
                  "Bytes of the restored data dir of the last verified snapshot, after the node ran"
                      + " on it")
              .baseUnit("bytes")
              .tags(targetTags(t))
              .register(metrics);
          return value;
        });
  }

  /**
   * Restores into {@code chainDir} from the public archive URL (parallel ranged requests), checking
   * every chunk before it is used.
   */
  private void restore(SnapshotUploaded uploaded, Path chainDir) {
    SnapshotMetadata metadata;
    try (InputStream in = download(uploaded.manifestUrl())) {
      metadata = SnapshotMetadata.read(in);
    } catch (ArchiveException e) {
      throw Verdicts.ofManifestRefused(e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + uploaded.manifestUrl() + ": " + e, e);
    }
    Optional<Rejection> disagreement = Verdicts.ofClaims(metadata, uploaded);
    if (disagreement.isPresent()) {
      throw disagreement.get();
    }
    try {
      Files.createDirectories(chainDir);
      long free = Files.getFileStore(chainDir).getUsableSpace();
      if (free < metadata.archive().contentSize()) {
        throw new IllegalStateException(
            "scratch space has "
                + free
                + " bytes free, the snapshot needs "
                + metadata.archive().contentSize());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + chainDir, e);
    }
    Restorer restorer =
        Restorer.builder()
            .connections(config.restoreConnections())
            // scratch space, deleted afterwards: no journal fsyncs, nothing to resume
            .resumable(false)
            // the free space was checked above, against the whole scratch file system
            .spaceCheck(false)
            .listener(progress(uploaded.snapshotId()))
            .build();
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "verifier-download-timeout");
              t.setDaemon(true);
              return t;
            });
    timer.schedule(
        () -> restorer.cancel("download took longer than " + config.downloadTimeout()),
        config.downloadTimeout().toMillis(),
        TimeUnit.MILLISECONDS);
    try (RangeSource source = HttpRangeSource.of(URI.create(uploaded.archiveUrl()))) {
      restorer.restore(metadata, source, chainDir);
    } catch (RestoreException e) {
      Optional<Rejection> rejection = Verdicts.ofRestore(e);
      if (rejection.isPresent()) {
        throw rejection.get(); // the published snapshot's fault: what operators would get too
      }
      // the verifier's own trouble (network after retries, timeout, scratch disk): retried
      throw new IllegalStateException(
          "restore of " + uploaded.archiveUrl() + " failed: " + e.getMessage(), e);
    } finally {
      timer.shutdownNow();
    }
  }

  private InputStream download(String url) throws IOException {
    HttpResponse<InputStream> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .timeout(config.downloadTimeout())
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (response.statusCode() != 200) {
      response.body().close();
      Optional<Rejection> rejection = Verdicts.ofHttpStatus(url, response.statusCode());
      if (rejection.isPresent()) {
        throw rejection.get();
      }
      throw new IOException(url + " answered HTTP " + response.statusCode());
    }
    return response.body();
  }

  private static RestoreListener progress(String snapshotId) {
    return new RestoreListener() {
      private int lastDecile = -1;

      @Override
      public void progress(RestoreProgress p) {
        int decile = (int) (p.fraction() * 10);
        if (decile != lastDecile) {
          lastDecile = decile;
          LOG.infof(
              "restoring %s: %d%% (%d of %d bytes, %.0f MB/s)",
              snapshotId, decile * 10, p.doneBytes(), p.archiveBytes(), p.bytesPerSecond() / 1e6);
        }
      }

      @Override
      public void warning(String message) {
        LOG.warnf("restoring %s: %s", snapshotId, message);
      }
    };
  }

  /** Bytes of the regular files under {@code dir} (the node's files it wrote included). */
  static long directorySize(Path dir) {
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              f -> {
                try {
                  return Files.size(f);
                } catch (IOException e) {
                  return 0; // gone meanwhile (a lock, a log the node rotated)
                }
              })
          .sum();
    } catch (IOException | UncheckedIOException e) {
      throw new UncheckedIOException("cannot measure " + dir, new IOException(e));
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!FileTrees.deleteQuietly(dir)) {
      LOG.warnf("could not delete %s", dir);
    }
  }
}
