package io.chainsnap.archive;

import io.chainsnap.domain.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What someone claims about a snapshot (an event that announces it, an {@code index.json} entry
 * that lists it), to be checked against its {@code snapshot.json}: the one agreement check of
 * chainsnap. Built fluently ({@code SnapshotClaims.of(id).withTip(h, hash)...}); a claim never made
 * is not checked.
 */
public final class SnapshotClaims {
  private final String snapshotId;
  private String chain;
  private String network;
  private Mode mode;
  private Long height;
  private String blockHash;
  private String archiveSha256;
  private Long compressedSize;
  private Long contentSize;
  private Long fileCount;

  private SnapshotClaims(String snapshotId) {
    this.snapshotId = snapshotId;
  }

  /**
   * A claim of the snapshot id {@code snapshotId}; add the others with the {@code with...} methods.
   */
  public static SnapshotClaims of(String snapshotId) {
    return new SnapshotClaims(snapshotId);
  }

  /** Claims chain, network and mode (each may be null: not claimed). */
  public SnapshotClaims withTarget(String chain, String network, Mode mode) {
    this.chain = chain;
    this.network = network;
    this.mode = mode;
    return this;
  }

  /** Claims the tip. */
  public SnapshotClaims withTip(long height, String blockHash) {
    this.height = height;
    this.blockHash = blockHash;
    return this;
  }

  /** Claims the archive's SHA-256 and size. */
  public SnapshotClaims withArchive(String sha256, Long compressedSize) {
    this.archiveSha256 = sha256;
    this.compressedSize = compressedSize;
    return this;
  }

  /** Claims the restored content's size and file count. */
  public SnapshotClaims withContent(Long contentSize, Long fileCount) {
    this.contentSize = contentSize;
    this.fileCount = fileCount;
    return this;
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
