package io.chainsnap.publisher.mirror;

import io.chainsnap.events.SnapshotTarget;
import io.chainsnap.publisher.config.PublisherConfig;
import io.chainsnap.publisher.service.MirrorReferences;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Runs the mirror in the background, off the critical path of the index: {@link #request} returns
 * at once; one thread mirrors, one request per chain/network/mode queued at most (a request while
 * one is queued is the same work). A failure is logged and counted ({@code
 * chainsnap_publisher_mirror_failures_total}); the tree keeps its previous snapshot and the next
 * verification or rejection of that chain/network/mode tries again. Nothing when {@code
 * publisher.mirror.enabled=false}. Created at start-up, so that invalid mirror settings stop the
 * service there.
 */
@Startup
@ApplicationScoped
public class MirrorService implements MirrorReferences {
  private static final Logger LOG = Logger.getLogger(MirrorService.class);

  private final MirrorPublisher publisher;
  private final S3Client sourceClient;
  private final S3Client mirrorClient;
  private final ExecutorService worker;
  private final Set<SnapshotTarget> queued = ConcurrentHashMap.newKeySet();

  public MirrorService(PublisherConfig config, MeterRegistry registry) {
    PublisherConfig.Mirror m = config.mirror();
    if (!m.enabled()) {
      this.publisher = null;
      this.sourceClient = null;
      this.mirrorClient = null;
      this.worker = null;
      return;
    }
    PublisherConfig.S3 s3 = config.s3();
    this.sourceClient =
        client(s3.endpoint(), s3.region(), s3.accessKey(), s3.secretKey(), s3.pathStyle());
    this.mirrorClient =
        client(
            m.endpoint().or(s3::endpoint),
            m.region().orElse(s3.region()),
            m.accessKey().or(s3::accessKey),
            m.accessKey().isPresent() ? m.secretKey() : s3.secretKey(),
            s3.pathStyle());
    long partSize;
    try {
      partSize = m.partSize().requireBetween(5L << 20, 2L << 30).bytes();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid configuration publisher.mirror.part-size: " + e.getMessage(), e);
    }
    if (m.restoreConnections() < 1 || m.restoreConnections() > 64) {
      throw new IllegalArgumentException(
          "invalid configuration publisher.mirror.restore-connections: "
              + m.restoreConnections()
              + " (1 to 64)");
    }
    this.publisher =
        new MirrorPublisher(
            sourceClient,
            s3.bucket(),
            new S3MirrorBucket(mirrorClient, m.bucket().orElse(s3.bucket()), partSize),
            m.prefix(),
            m.workDir().orElse(Path.of(System.getProperty("java.io.tmpdir"))),
            m.restoreConnections(),
            registry);
    this.worker =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "mirror");
              t.setDaemon(true);
              return t;
            });
    LOG.infof(
        "per-file mirror on: s3://%s/%s",
        m.bucket().orElse(s3.bucket()), MirrorKeys.strip(m.prefix()));
  }

  /** Whether the mirror is on. */
  public boolean enabled() {
    return publisher != null;
  }

  /**
   * Asks for the tree of {@code target} to follow its latest verified snapshot; returns at once and
   * never throws.
   */
  public void request(SnapshotTarget target) {
    if (publisher == null || !queued.add(target)) {
      return;
    }
    try {
      worker.execute(
          () -> {
            queued.remove(target);
            try {
              publisher.mirrorLatest(target);
            } catch (RuntimeException e) {
              // counted by the publisher
              LOG.errorf(
                  e,
                  "mirror of %s failed (tried again at its next verification): %s",
                  target.path(),
                  e.getMessage());
            }
          });
    } catch (RuntimeException e) {
      queued.remove(target);
      LOG.warnf("mirror of %s not queued: %s", target.path(), e.getMessage());
    }
  }

  /**
   * Retention's hook ({@link MirrorReferences}): {@code snapshotId} left the main bucket; its file
   * list goes unless the tree still holds it (see {@link MirrorPublisher#onExpired}); idempotent.
   * Nothing when the mirror is off.
   */
  @Override
  public void onExpired(SnapshotTarget target, String snapshotId) {
    if (publisher != null) {
      publisher.onExpired(target, snapshotId);
    }
  }

  /** The mirror, when on (synchronous use). */
  public Optional<MirrorPublisher> publisher() {
    return Optional.ofNullable(publisher);
  }

  void onStop(@Observes ShutdownEvent event) {
    if (worker != null) {
      worker.shutdownNow();
      sourceClient.close();
      mirrorClient.close();
    }
  }

  static S3Client client(
      Optional<String> endpoint,
      String region,
      Optional<String> accessKey,
      Optional<String> secretKey,
      boolean pathStyle) {
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .region(Region.of(region))
            .forcePathStyle(pathStyle);
    endpoint.ifPresent(e -> builder.endpointOverride(URI.create(e)));
    if (accessKey.isPresent()) {
      builder.credentialsProvider(
          StaticCredentialsProvider.create(
              AwsBasicCredentials.create(accessKey.get(), secretKey.orElse(""))));
    } else {
      builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
    }
    return builder.build();
  }
}
