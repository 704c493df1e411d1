package io.chainsnap.publisher.service;

import io.chainsnap.archive.ArchiveException;
import io.chainsnap.archive.SnapshotClaims;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.domain.Sha256;
import io.chainsnap.events.PermanentFailureException;
import io.chainsnap.events.SnapshotCreated;
import io.chainsnap.events.SnapshotUploaded;
import io.chainsnap.publisher.CatalogStage;
import io.chainsnap.publisher.store.ArchiveStore;
import io.chainsnap.publisher.store.CatalogKeys;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

/**
 * Copies a staged snapshot to object storage: the archive streamed from staging into a multipart
 * upload (hashed on the way, completed only if the hash matches the event), then the manifest and
 * {@code SHA256SUMS} (both files' hashes, for {@code sha256sum -c}). Idempotent on the snapshot id:
 * an archive already stored with the announced hash is not uploaded again.
 */
@ApplicationScoped
public class UploadService {
  private static final Logger LOG = Logger.getLogger(UploadService.class);

  private final ArchiveStore store;
  private final StagingClient staging;
  private final Catalog catalog;
  private final PublisherMetrics metrics;

  public UploadService(
      ArchiveStore store, StagingClient staging, Catalog catalog, PublisherMetrics metrics) {
    this.store = store;
    this.staging = staging;
    this.catalog = catalog;
    this.metrics = metrics;
  }

  /** Uploads {@code created}'s archive and manifest (unless already there) and records it. */
  @Retry(
      maxRetries = 4,
      delay = 2,
      delayUnit = ChronoUnit.SECONDS,
      maxDuration = 2,
      durationUnit = ChronoUnit.HOURS,
      abortOn = PermanentFailureException.class)
  @ExponentialBackoff(maxDelay = 1, maxDelayUnit = ChronoUnit.MINUTES)
  public SnapshotUploaded upload(SnapshotCreated created) {
    String id = created.snapshotId();
    String archiveKey = CatalogKeys.archive(created.target(), id);
    String manifestKey = CatalogKeys.manifest(created.target(), id);
    String sha256 = created.archive().sha256();
    long size = created.archive().compressedSize();

    // stored before (a redelivery, a replay after staging was cleaned up): never fetch staging
    Optional<SnapshotUploaded> recorded = catalog.read(created.target(), id, CatalogStage.UPLOADED);
    boolean archiveStored = stored(archiveKey, sha256, size);
    if (recorded.isPresent() && archiveStored && store.head(manifestKey).isPresent()) {
      LOG.infof("%s is stored already (sha256 %s): not fetching staging again", archiveKey, sha256);
      metrics.uploadSkipped();
      return recorded.get();
    }

    // the manifest first: small, and it must agree with the event before anything is published
    byte[] manifest = staging.read(created.archive().manifestUrl());
    checkManifest(created, manifest);

    if (archiveStored) {
      LOG.infof("%s already stored with sha256 %s: not uploading again", archiveKey, sha256);
      metrics.uploadSkipped();
    } else {
      long started = System.nanoTime();
      try (HashingInputStream in =
          new HashingInputStream(staging.open(created.archive().archiveUrl()))) {
        store.upload(
            archiveKey,
            in,
            size,
            "application/zstd",
            Map.of("sha256", sha256, "snapshot-id", id),
            () -> {
              String actual = in.hex();
              if (!actual.equals(sha256)) {
                metrics.uploadRejected();
                throw new PermanentFailureException(
                    "staged archive of "
                        + id
                        + " hashes to "
                        + actual
                        + " but snapshot-created announced "
                        + sha256
                        + ": not published");
              }
            });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      metrics.uploaded(Duration.ofNanos(System.nanoTime() - started), size);
      LOG.infof("uploaded %s (%d bytes, sha256 %s)", archiveKey, size, sha256);
    }
    store.put(
        manifestKey,
        manifest,
        "application/json",
        "public, max-age=31536000, immutable",
        Map.of("sha256", created.archive().manifestSha256(), "snapshot-id", id));
    store.put(
        CatalogKeys.checksums(created.target(), id),
        sha256Sums(sha256, created.archive().manifestSha256()),
        "text/plain; charset=utf-8",
        "public, max-age=31536000, immutable",
        Map.of("snapshot-id", id));

    SnapshotUploaded uploaded =
        new SnapshotUploaded(
            id,
            created.target(),
            created.height(),
            created.blockHash(),
            store.bucket(),
            archiveKey,
            manifestKey,
            store.publicUrl(archiveKey),
            store.publicUrl(manifestKey),
            sha256,
            size,
            Instant.now());
    catalog.record(created.target(), id, CatalogStage.CREATED, created);
    catalog.record(created.target(), id, CatalogStage.UPLOADED, uploaded);
    return uploaded;
  }

  /**
   * The {@code SHA256SUMS} file published beside the archive, in the format of {@code sha256sum}
   * (hex digest, two spaces, file name; one line per file), so that {@code sha256sum -c SHA256SUMS}
   * checks both files once downloaded under their own names.
   */
  static byte[] sha256Sums(String archiveSha256, String manifestSha256) {
    return (checkedHex(archiveSha256)
            + "  "
            + CatalogKeys.ARCHIVE_FILE
            + "\n"
            + checkedHex(manifestSha256)
            + "  "
            + CatalogKeys.MANIFEST_FILE
            + "\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static String checkedHex(String sha256) {
    if (sha256 == null || !Sha256.HEX.matcher(sha256).matches()) {
      throw new PermanentFailureException("not a SHA-256 in lower-case hex: '" + sha256 + "'");
    }
    return sha256;
  }

  /** Refuses a staged {@code snapshot.json} that is not the one {@code created} announced. */
  /** Whether {@code snapshot-uploaded} was emitted for {@code created} already. */
  public boolean announced(SnapshotCreated created) {
    return catalog
        .read(created.target(), created.snapshotId(), CatalogStage.UPLOAD_ANNOUNCED)
        .isPresent();
  }

  /** Remembers that {@code snapshot-uploaded} was emitted (after the broker's ack). */
  public void markAnnounced(SnapshotUploaded uploaded) {
    catalog.record(
        uploaded.target(), uploaded.snapshotId(), CatalogStage.UPLOAD_ANNOUNCED, uploaded);
  }

  /** Whether {@code key} holds the archive already: same announced SHA-256 and size. */
  private boolean stored(String key, String sha256, long size) {
    Optional<ArchiveStore.StoredObject> existing = store.head(key);
    return existing.isPresent()
        && sha256.equals(existing.get().metadata().get("sha256"))
        && existing.get().size() == size;
  }

  static void checkManifest(SnapshotCreated created, byte[] manifest) {
    String actual = Sha256.hex(manifest);
    if (!actual.equals(created.archive().manifestSha256())) {
      throw new PermanentFailureException(
          "staged snapshot.json of "
              + created.snapshotId()
              + " hashes to "
              + actual
              + " but snapshot-created announced "
              + created.archive().manifestSha256());
    }
    SnapshotMetadata metadata;
    try {
      metadata = SnapshotMetadata.read(manifest);
    } catch (ArchiveException e) {
      throw new PermanentFailureException(
          "staged snapshot.json of " + created.snapshotId() + " is invalid: " + e.getMessage(), e);
    }
    String disagreement =
        SnapshotClaims.of(created.snapshotId())
            .withTarget(
                created.target().chain(), created.target().network(), created.target().mode())
            .withTip(created.height(), created.blockHash())
            .withArchive(created.archive().sha256(), created.archive().compressedSize())
            .withContent(created.archive().contentSize(), created.archive().fileCount())
            .disagreement(metadata, "snapshot-created");
    if (disagreement != null) {
      throw new PermanentFailureException("staged " + disagreement);
    }
  }
}
