package io.chainsnap.publisher.cdn;

import io.chainsnap.publisher.config.PublisherConfig;
import io.chainsnap.publisher.service.IndexService;
import io.chainsnap.publisher.store.ArchiveStore;
import io.chainsnap.publisher.store.CatalogKeys;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Keeps the signed links of an index usable: an index with signed links that was not written for
 * half the signed-URL lifetime is written again ({@link IndexService#rebuild}), so that a reader
 * always gets links valid for at least half the lifetime (a re-issue by the index signer keeps the
 * old links: it does not count). Follows the links this process signed and, at start, the listed
 * {@code signed-urls.targets} whose index exists.
 */
@Startup
@ApplicationScoped
public class SignedLinkRefresh {
  private static final Logger LOG = Logger.getLogger(SignedLinkRefresh.class);

  private final DownloadLinks links;
  private final IndexService indexes;
  private final ArchiveStore store;
  private final PublisherConfig config;
  private final Clock clock;

  /** Listed targets whose index existed at start, not rewritten since: due at the first check. */
  private final Map<String, Instant> atStart = new ConcurrentHashMap<>();

  private ScheduledExecutorService executor;

  @Inject
  public SignedLinkRefresh(
      DownloadLinks links, IndexService indexes, ArchiveStore store, PublisherConfig config) {
    this(links, indexes, store, config, Clock.systemUTC());
  }

  /** A refresher deciding what is due by {@code clock}. */
  public SignedLinkRefresh(
      DownloadLinks links,
      IndexService indexes,
      ArchiveStore store,
      PublisherConfig config,
      Clock clock) {
    this.clock = clock;
    this.links = links;
    this.indexes = indexes;
    this.store = store;
    this.config = config;
  }

  void onStart(@Observes StartupEvent event) {
    Duration lifetime = links.maxDownloadWindow();
    if (lifetime.isZero()) {
      return;
    }
    config
        .cloudfront()
        .signedUrls()
        .targets()
        .ifPresent(
            targets ->
                targets.forEach(
                    target -> {
                      String[] parts = target.split("/", 2);
                      try {
                        if (store.head(CatalogKeys.index(parts[0], parts[1])).isPresent()) {
                          atStart.put(target, Instant.EPOCH); // links of unknown age
                        }
                      } catch (RuntimeException e) {
                        LOG.warnf("could not look for the index of %s: %s", target, e);
                      }
                    }));
    long period = Math.max(1, Math.min(lifetime.toSeconds() / 8, 600));
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "signed-link-refresh");
              t.setDaemon(true);
              return t;
            });
    executor.scheduleWithFixedDelay(this::refreshDue, period, period, TimeUnit.SECONDS);
  }

  /**
   * Writes again every index whose signed links are past half their lifetime (run periodically).
   */
  public void refreshDue() {
    Duration half = links.maxDownloadWindow().dividedBy(2);
    Instant now = clock.instant();
    Map<String, Instant> signed = new java.util.TreeMap<>(atStart);
    signed.putAll(links.lastSigned());
    for (Map.Entry<String, Instant> index : signed.entrySet()) {
      if (index.getValue().plus(half).isAfter(now)) {
        continue;
      }
      String[] parts = index.getKey().split("/", 2);
      try {
        indexes.rebuild(parts[0], parts[1]);
        atStart.remove(index.getKey());
        LOG.infof("index of %s written again: its signed links were due", index.getKey());
      } catch (RuntimeException e) {
        LOG.warnf("could not refresh the signed links of %s: %s", index.getKey(), e);
      }
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
