package io.chainsnap.events;

import java.time.Instant;

/**
 * The verifier restored the published bytes, booted a node on them and found the expected tip.
 *
 * @param snapshotId the snapshot
 * @param target what it is of
 * @param height height the restored node reported
 * @param blockHash best block hash the restored node reported
 * @param sourceUrl the public URL the archive was downloaded from
 * @param restoreMillis download, check and extraction time
 * @param bootMillis time until the restored node answered
 * @param verifiedAt when
 * @param diskBytes bytes of the restored data dir after the node ran on it; optional (null)
 * @param verifyChainLevel checklevel of the node's {@code verifychain} that passed (Bitcoin Core
 *     family); optional (null: not run)
 * @param verifyChainBlocks nblocks of that {@code verifychain} (0: all); optional
 * @param utxoSetHashType which UTXO set hash {@code gettxoutsetinfo} returned ({@code
 *     hash_serialized_2}, {@code hash_serialized_3}, {@code muhash}); optional
 * @param utxoSetHash that hash at the tip, hex; optional
 */
public record SnapshotVerified(
    String snapshotId,
    SnapshotTarget target,
    long height,
    String blockHash,
    String sourceUrl,
    long restoreMillis,
    long bootMillis,
    Instant verifiedAt,
    Long diskBytes,
    Integer verifyChainLevel,
    Integer verifyChainBlocks,
    String utxoSetHashType,
    String utxoSetHash)
    implements EventData {

  /** A verification without the optional measurements and deeper checks. */
  public SnapshotVerified(
      String snapshotId,
      SnapshotTarget target,
      long height,
      String blockHash,
      String sourceUrl,
      long restoreMillis,
      long bootMillis,
      Instant verifiedAt) {
    this(
        snapshotId,
        target,
        height,
        blockHash,
        sourceUrl,
        restoreMillis,
        bootMillis,
        verifiedAt,
        null,
        null,
        null,
        null,
        null);
  }

  @Override
  public String key() {
    return snapshotId;
  }
}
