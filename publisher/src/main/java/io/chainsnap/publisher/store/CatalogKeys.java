package io.chainsnap.publisher.store;

import io.chainsnap.domain.SnapshotId;
import io.chainsnap.events.PermanentFailureException;
import io.chainsnap.events.SnapshotTarget;
import io.chainsnap.publisher.CatalogStage;

/**
 * The bucket's layout. Published objects live under immutable keys {@code
 * chain/network/mode/snapshotId/…}; the index is {@code chain/network/index.json}; the publisher's
 * own catalog (one small JSON record per snapshot and stage) lives under a private prefix. Every
 * snapshot id is checked before it becomes part of a key.
 */
public final class CatalogKeys {
  /** Private prefix of catalog records, never public-read. */
  public static final String CATALOG_PREFIX = "_catalog/";

  /** File name ending of a catalog record. */
  public static final String RECORD_SUFFIX = ".json";

  /** File name of the archive beside its manifest. */
  public static final String ARCHIVE_FILE = "snapshot.tar.zst";

  /** File name of the manifest. */
  public static final String MANIFEST_FILE = "snapshot.json";

  /** File name of the checksums of both, in the format of {@code sha256sum}. */
  public static final String CHECKSUMS_FILE = "SHA256SUMS";

  /**
   * Private prefix of the records of multipart uploads in progress (upload id, size, metadata), one
   * per archive key, never public-read: what a restarted publisher resumes from.
   */
  public static final String UPLOADS_PREFIX = "_uploads/";

  /** An archive key: {@code chain/network/mode/snapshotId/snapshot.tar.zst}. */
  private static final java.util.regex.Pattern ARCHIVE_KEY =
      java.util.regex.Pattern.compile(
          "[A-Za-z0-9][^/]*/[^/]+/(archive|full|pruned)/"
              + SnapshotId.REGEX
              + "/"
              + java.util.regex.Pattern.quote(ARCHIVE_FILE));

  private CatalogKeys() {}

  /** Key of the published archive. */
  public static String archive(SnapshotTarget target, String snapshotId) {
    return target.path() + "/" + checked(snapshotId) + "/" + ARCHIVE_FILE;
  }

  /** Key of the published {@code snapshot.json}. */
  public static String manifest(SnapshotTarget target, String snapshotId) {
    return target.path() + "/" + checked(snapshotId) + "/" + MANIFEST_FILE;
  }

  /** Key of the {@code SHA256SUMS} file beside the archive and the manifest. */
  public static String checksums(SnapshotTarget target, String snapshotId) {
    return target.path() + "/" + checked(snapshotId) + "/" + CHECKSUMS_FILE;
  }

  /** Key of the chain/network's {@code index.json}. */
  public static String index(String chain, String network) {
    return chain + "/" + network + "/index.json";
  }

  /** Key of {@code index.json.sig} beside the index under {@code indexKey}. */
  public static String indexSignature(String indexKey) {
    return indexKey + ".sig";
  }

  /** Whether {@code key} is the {@code index.json} of a chain/network ({@code c/n/index.json}). */
  public static boolean isIndex(String key) {
    String[] parts = key.split("/", -1);
    return parts.length == 3
        && parts[2].equals("index.json")
        && !parts[0].isEmpty()
        && !parts[1].isEmpty()
        && !parts[0].startsWith("_");
  }

  /** Prefix of all catalog records of a chain/network. */
  public static String catalog(String chain, String network) {
    return CATALOG_PREFIX + chain + "/" + network + "/";
  }

  /** The record of one stage of one snapshot. */
  public static String record(SnapshotTarget target, String snapshotId, CatalogStage stage) {
    return catalog(target.chain(), target.network())
        + checked(snapshotId)
        + "/"
        + stage.wireName()
        + RECORD_SUFFIX;
  }

  /**
   * Whether {@code key} has the layout of a published archive's key: the keys this publisher alone
   * writes, hence whose multipart uploads are its own (resumed, or aborted once orphaned).
   */
  public static boolean isArchiveKey(String key) {
    return key != null && ARCHIVE_KEY.matcher(key).matches();
  }

  /** Key of the private record of the multipart upload in progress for {@code archiveKey}. */
  public static String uploadRecord(String archiveKey) {
    return UPLOADS_PREFIX + archiveKey + RECORD_SUFFIX;
  }

  /** {@code snapshotId} if valid; a {@link PermanentFailureException} naming it otherwise. */
  static String checked(String snapshotId) {
    if (!SnapshotId.isValid(snapshotId)) {
      throw new PermanentFailureException("invalid snapshot id '" + snapshotId + "': no key built");
    }
    return snapshotId;
  }
}
