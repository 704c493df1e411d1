package io.chainsnap.publisher.page;

import io.chainsnap.archive.ArchiveException;
import io.chainsnap.archive.DocumentSchema;
import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.archive.signing.Ed25519Keys;
import io.chainsnap.archive.signing.PublishedKeys;
import io.chainsnap.publisher.config.PublisherConfig;
import io.chainsnap.publisher.store.ArchiveStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Publishes {@code index.html} and {@code feed.atom} beside every {@code index.json} the publisher
 * writes ({@code <chain>/<network>/index.html}, {@code feed.atom}; public like the index, {@code
 * no-cache}), and renders the page of every index it wrote again every {@code
 * publisher.page.refresh-interval}, so that ages and the stale badge follow the clock between index
 * updates. A refresh never writes the page of an older index over a newer one.
 */
@ApplicationScoped
public class PagePublisher {
  /** Name of the page beside {@code index.json}. */
  public static final String PAGE_FILE = "index.html";

  /** Name of the feed beside {@code index.json}. */
  public static final String FEED_FILE = "feed.atom";

  /** Name of the index signature beside {@code index.json} (written by the signing step). */
  public static final String SIGNATURE_FILE = "index.json.sig";

  private static final Logger LOG = Logger.getLogger(PagePublisher.class);
  private static final String CACHE_CONTROL = "no-cache, max-age=0";

  private final ArchiveStore store;
  private final StalePolicy policy;
  private final Clock clock;
  private final boolean enabled;
  private final Duration refreshInterval;

  /** Index key to the sequence of the last page written for it. */
  private final Map<String, Long> written = new ConcurrentHashMap<>();

  private ScheduledExecutorService refresher;

  @Inject
  public PagePublisher(ArchiveStore store, PublisherConfig config) {
    this(
        store,
        StalePolicy.of(config.page()),
        Clock.systemUTC(),
        config.page().enabled(),
        config.page().refreshInterval());
  }

  /** A publisher over {@code store} judging staleness by {@code policy} at {@code clock}. */
  public PagePublisher(
      ArchiveStore store,
      StalePolicy policy,
      Clock clock,
      boolean enabled,
      Duration refreshInterval) {
    if (refreshInterval.isNegative() || refreshInterval.isZero()) {
      throw new IllegalArgumentException(
          "invalid configuration publisher.page.refresh-interval: must be a positive duration, is "
              + refreshInterval);
    }
    this.store = store;
    this.policy = policy;
    this.clock = clock;
    this.enabled = enabled;
    this.refreshInterval = refreshInterval;
  }

  void onStart(@Observes StartupEvent event) {
    if (!enabled) {
      return;
    }
    refresher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "page-refresh");
              t.setDaemon(true);
              return t;
            });
    long millis = refreshInterval.toMillis();
    refresher.scheduleWithFixedDelay(this::refreshAll, millis, millis, TimeUnit.MILLISECONDS);
  }

  void onStop(@Observes ShutdownEvent event) {
    if (refresher != null) {
      refresher.shutdownNow();
    }
  }

  /**
   * Writes the page and the feed of {@code index}, just stored under {@code indexKey}. A failure
   * propagates, like one of the index write itself.
   */
  public synchronized void published(String indexKey, SnapshotIndex index) {
    if (!enabled) {
      return;
    }
    PageLinks links = links(indexKey);
    String dir = dir(indexKey);
    store.put(
        dir + FEED_FILE,
        AtomFeed.render(index, links).getBytes(StandardCharsets.UTF_8),
        AtomFeed.CONTENT_TYPE,
        CACHE_CONTROL,
        Map.of());
    writePage(indexKey, index, links);
  }

  /** Renders the page of every index written by this process again (at the current time). */
  public void refreshAll() {
    for (String key : written.keySet()) {
      try {
        refresh(key);
      } catch (RuntimeException e) {
        LOG.warnf("could not refresh the page of %s: %s", key, e.getMessage());
      }
    }
  }

  /**
   * Renders the page of the index stored under {@code indexKey} again, unless a newer index's page
   * was written meanwhile; true if it wrote the page.
   */
  public synchronized boolean refresh(String indexKey) {
    Optional<byte[]> stored = store.get(indexKey);
    if (stored.isEmpty()) {
      return false;
    }
    SnapshotIndex index;
    try {
      index = SnapshotIndex.read(stored.get());
    } catch (ArchiveException e) {
      LOG.warnf("not refreshing the page of %s: %s", indexKey, e.getMessage());
      return false;
    }
    Long last = written.get(indexKey);
    if (last != null && index.sequence() < last) {
      return false;
    }
    writePage(indexKey, index, links(indexKey));
    return true;
  }

  private void writePage(String indexKey, SnapshotIndex index, PageLinks links) {
    String html = DownloadsPage.render(index, links, policy, clock.instant());
    store.put(
        dir(indexKey) + PAGE_FILE,
        html.getBytes(StandardCharsets.UTF_8),
        DownloadsPage.CONTENT_TYPE,
        CACHE_CONTROL,
        Map.of());
    written.merge(indexKey, index.sequence(), Math::max);
  }

  /** The public URLs of the page's neighbours; signature and keys only once they are stored. */
  PageLinks links(String indexKey) {
    String dir = dir(indexKey);
    Optional<String> signature =
        store.head(dir + SIGNATURE_FILE).map(o -> store.publicUrl(dir + SIGNATURE_FILE));
    Optional<String> keys =
        signature.isEmpty()
            ? Optional.empty()
            : store
                .head(dir + PublishedKeys.FILE_NAME)
                .map(o -> store.publicUrl(dir + PublishedKeys.FILE_NAME));
    return new PageLinks(
        store.publicUrl(dir + PAGE_FILE),
        store.publicUrl(dir + FEED_FILE),
        store.publicUrl(indexKey),
        signature,
        keys,
        Arrays.stream(DocumentSchema.values())
            .map(s -> store.publicUrl(dir + s.fileName()))
            .toList(),
        keys.isEmpty() ? List.of() : fingerprints(dir + PublishedKeys.FILE_NAME));
  }

  /** Fingerprints of the keys in the stored {@code keys.json}; none if it cannot be read. */
  private List<String> fingerprints(String keysKey) {
    try {
      Optional<byte[]> stored = store.get(keysKey);
      if (stored.isEmpty()) {
        return List.of();
      }
      List<String> fingerprints = new java.util.ArrayList<>();
      for (PublishedKeys.Key key : PublishedKeys.read(stored.get()).keys()) {
        fingerprints.add(
            Ed25519Keys.fingerprint(
                Ed25519Keys.publicKey(
                    java.util.Base64.getDecoder().decode(key.publicKey()), keysKey + " key")));
      }
      return fingerprints;
    } catch (RuntimeException e) {
      LOG.warnf("%s unreadable (%s): the restore commands name no trusted key", keysKey, e);
      return List.of();
    }
  }

  private static String dir(String indexKey) {
    return indexKey.substring(0, indexKey.lastIndexOf('/') + 1);
  }
}
