package io.chainsnap.publisher.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainsnap.archive.ArchiveException;
import io.chainsnap.archive.DocumentSchema;
import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.domain.SnapshotId;
import io.chainsnap.domain.VerificationStatus;
import io.chainsnap.events.EventData;
import io.chainsnap.events.SnapshotPublished;
import io.chainsnap.events.SnapshotRejected;
import io.chainsnap.events.SnapshotTarget;
import io.chainsnap.events.SnapshotVerified;
import io.chainsnap.publisher.CatalogStage;
import io.chainsnap.publisher.config.PublisherConfig;
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
  private final IndexBuilder builder;
  private final PublisherMetrics metrics;
  private final Set<String> schemasPublished = ConcurrentHashMap.newKeySet();

  /** Index keys whose last update did not complete: rebuilt whole next time. */
  private final Set<String> stale = new HashSet<>();

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
      next = builder.update(current, snapshotId, entry, Instant.now());
      write(key, next);
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
    SnapshotIndex index = builder.index(chain, network, previousSequence, Instant.now(), entries);
    String key = CatalogKeys.index(chain, network);
    write(key, index);
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

  private void write(String key, SnapshotIndex index) {
    store.put(key, index.toJson(), "application/json", "no-cache, max-age=0", Map.of());
    metrics.indexed(index);
    publishSchemas(key);
    LOG.infof(
        "index %s sequence %d: %d snapshots, latest %s",
        key, index.sequence(), index.snapshots().size(), index.latest());
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
