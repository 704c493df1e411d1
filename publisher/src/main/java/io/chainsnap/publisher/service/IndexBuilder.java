package io.chainsnap.publisher.service;

import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.VerificationStatus;
import io.chainsnap.events.EventData;
import io.chainsnap.events.SnapshotCreated;
import io.chainsnap.events.SnapshotExpired;
import io.chainsnap.events.SnapshotPinned;
import io.chainsnap.events.SnapshotRejected;
import io.chainsnap.events.SnapshotUploaded;
import io.chainsnap.events.SnapshotVerified;
import io.chainsnap.publisher.CatalogStage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The index decisions, without storage: a snapshot's catalog records make its {@code index.json}
 * entry (listed once uploaded, the newer verdict wins), and the entries make the index (newest
 * first, {@code latest} the newest verified per mode, the sequence one more than the last).
 */
public final class IndexBuilder {
  /**
   * The stages whose records make an entry ({@code published} does not change it; {@code expired}
   * removes it for good).
   */
  public static final Set<CatalogStage> INDEXED_STAGES =
      EnumSet.of(
          CatalogStage.CREATED,
          CatalogStage.UPLOADED,
          CatalogStage.PINNED,
          CatalogStage.VERIFIED,
          CatalogStage.REJECTED,
          CatalogStage.EXPIRED);

  /** Newest first: by {@code takenAt}, then by id. */
  public static final Comparator<SnapshotIndex.Entry> NEWEST_FIRST =
      Comparator.comparing(SnapshotIndex.Entry::takenAt)
          .thenComparing(SnapshotIndex.Entry::snapshotId)
          .reversed();

  private final Optional<String> ipfsGatewayUrl;
  private final SourceLinks links;

  /** A builder that adds an {@code ipfs-gateway} source under {@code ipfsGatewayUrl} if set. */
  public IndexBuilder(Optional<String> ipfsGatewayUrl) {
    this(ipfsGatewayUrl, SourceLinks.PLAIN);
  }

  /**
   * A builder that also passes the sources of every entry it writes through {@code links} (signed
   * CDN URLs), new entries and listed ones alike.
   */
  public IndexBuilder(Optional<String> ipfsGatewayUrl, SourceLinks links) {
    this.ipfsGatewayUrl = ipfsGatewayUrl;
    this.links = links;
  }

  /** This builder with its sources passed through {@code links}. */
  public IndexBuilder withLinks(SourceLinks links) {
    return new IndexBuilder(ipfsGatewayUrl, links);
  }

  /**
   * The catalog records of one snapshot that the index is made of; a stage not reached is {@code
   * null}.
   *
   * @param created {@code snapshot-created}
   * @param uploaded {@code snapshot-uploaded}
   * @param pinned {@code snapshot-pinned}
   * @param verified {@code snapshot-verified}
   * @param rejected {@code snapshot-rejected}
   * @param expired retention's decision ({@code snapshot-expired}): never listed again
   */
  public record CatalogRecords(
      SnapshotCreated created,
      SnapshotUploaded uploaded,
      SnapshotPinned pinned,
      SnapshotVerified verified,
      SnapshotRejected rejected,
      SnapshotExpired expired) {

    /** The records of a snapshot that retention has not expired. */
    public CatalogRecords(
        SnapshotCreated created,
        SnapshotUploaded uploaded,
        SnapshotPinned pinned,
        SnapshotVerified verified,
        SnapshotRejected rejected) {
      this(created, uploaded, pinned, verified, rejected, null);
    }

    /** The records of {@code records}, keyed by stage (other stages ignored). */
    public static CatalogRecords of(Map<CatalogStage, ? extends EventData> records) {
      return new CatalogRecords(
          (SnapshotCreated) records.get(CatalogStage.CREATED),
          (SnapshotUploaded) records.get(CatalogStage.UPLOADED),
          (SnapshotPinned) records.get(CatalogStage.PINNED),
          (SnapshotVerified) records.get(CatalogStage.VERIFIED),
          (SnapshotRejected) records.get(CatalogStage.REJECTED),
          (SnapshotExpired) records.get(CatalogStage.EXPIRED));
    }
  }

  /**
   * The index entry of a snapshot, or empty while it is not public yet (not uploaded) and once
   * retention expired it.
   */
  public Optional<SnapshotIndex.Entry> entry(CatalogRecords records) {
    SnapshotCreated created = records.created();
    SnapshotUploaded uploaded = records.uploaded();
    if (created == null || uploaded == null || records.expired() != null) {
      return Optional.empty();
    }
    Map<String, String> sources = new LinkedHashMap<>();
    sources.put("https", uploaded.archiveUrl());
    sources.put("manifest", uploaded.manifestUrl());
    sources.put("s3", "s3://" + uploaded.bucket() + "/" + uploaded.archiveKey());
    if (records.pinned() != null) {
      String cid = records.pinned().cid();
      sources.put("ipfs", "ipfs://" + cid);
      ipfsGatewayUrl.ifPresent(gateway -> sources.put("ipfs-gateway", gateway + "/ipfs/" + cid));
    }
    Map<String, String> published =
        links.links(created.target().chain(), created.target().network(), sources);
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
            published,
            verification(records.verified(), records.rejected())));
  }

  /**
   * The verdict shown: the newer of the two ({@code verifiedAt} against {@code rejectedAt}; a
   * rejection at the same instant wins), so a re-verification can confirm or overturn an earlier
   * one; {@code pending} without either.
   */
  static SnapshotIndex.Verification verification(
      SnapshotVerified verified, SnapshotRejected rejected) {
    if (rejected != null
        && (verified == null || !verified.verifiedAt().isAfter(rejected.rejectedAt()))) {
      return new SnapshotIndex.Verification(
          VerificationStatus.REJECTED,
          rejected.rejectedAt(),
          rejected.stage() + ": " + rejected.reason());
    }
    if (verified != null) {
      return new SnapshotIndex.Verification(
          VerificationStatus.VERIFIED,
          verified.verifiedAt(),
          "restored in "
              + verified.restoreMillis()
              + " ms, node answered at height "
              + verified.height()
              + " in "
              + verified.bootMillis()
              + " ms",
          verified.restoreMillis(),
          verified.bootMillis(),
          verified.diskBytes(),
          verified.verifyChainLevel(),
          verified.verifyChainBlocks(),
          verified.utxoSetHashType(),
          verified.utxoSetHash());
    }
    return new SnapshotIndex.Verification(VerificationStatus.PENDING, null, null);
  }

  /**
   * The index of {@code entries}, written after the one of sequence {@code previousSequence} (0
   * when there was none).
   */
  public SnapshotIndex index(
      String chain,
      String network,
      long previousSequence,
      Instant generatedAt,
      Collection<SnapshotIndex.Entry> entries) {
    List<SnapshotIndex.Entry> sorted = new ArrayList<>(entries);
    sorted.sort(NEWEST_FIRST);
    return new SnapshotIndex(
        SnapshotIndex.FORMAT_VERSION,
        chain,
        network,
        previousSequence + 1,
        generatedAt,
        latest(sorted),
        List.copyOf(sorted));
  }

  /**
   * {@code current} with the entry of {@code snapshotId} replaced by {@code entry} (inserted if it
   * was not listed, removed if {@code entry} is empty), {@code latest} recomputed, and the next
   * sequence.
   */
  public SnapshotIndex update(
      SnapshotIndex current,
      String snapshotId,
      Optional<SnapshotIndex.Entry> entry,
      Instant generatedAt) {
    List<SnapshotIndex.Entry> entries = new ArrayList<>(current.snapshots().size() + 1);
    for (SnapshotIndex.Entry listed : current.snapshots()) {
      if (!listed.snapshotId().equals(snapshotId)) {
        entries.add(withGateway(listed, current.chain(), current.network()));
      }
    }
    entry.ifPresent(entries::add);
    return index(current.chain(), current.network(), current.sequence(), generatedAt, entries);
  }

  /**
   * {@code entry} with its {@code ipfs-gateway} source made from its CID and this gateway, and its
   * sources passed through the links (signed afresh).
   */
  private SnapshotIndex.Entry withGateway(SnapshotIndex.Entry entry, String chain, String network) {
    String ipfs = entry.sources().get("ipfs");
    Map<String, String> gatewayed = new LinkedHashMap<>(entry.sources());
    gatewayed.remove("ipfs-gateway");
    if (ipfs != null && ipfs.startsWith("ipfs://")) {
      String cid = ipfs.substring("ipfs://".length());
      ipfsGatewayUrl.ifPresent(gateway -> gatewayed.put("ipfs-gateway", gateway + "/ipfs/" + cid));
    }
    Map<String, String> sources = links.links(chain, network, gatewayed);
    if (sources.equals(entry.sources())) {
      return entry;
    }
    return new SnapshotIndex.Entry(
        entry.snapshotId(),
        entry.mode(),
        entry.height(),
        entry.blockHash(),
        entry.clientVersion(),
        entry.takenAt(),
        entry.compressedSize(),
        entry.contentSize(),
        entry.fileCount(),
        entry.sha256(),
        sources,
        entry.verification());
  }

  /** Per mode (wire name), the id of the first verified entry of {@code newestFirst}. */
  static Map<String, String> latest(List<SnapshotIndex.Entry> newestFirst) {
    Map<Mode, String> byMode = new LinkedHashMap<>();
    for (SnapshotIndex.Entry entry : newestFirst) {
      if (entry.verification().status() == VerificationStatus.VERIFIED) {
        byMode.putIfAbsent(entry.mode(), entry.snapshotId());
      }
    }
    Map<String, String> latest = new LinkedHashMap<>();
    byMode.forEach((mode, id) -> latest.put(mode.wireName(), id));
    return latest;
  }
}
