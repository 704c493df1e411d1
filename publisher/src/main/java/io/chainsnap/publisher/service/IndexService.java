package io.chainsnap.publisher.service;

import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.events.EventCodec;
import io.chainsnap.events.EventType;
import io.chainsnap.events.SnapshotCreated;
import io.chainsnap.events.SnapshotPinned;
import io.chainsnap.events.SnapshotPublished;
import io.chainsnap.events.SnapshotRejected;
import io.chainsnap.events.SnapshotTarget;
import io.chainsnap.events.SnapshotUploaded;
import io.chainsnap.events.SnapshotVerified;
import io.chainsnap.publisher.config.PublisherConfig;
import io.chainsnap.publisher.store.ArchiveStore;
import io.chainsnap.publisher.store.CatalogKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Keeps {@code chain/network/index.json}: rebuilt from the catalog after every change, so it is
 * always the whole truth, never a patch. Only verified snapshots can be {@code latest}; rejected
 * ones stay listed, marked, and are never offered as latest.
 *
 * <p>Rebuilds are serialised in this process. Several publisher instances would race on the index
 * of one chain/network; run one catalog consumer per chain/network (see the module README).
 */
@ApplicationScoped
public class IndexService {
  private static final Logger LOG = Logger.getLogger(IndexService.class);

  private final ArchiveStore store;
  private final Catalog catalog;
  private final PublisherConfig config;

  public IndexService(ArchiveStore store, Catalog catalog, PublisherConfig config) {
    this.store = store;
    this.catalog = catalog;
    this.config = config;
  }

  /**
   * Records the verification and rewrites the index; returns the {@code snapshot-published} event
   * to emit, or empty if this snapshot was already published (a redelivered event).
   */
  public synchronized Optional<SnapshotPublished> verified(SnapshotVerified verified) {
    catalog.record(verified.target(), verified.snapshotId(), "verified", verified);
    if (catalog.read(verified.target(), verified.snapshotId(), "published").isPresent()) {
      LOG.infof("%s was already published: not publishing again", verified.snapshotId());
      rebuild(verified.target().chain(), verified.target().network());
      return Optional.empty();
    }
    SnapshotIndex index = rebuild(verified.target().chain(), verified.target().network());
    boolean stillVerified =
        index.snapshots().stream()
            .anyMatch(
                e ->
                    e.snapshotId().equals(verified.snapshotId())
                        && e.verification().status().equals("verified"));
    String latest = index.latest().get(verified.target().mode());
    if (!stillVerified || latest == null) {
      LOG.warnf(
          "%s is not verified in the index (a newer verdict rejected it): not publishing",
          verified.snapshotId());
      return Optional.empty();
    }
    return Optional.of(
        new SnapshotPublished(
            verified.snapshotId(),
            verified.target(),
            store.publicUrl(
                CatalogKeys.index(verified.target().chain(), verified.target().network())),
            index.sequence(),
            latest,
            Instant.now()));
  }

  /** Remembers that the event was emitted, so a redelivery does not publish twice. */
  public void markPublished(SnapshotPublished published) {
    catalog.record(published.target(), published.snapshotId(), "published", published);
  }

  /** Records a rejection and rewrites the index so that it shows it. */
  public synchronized void rejected(SnapshotRejected rejected) {
    catalog.record(rejected.target(), rejected.snapshotId(), "rejected", rejected);
    rebuild(rejected.target().chain(), rejected.target().network());
  }

  /** Rewrites the index after an upload or a pin, so it lists pending snapshots and their CIDs. */
  public synchronized void changed(SnapshotTarget target) {
    rebuild(target.chain(), target.network());
  }

  /** Rebuilds and stores the index of {@code chain/network} from the catalog. */
  public synchronized SnapshotIndex rebuild(String chain, String network) {
    Map<String, Map<String, byte[]>> records = new TreeMap<>();
    String prefix = CatalogKeys.catalog(chain, network);
    for (String key : store.list(prefix)) {
      String rest = key.substring(prefix.length());
      int slash = rest.indexOf('/');
      if (slash < 0 || !rest.endsWith(".json")) {
        continue;
      }
      String id = rest.substring(0, slash);
      String stage = rest.substring(slash + 1, rest.length() - ".json".length());
      store
          .get(key)
          .ifPresent(bytes -> records.computeIfAbsent(id, k -> new HashMap<>()).put(stage, bytes));
    }
    List<SnapshotIndex.Entry> entries = new ArrayList<>();
    for (Map.Entry<String, Map<String, byte[]>> snapshot : records.entrySet()) {
      entry(snapshot.getValue()).ifPresent(entries::add);
    }
    entries.sort(
        Comparator.comparing(SnapshotIndex.Entry::takenAt)
            .thenComparing(SnapshotIndex.Entry::snapshotId)
            .reversed());
    Map<String, String> latest = new LinkedHashMap<>();
    for (SnapshotIndex.Entry entry : entries) {
      if (entry.verification().status().equals("verified")) {
        latest.putIfAbsent(entry.mode(), entry.snapshotId());
      }
    }
    String indexKey = CatalogKeys.index(chain, network);
    long sequence =
        store.get(indexKey).map(bytes -> SnapshotIndex.read(bytes).sequence()).orElse(0L) + 1;
    SnapshotIndex index =
        new SnapshotIndex(
            SnapshotIndex.FORMAT_VERSION, chain, network, sequence, Instant.now(), latest, entries);
    store.put(indexKey, index.toJson(), "application/json", "no-cache, max-age=0", Map.of());
    LOG.infof(
        "index %s sequence %d: %d snapshots, latest %s",
        indexKey, sequence, entries.size(), latest);
    return index;
  }

  private Optional<SnapshotIndex.Entry> entry(Map<String, byte[]> stages) {
    if (!stages.containsKey("created") || !stages.containsKey("uploaded")) {
      return Optional.empty(); // not public yet
    }
    SnapshotCreated created = decode(EventType.SNAPSHOT_CREATED, stages.get("created"));
    SnapshotUploaded uploaded = decode(EventType.SNAPSHOT_UPLOADED, stages.get("uploaded"));
    Map<String, String> sources = new LinkedHashMap<>();
    sources.put("https", uploaded.archiveUrl());
    sources.put("manifest", uploaded.manifestUrl());
    sources.put("s3", "s3://" + uploaded.bucket() + "/" + uploaded.archiveKey());
    if (stages.containsKey("pinned")) {
      SnapshotPinned pinned = decode(EventType.SNAPSHOT_PINNED, stages.get("pinned"));
      sources.put("ipfs", "ipfs://" + pinned.cid());
      config
          .ipfs()
          .gatewayUrl()
          .ifPresent(gateway -> sources.put("ipfs-gateway", gateway + "/ipfs/" + pinned.cid()));
    }
    // the newest verdict wins: a re-verification can confirm or overturn an earlier one
    SnapshotRejected rejected =
        stages.containsKey("rejected")
            ? decode(EventType.SNAPSHOT_REJECTED, stages.get("rejected"))
            : null;
    SnapshotVerified verified =
        stages.containsKey("verified")
            ? decode(EventType.SNAPSHOT_VERIFIED, stages.get("verified"))
            : null;
    if (rejected != null
        && verified != null
        && verified.verifiedAt().isAfter(rejected.rejectedAt())) {
      rejected = null;
    }
    SnapshotIndex.Verification verification;
    if (rejected != null) {
      verification =
          new SnapshotIndex.Verification(
              "rejected", rejected.rejectedAt(), rejected.stage() + ": " + rejected.reason());
    } else if (verified != null) {
      verification =
          new SnapshotIndex.Verification(
              "verified",
              verified.verifiedAt(),
              "restored in "
                  + verified.restoreMillis()
                  + " ms, node answered at height "
                  + verified.height()
                  + " in "
                  + verified.bootMillis()
                  + " ms");
    } else {
      verification = new SnapshotIndex.Verification("pending", null, null);
    }
    return Optional.of(
        new SnapshotIndex.Entry(
            created.snapshotId(),
            created.target().mode(),
            created.height(),
            created.blockHash(),
            created.clientVersion(),
            created.takenAt(),
            created.archive().compressedSize(),
            created.archive().contentSize(),
            created.archive().fileCount(),
            created.archive().sha256(),
            sources,
            verification));
  }

  private static <T extends io.chainsnap.events.EventData> T decode(EventType type, byte[] json) {
    return EventCodec.decode(type, new String(json, StandardCharsets.UTF_8));
  }
}
