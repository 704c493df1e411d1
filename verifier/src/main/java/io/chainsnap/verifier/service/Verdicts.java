package io.chainsnap.verifier.service;

import io.chainsnap.archive.ArchiveException;
import io.chainsnap.archive.SnapshotClaims;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.archive.restore.RestoreException;
import io.chainsnap.chain.ChainBootException;
import io.chainsnap.chain.ChainStatus;
import io.chainsnap.domain.RejectionStage;
import io.chainsnap.events.SnapshotUploaded;
import java.util.Optional;

/**
 * What a failure means for a snapshot: a {@link Rejection} at its stage when the published snapshot
 * is at fault (what an operator restoring it would get too), or empty when it is the verifier's own
 * trouble (network, server errors, time, scratch disk), which the caller rethrows to be retried.
 * Pure: no I/O.
 */
final class Verdicts {
  /** Who claims what {@code snapshot.json} must agree with, for messages. */
  static final String CLAIMANT = "snapshot-uploaded";

  private Verdicts() {}

  /**
   * The stage a restore failure rejects the snapshot at: {@code NOT_FOUND} -> download, {@code
   * CORRUPT} -> checksum, {@code UNSUPPORTED_FORMAT} and {@code UNSAFE} -> extract; empty for the
   * verifier's own trouble ({@code NETWORK}, {@code CANCELLED}, {@code DISK}, {@code NO_SPACE},
   * {@code DESTINATION}).
   */
  static Optional<RejectionStage> stageOf(RestoreException.Reason reason) {
    return switch (reason) {
      case NOT_FOUND -> Optional.of(RejectionStage.DOWNLOAD);
      case CORRUPT -> Optional.of(RejectionStage.CHECKSUM);
      case UNSUPPORTED_FORMAT, UNSAFE -> Optional.of(RejectionStage.EXTRACT);
      case NETWORK, CANCELLED, DISK, NO_SPACE, DESTINATION -> Optional.empty();
    };
  }

  /** A failed restore of the archive: a rejection at {@link #stageOf} its reason, or empty. */
  static Optional<Rejection> ofRestore(RestoreException e) {
    return stageOf(e.reason()).map(stage -> new Rejection(stage, e.getMessage(), e));
  }

  /**
   * A non-200 answer to the GET of {@code url}: a 4xx rejects at download (the published object is
   * missing or not public); anything else (5xx, 3xx left after redirects) is empty.
   */
  static Optional<Rejection> ofHttpStatus(String url, int status) {
    if (status >= 400 && status < 500) {
      return Optional.of(new Rejection(RejectionStage.DOWNLOAD, url + " answered HTTP " + status));
    }
    return Optional.empty();
  }

  /** {@code snapshot.json} refused by the reader (not JSON, unknown version, invalid): extract. */
  static Rejection ofManifestRefused(ArchiveException e) {
    return new Rejection(
        RejectionStage.EXTRACT, SnapshotMetadata.FILE_NAME + " refused: " + e.getMessage(), e);
  }

  /**
   * {@code snapshot.json} against the event: a checksum rejection naming every field that differs
   * (id, target, tip, archive SHA-256 and size), or empty when they agree.
   */
  static Optional<Rejection> ofClaims(SnapshotMetadata metadata, SnapshotUploaded uploaded) {
    SnapshotClaims claims =
        SnapshotClaims.of(uploaded.snapshotId())
            .withTarget(
                uploaded.target().chain(), uploaded.target().network(), uploaded.target().mode())
            .withTip(uploaded.height(), uploaded.blockHash())
            .withArchive(uploaded.sha256(), uploaded.compressedSize());
    return Optional.ofNullable(claims.disagreement(metadata, CLAIMANT))
        .map(sentence -> new Rejection(RejectionStage.CHECKSUM, sentence));
  }

  /**
   * The restored node answered at the announced tip, but its own check of the chain ({@code
   * verifychain}) failed: tip (the chain up to the tip is not what the node can use).
   */
  static Rejection ofChainCheck(ChainBootException e) {
    return new Rejection(RejectionStage.TIP, e.getMessage(), e);
  }

  /** The node did not start, exited or did not answer on the restored data: boot. */
  static Rejection ofBoot(ChainBootException e) {
    return new Rejection(RejectionStage.BOOT, e.getMessage(), e);
  }

  /**
   * The restored node's tip against the announced one: a tip rejection when the height or the hash
   * differs, or empty when both agree.
   */
  static Optional<Rejection> ofTip(ChainStatus status, SnapshotUploaded uploaded) {
    if (status.height() == uploaded.height()
        && status.bestBlockHash().equals(uploaded.blockHash())) {
      return Optional.empty();
    }
    return Optional.of(
        new Rejection(
            RejectionStage.TIP,
            "restored node is at height "
                + status.height()
                + " hash "
                + status.bestBlockHash()
                + ", the snapshot announced height "
                + uploaded.height()
                + " hash "
                + uploaded.blockHash()));
  }
}
