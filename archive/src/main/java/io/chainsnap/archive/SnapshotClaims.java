package io.chainsnap.archive;

import io.chainsnap.domain.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What someone claims about a snapshot (an event that announces it, an {@code index.json} entry
 * that lists it), to be checked against its {@code snapshot.json}: the one agreement check of
 * chainsnap. A {@code null} field is not claimed and not checked.
 *
 * @param snapshotId id
 * @param chain chain
 * @param network network
 * @param mode mode
 * @param height block height
 * @param blockHash hash of that block
 * @param archiveSha256 SHA-256 of {@code snapshot.tar.zst}
 * @param compressedSize bytes of {@code snapshot.tar.zst}
 * @param contentSize bytes of file data once restored
 * @param fileCount files
 */
public record SnapshotClaims(
    String snapshotId,
    String chain,
    String network,
    Mode mode,
    Long height,
    String blockHash,
    String archiveSha256,
    Long compressedSize,
    Long contentSize,
    Long fileCount) {

  /** Nothing claimed yet; add claims with the {@code with...} methods. */
  public static SnapshotClaims of(String snapshotId) {
    return new SnapshotClaims(snapshotId, null, null, null, null, null, null, null, null, null);
  }

  public SnapshotClaims withTarget(String chain, String network, Mode mode) {
    return new SnapshotClaims(
        snapshotId,
        chain,
        network,
        mode,
        height,
        blockHash,
        archiveSha256,
        compressedSize,
        contentSize,
        fileCount);
  }

  public SnapshotClaims withTip(long height, String blockHash) {
    return new SnapshotClaims(
        snapshotId,
        chain,
        network,
        mode,
        height,
        blockHash,
        archiveSha256,
        compressedSize,
        contentSize,
        fileCount);
  }

  public SnapshotClaims withArchive(String sha256, Long compressedSize) {
    return new SnapshotClaims(
        snapshotId,
        chain,
        network,
        mode,
        height,
        blockHash,
        sha256,
        compressedSize,
        contentSize,
        fileCount);
  }

  public SnapshotClaims withContent(Long contentSize, Long fileCount) {
    return new SnapshotClaims(
        snapshotId,
        chain,
        network,
        mode,
        height,
        blockHash,
        archiveSha256,
        compressedSize,
        contentSize,
        fileCount);
  }

  /**
   * Every claimed field that {@code metadata} contradicts, each as {@code what (<claimant> x,
   * snapshot.json y)}; empty when they agree.
   *
   * @param claimant who claims, for the message: {@code index}, {@code snapshot-created}, ...
   */
  public List<String> differences(SnapshotMetadata metadata, String claimant) {
    List<String> out = new ArrayList<>();
    differ(out, claimant, "snapshot id", snapshotId, metadata.snapshotId());
    differ(out, claimant, "chain", chain, metadata.chain());
    differ(out, claimant, "network", network, metadata.network());
    differ(out, claimant, "mode", mode, metadata.mode());
    differ(out, claimant, "height", height, metadata.height());
    differ(out, claimant, "block hash", blockHash, metadata.blockHash());
    ArchiveManifest archive = metadata.archive();
    differ(out, claimant, "archive sha256", archiveSha256, archive.sha256());
    differ(out, claimant, "compressed size", compressedSize, archive.compressedSize());
    differ(out, claimant, "content size", contentSize, archive.contentSize());
    differ(out, claimant, "file count", fileCount, archive.fileCount());
    return out;
  }

  /**
   * The same as one sentence, or {@code null} when they agree: {@code snapshot.json of <id>
   * disagrees with <claimant>: height (...); ...}.
   */
  public String disagreement(SnapshotMetadata metadata, String claimant) {
    List<String> differences = differences(metadata, claimant);
    if (differences.isEmpty()) {
      return null;
    }
    return SnapshotMetadata.FILE_NAME
        + " of "
        + snapshotId
        + " disagrees with "
        + claimant
        + ": "
        + String.join("; ", differences);
  }

  private static void differ(
      List<String> out, String claimant, String what, Object claimed, Object actual) {
    if (claimed != null && !Objects.equals(claimed, actual)) {
      out.add(what + " (" + claimant + " " + claimed + ", snapshot.json " + actual + ")");
    }
  }
}
