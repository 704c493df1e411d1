package io.chainsnap.publisher.service;

import io.chainsnap.events.PermanentFailureException;
import io.chainsnap.events.SnapshotCreated;
import io.chainsnap.events.SnapshotPinned;
import io.chainsnap.publisher.CatalogStage;
import io.chainsnap.publisher.client.IpfsRpcClient;
import io.chainsnap.publisher.config.PublisherConfig;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

/**
 * Adds a staged archive to IPFS (streamed from staging, CIDv1 with raw leaves) and pins it. The
 * bytes are hashed on the way: content that does not match the announced SHA-256 is unpinned and
 * refused. Idempotent: a snapshot with a recorded pin is only re-pinned if the node lost it.
 */
@ApplicationScoped
public class PinService {
  private static final Logger LOG = Logger.getLogger(PinService.class);

  private final IpfsRpcClient ipfs;
  private final StagingClient staging;
  private final Catalog catalog;
  private final PublisherMetrics metrics;

  public PinService(
      PublisherConfig config, StagingClient staging, Catalog catalog, PublisherMetrics metrics) {
    this.ipfs = new IpfsRpcClient(config.ipfs().apiUrl(), config.ipfs().timeout());
    this.staging = staging;
    this.catalog = catalog;
    this.metrics = metrics;
  }

  /** Whether {@code snapshot-pinned} was emitted for {@code created} already. */
  public boolean announced(SnapshotCreated created) {
    return catalog
        .read(created.target(), created.snapshotId(), CatalogStage.PIN_ANNOUNCED)
        .isPresent();
  }

  /** Remembers that {@code snapshot-pinned} was emitted (after the broker's ack). */
  public void markAnnounced(SnapshotPinned pinned) {
    catalog.record(pinned.target(), pinned.snapshotId(), CatalogStage.PIN_ANNOUNCED, pinned);
  }

  /**
   * Removes the recursive pin of {@code cid} if the node has it (retention); returns whether it was
   * pinned. Idempotent: a second call finds nothing and returns false.
   */
  public boolean unpin(String cid) {
    if (!ipfs.isPinned(cid)) {
      return false;
    }
    ipfs.unpin(cid);
    LOG.infof("unpinned %s", cid);
    return true;
  }

  /** Pins {@code created}'s archive unless already pinned, and records the CID. */
  @Retry(
      maxRetries = 4,
      delay = 2,
      delayUnit = ChronoUnit.SECONDS,
      maxDuration = 2,
      durationUnit = ChronoUnit.HOURS,
      abortOn = PermanentFailureException.class)
  @ExponentialBackoff(maxDelay = 1, maxDelayUnit = ChronoUnit.MINUTES)
  public SnapshotPinned pin(SnapshotCreated created) {
    Optional<SnapshotPinned> recorded =
        catalog.read(created.target(), created.snapshotId(), CatalogStage.PINNED);
    if (recorded.isPresent()) {
      String cid = recorded.get().cid();
      if (!ipfs.isPinned(cid)) {
        LOG.warnf(
            "%s was pinned as %s but the node lost it: pinning again", created.snapshotId(), cid);
        ipfs.pin(cid);
      }
      metrics.pinSkipped();
      return recorded.get();
    }
    AtomicReference<HashingInputStream> sent = new AtomicReference<>();
    String cid;
    try {
      cid =
          ipfs.add(
              "snapshot.tar.zst",
              () -> {
                InputStream in = staging.open(created.archive().archiveUrl());
                HashingInputStream hashing = new HashingInputStream(in);
                sent.set(hashing);
                return hashing;
              });
    } catch (IpfsRpcClient.IpfsException e) {
      // staging said "gone" while the node read the body: that is final, not worth retrying
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof PermanentFailureException permanent) {
          throw permanent;
        }
      }
      throw e;
    }
    HashingInputStream hashed = sent.get();
    String actual = hashed == null ? "nothing" : hashed.hex();
    if (!created.archive().sha256().equals(actual)
        || hashed.count() != created.archive().compressedSize()) {
      ipfs.unpin(cid);
      throw new PermanentFailureException(
          "staged archive of "
              + created.snapshotId()
              + " hashes to "
              + actual
              + " but snapshot-created announced "
              + created.archive().sha256()
              + ": unpinned "
              + cid);
    }
    SnapshotPinned pinned =
        new SnapshotPinned(created.snapshotId(), created.target(), cid, Instant.now());
    catalog.record(created.target(), created.snapshotId(), CatalogStage.PINNED, pinned);
    metrics.pinned(created.archive().compressedSize());
    LOG.infof("pinned %s as %s", created.snapshotId(), cid);
    return pinned;
  }
}
