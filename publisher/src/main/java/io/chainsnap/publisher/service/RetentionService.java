package io.chainsnap.publisher.service;

import io.chainsnap.archive.ArchiveException;
import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.SnapshotId;
import io.chainsnap.domain.VerificationStatus;
import io.chainsnap.events.SnapshotExpired;
import io.chainsnap.events.SnapshotTarget;
import io.chainsnap.publisher.CatalogStage;
import io.chainsnap.publisher.cdn.DownloadLinks;
import io.chainsnap.publisher.config.PublisherConfig;
import io.chainsnap.publisher.messaging.PublisherEvents;
import io.chainsnap.publisher.store.ArchiveStore;
import io.chainsnap.publisher.store.CatalogKeys;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Applies the retention policies ({@link RetentionPolicy}) to the published snapshots, in an order
 * a crash cannot break:
 *
 * <ol>
 *   <li>decide, under the index lock ({@link IndexService#exclusive}), and record the decision in
 *       the catalog ({@code expired}, the {@code snapshot-expired} event to come);
 *   <li>rewrite the index, which never lists an expired snapshot again (nor as latest);
 *   <li>once the download window has passed since the decision: delete the snapshot's objects
 *       (everything under {@code chain/network/mode/id/}: archive, {@code snapshot.json}, {@code
 *       SHA256SUMS}), unpin its CID unless another listed snapshot has the same one, tell the
 *       mirror ({@link MirrorReferences});
 *   <li>emit {@code snapshot-expired}, then record {@code expiry-announced}.
 * </ol>
 *
 * Every run finishes the expiries that an earlier run left (crash, failure, window not passed yet):
 * each step is idempotent. Catalog records are kept (a few KB per snapshot): they keep redelivered
 * events idempotent and say what happened.
 */
@Startup // a bad policy stops the start, not the first run
@ApplicationScoped
public class RetentionService {
  private static final Logger LOG = Logger.getLogger(RetentionService.class);
  private static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9-]{0,63}$");

  private final ArchiveStore store;
  private final Catalog catalog;
  private final IndexService index;
  private final PinService pins;
  private final MirrorReferences mirror;
  private final PublisherEvents events;
  private final boolean enabled;
  private final boolean dryRun;
  private final boolean ipfsEnabled;
  private final Duration window;
  private final Map<SnapshotTarget, RetentionPolicy.Rules> policies;

  /** What one run did for one chain/network. */
  public record Report(
      String chain,
      String network,
      List<String> expired,
      List<String> finished,
      List<String> waiting,
      List<String> failed) {}

  /** One snapshot's decision, for the plan endpoint and the dry-run log. */
  public record PlannedSnapshot(
      String snapshotId,
      String mode,
      Instant takenAt,
      VerificationStatus verification,
      boolean keep,
      List<String> reasons) {}

  /**
   * What a run would do now for one chain/network, changing nothing.
   *
   * @param policies the configured policy of each mode
   * @param snapshots every listed snapshot of those modes, with its decision
   * @param awaitingDeletion expired and delisted, objects not deleted yet (id to earliest deletion)
   */
  public record Plan(
      String chain,
      String network,
      Instant at,
      String downloadWindow,
      Map<String, String> policies,
      List<PlannedSnapshot> snapshots,
      Map<String, Instant> awaitingDeletion) {}

  @Inject
  public RetentionService(
      ArchiveStore store,
      Catalog catalog,
      IndexService index,
      PinService pins,
      MirrorReferences mirror,
      PublisherEvents events,
      DownloadLinks links,
      PublisherConfig config) {
    this.store = store;
    this.catalog = catalog;
    this.index = index;
    this.pins = pins;
    this.mirror = mirror;
    this.events = events;
    PublisherConfig.Retention retention = config.retention();
    this.enabled = retention.enabled();
    this.dryRun = retention.dryRun();
    this.ipfsEnabled = config.ipfs().enabled();
    Duration window = retention.minAge();
    if (window.isNegative()) {
      throw new IllegalArgumentException(
          "invalid configuration publisher.retention.min-age: must not be negative");
    }
    Duration signed = links.maxDownloadWindow(); // the signed-URL lifetime, zero when unsigned
    if (signed.compareTo(window) > 0) {
      window = signed; // links signed into an index stay valid this long after it was replaced
    }
    this.window = window;
    this.policies = policies(retention.policies());
    LOG.infof(
        "retention %s, download window %s, policies %s",
        enabled ? (dryRun ? "on (dry run)" : "on") : "off", window, policies.keySet());
  }

  /** Whether retention runs on its schedule and after publications. */
  public boolean enabled() {
    return enabled;
  }

  /** The download window used: the larger of {@code min-age} and the signed-URL lifetime. */
  public Duration downloadWindow() {
    return window;
  }

  /** Runs retention for every chain/network with a policy; never throws for one that fails. */
  public synchronized List<Report> run(Instant now) {
    List<Report> reports = new ArrayList<>();
    for (String[] chainNetwork : chainNetworks()) {
      try {
        reports.add(run(chainNetwork[0], chainNetwork[1], now));
      } catch (RuntimeException e) {
        LOG.errorf(
            e,
            "retention of %s/%s failed (tried again at the next run): %s",
            chainNetwork[0],
            chainNetwork[1],
            e.getMessage());
      }
    }
    return reports;
  }

  /** After a publication: runs retention for its chain/network when on; never throws. */
  public void published(SnapshotTarget target) {
    if (!enabled || policiesOf(target.chain(), target.network()).isEmpty()) {
      return;
    }
    try {
      run(target.chain(), target.network(), Instant.now());
    } catch (RuntimeException e) {
      LOG.errorf(
          e,
          "retention of %s/%s after a publication failed (tried again at the next run): %s",
          target.chain(),
          target.network(),
          e.getMessage());
    }
  }

  /**
   * Runs retention for one chain/network at {@code now}: decides and delists, then finishes every
   * expiry whose download window has passed. With {@code dry-run}, only logs the plan.
   */
  public synchronized Report run(String chain, String network, Instant now) {
    Map<SnapshotTarget, RetentionPolicy.Rules> rules = policiesOf(chain, network);
    if (dryRun) {
      Plan plan = plan(chain, network, now);
      plan.snapshots().stream()
          .filter(s -> !s.keep())
          .forEach(
              s ->
                  LOG.infof(
                      "retention dry run: would expire %s (%s, taken %s): %s",
                      s.snapshotId(), s.verification(), s.takenAt(), s.reasons()));
      return new Report(
          chain,
          network,
          List.of(),
          List.of(),
          List.copyOf(plan.awaitingDeletion().keySet()),
          List.of());
    }
    // 1 and 2: decide and delist, with no index update in between
    List<String> expired =
        index.exclusive(
            () -> {
              SnapshotIndex current = currentIndex(chain, network);
              List<String> ids = new ArrayList<>();
              for (Map.Entry<SnapshotTarget, RetentionPolicy.Rules> policy : rules.entrySet()) {
                SnapshotTarget target = policy.getKey();
                for (RetentionPolicy.Decision d : decide(current, target, policy.getValue(), now)) {
                  if (d.keep()) {
                    continue;
                  }
                  String id = d.snapshot().snapshotId();
                  if (current.latest(target.mode()).filter(id::equals).isPresent()) {
                    throw new IllegalStateException("retention would expire latest " + id); // a bug
                  }
                  SnapshotIndex.Entry entry = entry(current, id).orElseThrow();
                  SnapshotExpired event =
                      new SnapshotExpired(
                          id,
                          target,
                          entry.height(),
                          entry.takenAt(),
                          entry.verification().status(),
                          String.join("; ", d.reasons()),
                          prefix(target, id),
                          cid(entry).orElse(null),
                          now);
                  catalog.record(target, id, CatalogStage.EXPIRED, event);
                  LOG.infof(
                      "retention: %s expired (%s); objects deleted after %s",
                      id, event.reason(), now.plus(window));
                  index.changed(target, id);
                  current = currentIndex(chain, network);
                  ids.add(id);
                }
              }
              return ids;
            });
    // 3 and 4: finish what is due, including what earlier runs left
    List<String> finished = new ArrayList<>();
    List<String> waiting = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (SnapshotExpired pending : unfinished(chain, network)) {
      if (now.isBefore(pending.expiredAt().plus(window))) {
        waiting.add(pending.snapshotId());
        continue;
      }
      try {
        finish(pending);
        finished.add(pending.snapshotId());
      } catch (RuntimeException e) {
        failed.add(pending.snapshotId());
        LOG.errorf(
            e,
            "retention: finishing the expiry of %s failed (tried again at the next run): %s",
            pending.snapshotId(),
            e.getMessage());
      }
    }
    Report report = new Report(chain, network, expired, finished, waiting, failed);
    if (!expired.isEmpty() || !finished.isEmpty() || !failed.isEmpty()) {
      LOG.infof(
          "retention %s/%s: expired %s, deleted %s, waiting for the download window %s, failed %s",
          chain, network, expired, finished, waiting, failed);
    }
    return report;
  }

  /** What {@link #run(String, String, Instant)} would do at {@code now}; changes nothing. */
  public Plan plan(String chain, String network, Instant now) {
    Map<SnapshotTarget, RetentionPolicy.Rules> rules = policiesOf(chain, network);
    Optional<SnapshotIndex> current = readIndex(chain, network);
    List<PlannedSnapshot> snapshots = new ArrayList<>();
    Map<String, String> described = new TreeMap<>();
    for (Map.Entry<SnapshotTarget, RetentionPolicy.Rules> policy : rules.entrySet()) {
      described.put(policy.getKey().mode().wireName(), policy.getValue().describe());
      if (current.isEmpty()) {
        continue;
      }
      for (RetentionPolicy.Decision d :
          decide(current.get(), policy.getKey(), policy.getValue(), now)) {
        snapshots.add(
            new PlannedSnapshot(
                d.snapshot().snapshotId(),
                policy.getKey().mode().wireName(),
                d.snapshot().takenAt(),
                d.snapshot().status(),
                d.keep(),
                d.reasons()));
      }
    }
    Map<String, Instant> awaiting = new LinkedHashMap<>();
    if (!rules.isEmpty()) {
      unfinished(chain, network)
          .forEach(e -> awaiting.put(e.snapshotId(), e.expiredAt().plus(window)));
    }
    return new Plan(chain, network, now, window.toString(), described, snapshots, awaiting);
  }

  /** The chain/networks that have a policy, as {@code [chain, network]}. */
  public List<String[]> chainNetworks() {
    Set<String> seen = new TreeSet<>();
    for (SnapshotTarget target : policies.keySet()) {
      seen.add(target.chain() + "/" + target.network());
    }
    return seen.stream().map(s -> s.split("/", 2)).toList();
  }

  private List<RetentionPolicy.Decision> decide(
      SnapshotIndex current, SnapshotTarget target, RetentionPolicy.Rules rules, Instant now) {
    List<RetentionPolicy.Candidate> candidates =
        current.snapshots().stream()
            .filter(e -> e.mode() == target.mode())
            .map(
                e ->
                    new RetentionPolicy.Candidate(
                        e.snapshotId(), e.takenAt(), e.verification().status()))
            .toList();
    return RetentionPolicy.plan(rules, candidates, now, window);
  }

  /** Steps 3 and 4 for one delisted snapshot; every step may already be done. */
  private void finish(SnapshotExpired expired) {
    SnapshotTarget target = expired.target();
    String id = expired.snapshotId();
    SnapshotIndex current =
        index.exclusive(
            () -> {
              SnapshotIndex now = currentIndex(target.chain(), target.network());
              // a crash between the record and the index write: delist first
              if (entry(now, id).isEmpty()) {
                return now;
              }
              index.changed(target, id);
              return currentIndex(target.chain(), target.network());
            });
    Set<String> keys = new LinkedHashSet<>(store.list(expired.objectPrefix()));
    keys.add(CatalogKeys.archive(target, id));
    keys.add(CatalogKeys.manifest(target, id));
    keys.add(CatalogKeys.checksums(target, id));
    for (String key : keys) {
      store.delete(key);
    }
    LOG.infof("retention: deleted %s (%d objects)", expired.objectPrefix(), keys.size());
    String cid = expired.cid();
    if (cid != null && ipfsEnabled) {
      boolean shared =
          current.snapshots().stream().anyMatch(e -> cid(e).filter(cid::equals).isPresent());
      if (shared) {
        LOG.infof("retention: %s is also a listed snapshot's CID: not unpinned", cid);
      } else {
        pins.unpin(cid);
      }
    }
    mirror.onExpired(target, id);
    if (catalog.read(target, id, CatalogStage.EXPIRY_ANNOUNCED).isEmpty()) {
      events.expired(expired);
      catalog.record(target, id, CatalogStage.EXPIRY_ANNOUNCED, expired);
    }
  }

  /** The {@code expired} records of {@code chain/network} without {@code expiry-announced}. */
  private List<SnapshotExpired> unfinished(String chain, String network) {
    String prefix = CatalogKeys.catalog(chain, network);
    String expiredFile = CatalogStage.EXPIRED.wireName() + CatalogKeys.RECORD_SUFFIX;
    String announcedFile = CatalogStage.EXPIRY_ANNOUNCED.wireName() + CatalogKeys.RECORD_SUFFIX;
    Map<String, Set<String>> files = new TreeMap<>();
    for (String key : store.list(prefix)) {
      String rest = key.substring(prefix.length());
      int slash = rest.indexOf('/');
      if (slash > 0) {
        files
            .computeIfAbsent(rest.substring(0, slash), k -> new TreeSet<>())
            .add(rest.substring(slash + 1));
      }
    }
    List<SnapshotExpired> out = new ArrayList<>();
    for (Map.Entry<String, Set<String>> snapshot : files.entrySet()) {
      if (!snapshot.getValue().contains(expiredFile)
          || snapshot.getValue().contains(announcedFile)
          || !SnapshotId.isValid(snapshot.getKey())) {
        continue;
      }
      store
          .get(prefix + snapshot.getKey() + "/" + expiredFile)
          .map(bytes -> Catalog.<SnapshotExpired>decode(CatalogStage.EXPIRED, bytes))
          .ifPresent(out::add);
    }
    return out;
  }

  /** The index as stored; rebuilt from the catalog when unreadable; empty when none. */
  private SnapshotIndex currentIndex(String chain, String network) {
    Optional<byte[]> stored = store.get(CatalogKeys.index(chain, network));
    if (stored.isEmpty()) {
      return index.rebuild(chain, network);
    }
    try {
      return SnapshotIndex.read(stored.get());
    } catch (ArchiveException e) {
      return index.rebuild(chain, network);
    }
  }

  private Optional<SnapshotIndex> readIndex(String chain, String network) {
    try {
      return store.get(CatalogKeys.index(chain, network)).map(SnapshotIndex::read);
    } catch (ArchiveException e) {
      LOG.warnf("index of %s/%s is unreadable: %s", chain, network, e.getMessage());
      return Optional.empty();
    }
  }

  private Map<SnapshotTarget, RetentionPolicy.Rules> policiesOf(String chain, String network) {
    Map<SnapshotTarget, RetentionPolicy.Rules> out = new LinkedHashMap<>();
    policies.forEach(
        (target, rules) -> {
          if (target.chain().equals(chain) && target.network().equals(network)) {
            out.put(target, rules);
          }
        });
    return out;
  }

  private static Optional<SnapshotIndex.Entry> entry(SnapshotIndex index, String id) {
    return index.snapshots().stream().filter(e -> e.snapshotId().equals(id)).findFirst();
  }

  private static Optional<String> cid(SnapshotIndex.Entry entry) {
    String ipfs = entry.sources().get("ipfs");
    return ipfs != null && ipfs.startsWith("ipfs://")
        ? Optional.of(ipfs.substring("ipfs://".length()))
        : Optional.empty();
  }

  static String prefix(SnapshotTarget target, String snapshotId) {
    String manifest = CatalogKeys.manifest(target, snapshotId); // checks the id
    return manifest.substring(0, manifest.length() - CatalogKeys.MANIFEST_FILE.length());
  }

  /** Parses and checks the configured policies; a clear start-up error for a bad one. */
  static Map<SnapshotTarget, RetentionPolicy.Rules> policies(
      Map<String, PublisherConfig.Retention.Policy> configured) {
    Map<SnapshotTarget, RetentionPolicy.Rules> out = new LinkedHashMap<>();
    for (Map.Entry<String, PublisherConfig.Retention.Policy> e :
        new TreeMap<>(configured).entrySet()) {
      String where = "invalid configuration publisher.retention.policies.\"" + e.getKey() + "\": ";
      String[] parts = e.getKey().split("/", -1);
      if (parts.length != 3
          || !NAME.matcher(parts[0]).matches()
          || !NAME.matcher(parts[1]).matches()) {
        throw new IllegalArgumentException(where + "the key must be <chain>/<network>/<mode>");
      }
      Mode mode;
      try {
        mode = Mode.fromWire(parts[2]);
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(where + "unknown mode '" + parts[2] + "'", ex);
      }
      PublisherConfig.Retention.Policy p = e.getValue();
      try {
        out.put(
            new SnapshotTarget(parts[0], parts[1], mode),
            new RetentionPolicy.Rules(
                p.keepLast(), p.keepDaily(), p.keepWeekly(), p.keepMonthly(), p.maxAge()));
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(where + ex.getMessage(), ex);
      }
    }
    return out;
  }
}
