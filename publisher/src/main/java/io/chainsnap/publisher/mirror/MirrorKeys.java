package io.chainsnap.publisher.mirror;

import io.chainsnap.domain.SnapshotId;
import io.chainsnap.events.PermanentFailureException;
import io.chainsnap.events.SnapshotTarget;

/**
 * The mirror's layout under its prefix, per chain/network/mode ({@code <base>} = {@code
 * <prefix>/<chain>/<network>/<mode>}): the live tree {@code <base>/tree/<relative path>}, one file
 * list per mirrored snapshot {@code <base>/files/<snapshotId>.json}, and the pointer {@code
 * <base>/current.json} to the file list the tree holds.
 */
public final class MirrorKeys {
  private final String base;

  /** The keys of {@code target} under {@code prefix} (empty: the bucket's root). */
  public MirrorKeys(String prefix, SnapshotTarget target) {
    String p = strip(prefix);
    this.base = (p.isEmpty() ? "" : p + "/") + target.path();
  }

  /** The keys of {@code metadata}'s chain/network/mode. */
  static MirrorKeys of(String prefix, io.chainsnap.archive.SnapshotMetadata metadata) {
    return new MirrorKeys(
        prefix, new SnapshotTarget(metadata.chain(), metadata.network(), metadata.mode()));
  }

  /** {@code <prefix>/<chain>/<network>/<mode>}. */
  public String base() {
    return base;
  }

  /** Prefix of the live tree, ending with {@code /}. */
  public String treePrefix() {
    return base + "/tree/";
  }

  /** Key of one file of the tree. */
  public String treeKey(String relativePath) {
    return treePrefix() + relativePath;
  }

  /** Key of the file list of {@code snapshotId}. */
  public String fileList(String snapshotId) {
    if (!SnapshotId.isValid(snapshotId)) {
      throw new PermanentFailureException("invalid snapshot id '" + snapshotId + "': no key built");
    }
    return base + "/files/" + snapshotId + ".json";
  }

  /** Key of the pointer to the file list the tree holds; written last. */
  public String current() {
    return base + "/current.json";
  }

  static String strip(String prefix) {
    String p = prefix == null ? "" : prefix.trim();
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
