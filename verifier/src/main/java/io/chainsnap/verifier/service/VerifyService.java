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
import io.chainsnap.chain.BitcoinCoreChainAdapter;
import io.chainsnap.chain.BitcoinCoreDaemon;
import io.chainsnap.chain.ChainStatus;
import io.chainsnap.chain.MoneroDaemon;
import io.chainsnap.events.EventData;
import io.chainsnap.events.SnapshotRejected;
import io.chainsnap.events.SnapshotUploaded;
import io.chainsnap.events.SnapshotVerified;
import io.chainsnap.verifier.config.VerifierConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
@ApplicationScoped
public class VerifyService {
  private static final Logger LOG = Logger.getLogger(VerifyService.class);

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
  }

  /**
   * Verifies {@code uploaded}; returns the verified or rejected event to emit. Only faults of the
   * snapshot reject it; the verifier's own trouble (network, disk, configuration) throws, is
   * retried, and in the end sends the event to the dead-letter topic instead.
   */
  @Retry(
      maxRetries = 3,
      delay = 10,
      delayUnit = ChronoUnit.SECONDS,
      maxDuration = 6,
      durationUnit = ChronoUnit.HOURS,
      retryOn = TransientVerificationException.class)
  @ExponentialBackoff(maxDelay = 2, maxDelayUnit = ChronoUnit.MINUTES)
  public EventData verify(SnapshotUploaded uploaded) {
    Path scratch = config.workDir().resolve(uploaded.snapshotId() + "-" + UUID.randomUUID());
    long started = System.nanoTime();
    try {
      VerifierConfig.Node node = nodeFor(uploaded);
      Path dataDir = scratch.resolve("data");
      Path chainDir;
      Supplier<ChainStatus> boot;
      if (node.adapter().equals("monero")) {
        String network = uploaded.target().network();
        chainDir = MoneroDaemon.chainDir(dataDir, network);
        boot =
            () ->
                MoneroVerificationNode.boot(
                    node.binary(),
                    dataDir,
                    network,
                    node.args().orElse(List.of()),
                    node.bootTimeout(),
                    scratch.resolve("logs"),
                    freePort(),
                    freePort());
      } else {
        BitcoinCoreDaemon.Config daemonConfig =
            new BitcoinCoreDaemon.Config(
                node.binary(),
                dataDir,
                networkFlag(uploaded.target().network()),
                freePort(),
                "verifier",
                UUID.randomUUID().toString(),
                isolatedArgs(node));
        chainDir = daemonConfig.chainDir();
        boot = () -> boot(daemonConfig, node.bootTimeout());
      }
      restore(uploaded, chainDir);
      long restoreMillis = (System.nanoTime() - started) / 1_000_000;
      long bootStarted = System.nanoTime();
      ChainStatus status = boot.get();
      long bootMillis = (System.nanoTime() - bootStarted) / 1_000_000;
      if (status.height() != uploaded.height()
          || !status.bestBlockHash().equals(uploaded.blockHash())) {
        throw new Rejection(
            "tip",
            "restored node is at height "
                + status.height()
                + " hash "
                + status.bestBlockHash()
                + ", the snapshot announced height "
                + uploaded.height()
                + " hash "
                + uploaded.blockHash());
      }
      metrics
          .counter("chainsnap.verifier.verified", "chain", uploaded.target().chain())
          .increment();
      metrics.timer("chainsnap.verifier.restore.duration").record(Duration.ofMillis(restoreMillis));
      LOG.infof(
          "verified %s: restored in %d ms, node at height %d with the announced hash after %d ms",
          uploaded.snapshotId(), restoreMillis, status.height(), bootMillis);
      return new SnapshotVerified(
          uploaded.snapshotId(),
          uploaded.target(),
          status.height(),
          status.bestBlockHash(),
          uploaded.archiveUrl(),
          restoreMillis,
          bootMillis,
          Instant.now());
    } catch (Rejection e) {
      metrics
          .counter(
              "chainsnap.verifier.rejected", "chain", uploaded.target().chain(), "stage", e.stage())
          .increment();
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

  private VerifierConfig.Node nodeFor(SnapshotUploaded uploaded) {
    VerifierConfig.Node node = config.chains().get(uploaded.target().chain());
    if (node == null) {
      // our configuration, not the snapshot's fault: never a rejection
      throw new IllegalStateException(
          "no node configured for chain "
              + uploaded.target().chain()
              + ": set verifier.chains."
              + uploaded.target().chain()
              + ".binary");
    }
    if (!ADAPTERS.contains(node.adapter())) {
      throw new IllegalStateException(
          "verifier.chains."
              + uploaded.target().chain()
              + ".adapter is '"
              + node.adapter()
              + "'; the verifier boots "
              + ADAPTERS);
    }
    return node;
  }

  /** Node families the verifier can boot. */
  static final List<String> ADAPTERS = List.of("bitcoin-core", "monero");

  static String networkFlag(String network) {
    return switch (network) {
      case "mainnet" -> "main";
      case "testnet" -> "test";
      default -> network;
    };
  }

  private static List<String> isolatedArgs(VerifierConfig.Node node) {
    List<String> args = new ArrayList<>(node.args().orElse(List.of()));
    args.addAll(
        List.of(
            "-listen=0",
            "-connect=0",
            "-dnsseed=0",
            "-upnp=0",
            "-disablewallet",
            // a snapshot's tip is old by the time it is verified; do not treat that as syncing
            "-maxtipage=2000000000"));
    return args;
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
      throw new Rejection("extract", "snapshot.json refused: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new TransientVerificationException(
          "cannot read " + uploaded.manifestUrl() + ": " + e, e);
    }
    if (!metadata.snapshotId().equals(uploaded.snapshotId())
        || !metadata.archive().sha256().equals(uploaded.sha256())
        || metadata.height() != uploaded.height()
        || !metadata.blockHash().equals(uploaded.blockHash())) {
      throw new Rejection(
          "checksum",
          "published snapshot.json disagrees with snapshot-uploaded (id, sha256 or tip)");
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
      switch (e.reason()) {
        // faults of the published snapshot: what operators would get too
        case NOT_FOUND -> throw new Rejection("download", e.getMessage(), e);
        case CORRUPT -> throw new Rejection("checksum", e.getMessage(), e);
        case UNSUPPORTED_FORMAT, UNSAFE -> throw new Rejection("extract", e.getMessage(), e);
        // the verifier's own trouble (network after retries, timeout, scratch disk): retried
        case NETWORK, CANCELLED, DISK, NO_SPACE, DESTINATION ->
            throw new TransientVerificationException(
                "restore of " + uploaded.archiveUrl() + " failed: " + e.getMessage(), e);
        default -> throw new IllegalStateException("unknown reason " + e.reason(), e);
      }
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
      if (response.statusCode() >= 400 && response.statusCode() < 500) {
        // what operators would get too: the published object is missing or not public
        throw new Rejection("download", url + " answered HTTP " + response.statusCode());
      }
      throw new TransientVerificationException(
          url + " answered HTTP " + response.statusCode(), null);
    }
    return response.body();
  }

  private ChainStatus boot(BitcoinCoreDaemon.Config daemonConfig, Duration timeout) {
    BitcoinCoreDaemon daemon = new BitcoinCoreDaemon(daemonConfig);
    try {
      daemon.start(timeout);
      return new BitcoinCoreChainAdapter(daemon.rpc()).status();
    } catch (RuntimeException e) {
      throw new Rejection(
          "boot", "the node did not start on the restored data: " + e.getMessage(), e);
    } finally {
      try {
        daemon.stop(Duration.ofMinutes(2));
      } catch (RuntimeException e) {
        LOG.warnf("could not stop the verification node: %s", e.getMessage());
      }
    }
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

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!FileTrees.deleteQuietly(dir)) {
      LOG.warnf("could not delete %s", dir);
    }
  }
}
