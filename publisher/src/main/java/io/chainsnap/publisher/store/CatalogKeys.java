package io.chainsnap.publisher.store;

import io.chainsnap.events.SnapshotTarget;

/**
 * The bucket's layout. Published objects live under immutable keys {@code
 * chain/network/mode/snapshotId/…}; the index is {@code chain/network/index.json}; the publisher's
 * own catalog (one small JSON record per snapshot and stage) lives under a private prefix.
 */
public final class CatalogKeys {
  /** Private prefix of catalog records, never public-read. */
  public static final String CATALOG_PREFIX = "_catalog/";

  private CatalogKeys() {}

  public static String archive(SnapshotTarget target, String snapshotId) {
    return target.path() + "/" + snapshotId + "/snapshot.tar.zst";
  }

  public static String manifest(SnapshotTarget target, String snapshotId) {
    return target.path() + "/" + snapshotId + "/snapshot.json";
  }

  public static String index(String chain, String network) {
    return chain + "/" + network + "/index.json";
  }

  /** Prefix of all catalog records of a chain/network. */
  public static String catalog(String chain, String network) {
    return CATALOG_PREFIX + chain + "/" + network + "/";
  }

  /** The record of one stage ({@code uploaded}, {@code pinned}, ...) of one snapshot. */
  public static String record(SnapshotTarget target, String snapshotId, String stage) {
    return catalog(target.chain(), target.network()) + snapshotId + "/" + stage + ".json";
  }
}
