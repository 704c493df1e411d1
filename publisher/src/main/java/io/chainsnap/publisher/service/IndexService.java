package io.chainsnap.publisher.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainsnap.archive.ArchiveException;
import io.chainsnap.archive.DocumentSchema;
import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.archive.signing.IndexSignature;
import io.chainsnap.archive.signing.PublishedKeys;
import io.chainsnap.archive.signing.SignatureCheckException;
import io.chainsnap.archive.signing.SigningKey;
import io.chainsnap.domain.SnapshotId;
import io.chainsnap.domain.VerificationStatus;
import io.chainsnap.events.EventData;
import io.chainsnap.events.SnapshotPublished;
import io.chainsnap.events.SnapshotRejected;
import io.chainsnap.events.SnapshotTarget;
import io.chainsnap.events.SnapshotVerified;
import io.chainsnap.publisher.CatalogStage;
import io.chainsnap.publisher.config.PublisherConfig;
import io.chainsnap.publisher.page.PagePublisher;
import io.chainsnap.publisher.store.ArchiveStore;
import io.chainsnap.publisher.store.CatalogKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Keeps {@code chain/network/index.json} the whole truth of the catalog. A change to one snapshot
 * re-reads that snapshot's records only and replaces its entry in the current index ({@link
 * IndexBuilder}); the whole catalog is read only when the index is missing or unreadable, or when
 * the last update of that index failed in this process. Only verified snapshots can be {@code
 * latest}; rejected ones stay listed, marked, and are never offered as latest.
 *
 * <p>Updates are serialised in this process. Several publisher instances would race on the index of
 * one chain/network; run one catalog consumer per chain/network (see the module README).
 */
@ApplicationScoped
public class IndexService {
  private static final Logger LOG = Logger.getLogger(IndexService.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ArchiveStore store;
  private final Catalog catalog;
  private IndexBuilder builder;
  private final PublisherMetrics metrics;
  private final Set<String> schemasPublished = ConcurrentHashMap.newKeySet();

  /** Told of every index stored ({@link IndexWritten}, a CDI event: CDN invalidation). */
  private java.util.function.Consumer<IndexWritten> written = w -> {};

  /** Index keys whose last update did not complete: rebuilt whole next time. */
  private final Set<String> stale = new HashSet<>();

  /** Issues (signs) every index written; unsigned when built by hand (unit tests). */
  private IndexSigner signer = IndexSigner.unsigned();

  private final Set<String> keysPublished = ConcurrentHashMap.newKeySet();

  /** Writes the downloads page and feed after each index; null when built by hand (unit tests). */
  private PagePublisher pages;

  @Inject
  public IndexService(
      ArchiveStore store, Catalog catalog, PublisherConfig config, PublisherMetrics metrics) {
    this(store, catalog, new IndexBuilder(config.ipfs().gatewayUrl()), metrics);
  }

  /**
   * A service over {@code store} that builds entries with {@code builder} and reports the latest
   * snapshots of every index it writes to {@code metrics}.
   */
  public IndexService(
      ArchiveStore store, Catalog catalog, IndexBuilder builder, PublisherMetrics metrics) {
    this.store = store;
    this.catalog = catalog;
    this.builder = builder;
    this.metrics = metrics;
  }

  /** Every index this service writes is issued by {@code signer}. */
  @Inject
  void signer(IndexSigner signer) {
    this.signer = signer;
  }

  /** The sources of every entry pass through {@code links} (CloudFront signed URLs). */
  @Inject
  void links(SourceLinks links) {
    this.builder = builder.withLinks(links);
  }

  /** Every index stored fires an {@link IndexWritten} (after the objects beside it). */
  @Inject
  void written(jakarta.enterprise.event.Event<IndexWritten> written) {
    this.written = written::fire;
  }

  /** The downloads page and feed follow every index this service writes. */
  @Inject
  void pages(PagePublisher pages) {
    this.pages = pages;
  }

  /**
   * Records the verification and updates the index; returns the {@code snapshot-published} event to
   * emit, or empty if this snapshot was already published (a redelivered event) or a newer verdict
   * rejected it.
   */
  public synchronized Optional<SnapshotPublished> verified(SnapshotVerified verified) {
    SnapshotTarget target = verified.target();
    String id = verified.snapshotId();
    catalog.record(target, id, CatalogStage.VERIFIED, verified);
    if (catalog.read(target, id, CatalogStage.PUBLISHED).isPresent()) {
      LOG.infof("%s was already published: not publishing again", id);
      update(target, id);
      return Optional.empty();
    }
    SnapshotIndex index = update(target, id);
    boolean stillVerified =
        index.snapshots().stream()
            .anyMatch(
                e ->
                    e.snapshotId().equals(id)
                        && e.verification().status() == VerificationStatus.VERIFIED);
    Optional<String> latest = index.latest(target.mode());
    if (!stillVerified || latest.isEmpty()) {
      LOG.warnf(
          "%s is not verified in the index (a newer verdict rejected it): not publishing", id);
      return Optional.empty();
    }
    return Optional.of(
        new SnapshotPublished(
            id,
            target,
            store.publicUrl(CatalogKeys.index(target.chain(), target.network())),
            index.sequence(),
            latest.get(),
            Instant.now()));
  }

  /** Remembers that the event was emitted, so a redelivery does not publish twice. */
  public void markPublished(SnapshotPublished published) {
    catalog.record(published.target(), published.snapshotId(), CatalogStage.PUBLISHED, published);
  }

  /** Records a rejection and updates the index so that it shows it. */
  public synchronized void rejected(SnapshotRejected rejected) {
    catalog.record(rejected.target(), rejected.snapshotId(), CatalogStage.REJECTED, rejected);
    update(rejected.target(), rejected.snapshotId());
  }

  /**
   * Runs {@code work} while no index update runs in this process: retention decides and delists
   * under it, so that no verification changes {@code latest} in between.
   */
  public synchronized <T> T exclusive(java.util.function.Supplier<T> work) {
    return work.get();
  }

  /** Updates the index after an upload or a pin, so it lists pending snapshots and their CIDs. */
  public synchronized void changed(SnapshotTarget target, String snapshotId) {
    update(target, snapshotId);
  }

  /**
   * Brings the entry of {@code snapshotId} in its index up to date with the catalog and stores the
   * index; rebuilds the index from the whole catalog if it is missing, unreadable or stale.
   */
  synchronized SnapshotIndex update(SnapshotTarget target, String snapshotId) {
    String key = CatalogKeys.index(target.chain(), target.network());
    boolean wasStale = !stale.add(key); // stays stale until this update is stored
    Optional<byte[]> stored = store.get(key);
    SnapshotIndex current = null;
    long sequence = 0;
    if (stored.isPresent()) {
      try {
        current = SnapshotIndex.read(stored.get());
        sequence = current.sequence();
      } catch (ArchiveException e) {
        LOG.warnf("%s is unreadable (%s): rebuilding it from the catalog", key, e.getMessage());
        sequence = sequenceOf(stored.get());
      }
    }
    SnapshotIndex next;
    if (current == null || wasStale) {
      next = rebuild(target.chain(), target.network(), sequence);
    } else {
      Optional<SnapshotIndex.Entry> entry = builder.entry(records(target, snapshotId));
      next = write(key, builder.update(current, snapshotId, entry, Instant.now()));
    }
    stale.remove(key);
    return next;
  }

  /** Rebuilds and stores the index of {@code chain/network} from the whole catalog. */
  public synchronized SnapshotIndex rebuild(String chain, String network) {
    String key = CatalogKeys.index(chain, network);
    long sequence =
        store
            .get(key)
            .map(
                bytes -> {
                  try {
                    return SnapshotIndex.read(bytes).sequence();
                  } catch (ArchiveException e) {
                    return sequenceOf(bytes);
                  }
                })
            .orElse(0L);
    return rebuild(chain, network, sequence);
  }

  private SnapshotIndex rebuild(String chain, String network, long previousSequence) {
    Map<String, Map<CatalogStage, EventData>> records = new TreeMap<>();
    String prefix = CatalogKeys.catalog(chain, network);
    for (String key : store.list(prefix)) {
      String rest = key.substring(prefix.length());
      int slash = rest.indexOf('/');
      if (slash < 0 || !rest.endsWith(CatalogKeys.RECORD_SUFFIX)) {
        continue;
      }
      String id = rest.substring(0, slash);
      Optional<CatalogStage> stage =
          stage(rest.substring(slash + 1, rest.length() - CatalogKeys.RECORD_SUFFIX.length()));
      if (stage.isEmpty() || !IndexBuilder.INDEXED_STAGES.contains(stage.get())) {
        continue;
      }
      if (!SnapshotId.isValid(id)) {
        LOG.warnf("ignoring catalog record %s: invalid snapshot id", key);
        continue;
      }
      store
          .get(key)
          .ifPresent(
              bytes ->
                  records
                      .computeIfAbsent(id, k -> new EnumMap<>(CatalogStage.class))
                      .put(stage.get(), Catalog.decode(stage.get(), bytes)));
    }
    List<SnapshotIndex.Entry> entries = new ArrayList<>();
    for (Map<CatalogStage, EventData> snapshot : records.values()) {
      builder.entry(IndexBuilder.CatalogRecords.of(snapshot)).ifPresent(entries::add);
    }
    String key = CatalogKeys.index(chain, network);
    SnapshotIndex index =
        write(key, builder.index(chain, network, previousSequence, Instant.now(), entries));
    stale.remove(key);
    return index;
  }

  private IndexBuilder.CatalogRecords records(SnapshotTarget target, String snapshotId) {
    Map<CatalogStage, EventData> records = new EnumMap<>(CatalogStage.class);
    for (CatalogStage stage : IndexBuilder.INDEXED_STAGES) {
      catalog.<EventData>read(target, snapshotId, stage).ifPresent(r -> records.put(stage, r));
    }
    return IndexBuilder.CatalogRecords.of(records);
  }

  /**
   * Issues and stores {@code index}, returning it as written: when signing, {@code index.json.sig}
   * first, then {@code index.json}. Readers read the index first, then its signature: one that got
   * the new index also gets its signature (or a newer one), never a stale pair that looks valid;
   * one that got the old index with the new signature sees a mismatch ({@code indexSha256}) and
   * reads both again. A crash between the two writes leaves a mismatch that the next write or
   * re-issue repairs.
   */
  private SnapshotIndex write(String key, SnapshotIndex index) {
    publishKeys(key);
    IndexSigner.Issued issued = signer.issue(index, Instant.now());
    if (issued.signature().isPresent()) {
      store.put(
          CatalogKeys.indexSignature(key),
          issued.signature().get(),
          "application/json",
          "no-cache, max-age=0",
          Map.of());
    }
    store.put(key, issued.bytes(), "application/json", "no-cache, max-age=0", Map.of());
    index = issued.index();
    metrics.indexed(index);
    publishSchemas(key);
    if (pages != null) {
      pages.published(key, index); // index.html and feed.atom beside it
    }
    LOG.infof(
        "index %s sequence %d: %d snapshots, latest %s%s",
        key,
        index.sequence(),
        index.snapshots().size(),
        index.latest(),
        index.expiresAt() == null ? " (unsigned)" : ", signed, expires " + index.expiresAt());
    // last: observers (CDN invalidation) act on the objects written above
    written.accept(new IndexWritten(index.chain(), index.network(), key, index.sequence()));
    return index;
  }

  /**
   * Re-issues every index that is due at {@code now} ({@link IndexSigner#due}: unsigned, or past
   * half of its validity) or whose signature does not verify with every current key (a crash
   * between the two writes, a rotation): same content, the next sequence, a new validity period.
   * Returns the keys re-issued. Nothing without signing.
   */
  public synchronized List<String> reissueDue(Instant now) {
    if (!signer.enabled()) {
      return List.of();
    }
    List<String> done = new ArrayList<>();
    for (String key : store.list("")) {
      if (!CatalogKeys.isIndex(key)) {
        continue;
      }
      Optional<byte[]> stored = store.get(key);
      if (stored.isEmpty()) {
        continue;
      }
      SnapshotIndex current;
      try {
        current = SnapshotIndex.read(stored.get());
      } catch (ArchiveException e) {
        LOG.warnf("%s is unreadable (%s): rebuilding it from the catalog", key, e.getMessage());
        String[] parts = key.split("/");
        rebuild(parts[0], parts[1]);
        done.add(key);
        continue;
      }
      if (!signer.due(current, now) && signatureVerifies(key, stored.get())) {
        continue;
      }
      SnapshotIndex next = write(key, current.issued(current.sequence() + 1, null, null));
      stale.remove(key);
      done.add(key);
      LOG.infof("re-issued %s as sequence %d", key, next.sequence());
    }
    return done;
  }

  /** Whether the stored signature of the index verifies with every current signing key. */
  private boolean signatureVerifies(String indexKey, byte[] index) {
    Optional<byte[]> sig = store.get(CatalogKeys.indexSignature(indexKey));
    if (sig.isEmpty()) {
      return false;
    }
    try {
      for (SigningKey k : signer.keys()) {
        IndexSignature.verify(index, sig.get(), List.of(k.publicKey()));
      }
      return true;
    } catch (SignatureCheckException e) {
      LOG.warnf("%s: %s", CatalogKeys.indexSignature(indexKey), e.getMessage());
      return false;
    }
  }

  /**
   * {@code keys.json} beside the index: the public keys that sign it (written once per
   * chain/network by each process; the keys change only with the configuration).
   */
  private void publishKeys(String indexKey) {
    if (!signer.enabled()) {
      return;
    }
    String dir = indexKey.substring(0, indexKey.lastIndexOf('/') + 1);
    if (!keysPublished.add(dir)) {
      return;
    }
    try {
      store.put(
          dir + PublishedKeys.FILE_NAME,
          signer.keysJson(),
          "application/json",
          "no-cache, max-age=0",
          Map.of());
    } catch (RuntimeException e) {
      keysPublished.remove(dir);
      throw e;
    }
  }

  /**
   * The JSON Schemas of {@code index.json} and {@code snapshot.json} beside the index ({@code
   * <chain>/<network>/index.v1.schema.json}, {@code snapshot.v1.schema.json}), so that integrators
   * can validate what they read; written once per chain/network by each process (they only change
   * with the format version, and a new version has a new file name).
   */
  private void publishSchemas(String indexKey) {
    String dir = indexKey.substring(0, indexKey.lastIndexOf('/') + 1);
    if (!schemasPublished.add(dir)) {
      return;
    }
    try {
      for (DocumentSchema schema : DocumentSchema.values()) {
        store.put(
            dir + schema.fileName(),
            schema.bytes(),
            "application/schema+json",
            "public, max-age=3600",
            Map.of());
      }
    } catch (RuntimeException e) {
      schemasPublished.remove(dir);
      throw e;
    }
  }

  private static Optional<CatalogStage> stage(String name) {
    try {
      return Optional.of(CatalogStage.fromWire(name));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // not a record of this version's stages
    }
  }

  /** The {@code sequence} of an index this code cannot read, so the next one still counts up. */
  private static long sequenceOf(byte[] json) {
    try {
      return Math.max(0, JSON.readTree(json).path("sequence").asLong(0));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
