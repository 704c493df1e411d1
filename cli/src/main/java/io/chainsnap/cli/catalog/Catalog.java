package io.chainsnap.cli.catalog;

import io.chainsnap.archive.ArchiveException;
import io.chainsnap.archive.ArchiveFormat;
import io.chainsnap.archive.SnapshotClaims;
import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.cli.CliException;
import io.chainsnap.cli.ExitCodes;
import io.chainsnap.cli.source.Location;
import io.chainsnap.cli.source.Sources;
import io.chainsnap.cli.trust.IndexTrust;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.SnapshotId;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds snapshots: reads {@code index.json}, picks an entry ({@code --id} or {@code --latest} of a
 * mode), reads its {@code snapshot.json} and checks that the two agree ({@link SnapshotClaims}: id,
 * chain, network, mode, height, block hash, archive SHA-256 and sizes), so that every chunk checked
 * against {@code snapshot.json} is tied to the hash the index publishes.
 */
public final class Catalog {

  /** The warning printed for an index read with --allow-unsigned and no trusted key. */
  public static final String UNSIGNED_WARNING =
      "index.json signature not checked (--allow-unsigned without --trusted-key): it is trusted as"
          + " served. Every chunk is still checked against snapshot.json, and snapshot.json against"
          + " the index's SHA-256.";

  /** The warning printed for an index without index.json.sig read with --allow-unsigned. */
  public static final String NO_SIGNATURE_WARNING =
      "index.json is not signed (no index.json.sig; --allow-unsigned): it is trusted as served.";

  /** Pause before the one re-read of an index whose signature is of other bytes. */
  static final long MISMATCH_RETRY_MILLIS = 1000;

  private final Sources sources;
  private final String ipfsGateway;

  public Catalog(Sources sources, String ipfsGateway) {
    this.sources = sources;
    this.ipfsGateway = ipfsGateway;
  }

  /**
   * A loaded index, where it came from and how far it is trusted.
   *
   * @param location where it was read
   * @param index the index
   * @param trust its signature check
   */
  public record LoadedIndex(Location location, SnapshotIndex index, IndexTrust.Verdict trust) {}

  /** A snapshot chosen in an index, with its metadata and the locations of its objects. */
  public record Selected(
      LoadedIndex index,
      SnapshotIndex.Entry entry,
      Location manifest,
      SnapshotMetadata metadata,
      Location archive) {}

  /**
   * Where the index is: {@code --index} as given when it names a {@code .json} document, else a
   * base under which indexes live at {@code {chain}/{network}/index.json}.
   */
  public Location indexLocation(String index, String chain, String network) {
    Location given = Location.parse(index, ipfsGateway);
    if (given.name().toLowerCase(Locale.ROOT).endsWith(".json")) {
      return given;
    }
    if (chain == null || network == null) {
      throw CliException.usage(
          index
              + " is not an index.json: give its full URL, or a base URL with --chain and"
              + " --network ({base}/{chain}/{network}/index.json)");
    }
    String base = index.endsWith("/") ? index : index + "/";
    return Location.parse(base, ipfsGateway).resolve(chain + "/" + network + "/index.json", null);
  }

  /**
   * Reads and checks an index: its signature over the bytes read ({@code trust}), then version,
   * ids, chain and network if given, then expiry and sequence. An index whose signature is of other
   * bytes (read while the publisher replaced both) is read again once, after a second.
   */
  public LoadedIndex loadIndex(Location location, String chain, String network, IndexTrust trust)
      throws IOException {
    for (int attempt = 1; ; attempt++) {
      byte[] bytes = sources.read(location);
      IndexTrust.Verdict verdict;
      try {
        verdict = trust.verifySignature(location, bytes, sources);
      } catch (IndexTrust.Mismatch e) {
        if (attempt > 1) {
          throw e;
        }
        try {
          Thread.sleep(MISMATCH_RETRY_MILLIS);
        } catch (InterruptedException x) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted");
        }
        continue;
      }
      SnapshotIndex index = parse(location, bytes, chain, network);
      trust.checkFreshness(location, index, verdict);
      return new LoadedIndex(location, index, verdict);
    }
  }

  private SnapshotIndex parse(Location location, byte[] bytes, String chain, String network) {
    SnapshotIndex index;
    try {
      index = SnapshotIndex.read(bytes);
    } catch (ArchiveException e) {
      throw new CliException(ExitCodes.CORRUPT, location + ": " + e.getMessage());
    }
    if (index.snapshots() == null) {
      throw CliException.corrupt(location + ": index.json has no snapshots list");
    }
    checkIds(location, index);
    if (chain != null && !chain.equals(index.chain())
        || network != null && !network.equals(index.network())) {
      throw CliException.notFound(
          location
              + " is the index of "
              + index.chain()
              + "/"
              + index.network()
              + ", not "
              + (chain == null ? index.chain() : chain)
              + "/"
              + (network == null ? index.network() : network));
    }
    return index;
  }

  /**
   * Refuses an index whose entries or {@code latest} name an id that is not a snapshot id: ids
   * become path segments and file names, so an invalid one is a corrupt index.
   */
  private static void checkIds(Location location, SnapshotIndex index) {
    List<SnapshotIndex.Entry> entries = index.snapshots();
    for (int i = 0; i < entries.size(); i++) {
      SnapshotIndex.Entry e = entries.get(i);
      if (e == null) {
        throw CliException.corrupt(location + ": index.json snapshots[" + i + "] is null");
      }
      if (!SnapshotId.isValid(e.snapshotId())) {
        throw CliException.corrupt(
            location
                + ": index.json snapshots["
                + i
                + "] has an invalid snapshot id '"
                + e.snapshotId()
                + "' (ids match "
                + SnapshotId.REGEX
                + ")");
      }
    }
    if (index.latest() != null) {
      index
          .latest()
          .forEach(
              (mode, id) -> {
                if (!SnapshotId.isValid(id)) {
                  throw CliException.corrupt(
                      location
                          + ": index.json latest."
                          + mode
                          + " is an invalid snapshot id '"
                          + id
                          + "' (ids match "
                          + SnapshotId.REGEX
                          + ")");
                }
              });
    }
  }

  /**
   * Picks a snapshot: by id, or the latest verified one of {@code mode} (the index's only mode when
   * there is one).
   */
  public SnapshotIndex.Entry select(SnapshotIndex index, String id, boolean latest, Mode mode) {
    List<SnapshotIndex.Entry> entries = index.snapshots();
    if (id != null) {
      SnapshotIndex.Entry entry =
          entries.stream()
              .filter(e -> id.equals(e.snapshotId()))
              .findFirst()
              .orElseThrow(
                  () ->
                      CliException.notFound(
                          "no snapshot " + id + " in the index (" + entries.size() + " listed)"));
      if (mode != null && mode != entry.mode()) {
        throw CliException.notFound(
            "snapshot " + id + " is a " + entry.mode() + " snapshot, not " + mode);
      }
      return entry;
    }
    if (!latest) {
      throw CliException.usage("say which snapshot: --id ID or --latest");
    }
    Map<String, String> latestByMode = index.latest() == null ? Map.of() : index.latest();
    Mode m = mode;
    if (m == null) {
      if (latestByMode.size() == 1) {
        String only = latestByMode.keySet().iterator().next();
        try {
          m = Mode.fromWire(only);
        } catch (IllegalArgumentException e) {
          throw CliException.corrupt("index.json: latest names an unknown mode: " + e.getMessage());
        }
      } else if (latestByMode.isEmpty()) {
        throw CliException.notFound("the index has no verified snapshot yet (no latest)");
      } else {
        throw CliException.usage(
            "the index has a latest snapshot for several modes "
                + latestByMode.keySet()
                + ": choose one with --mode");
      }
    }
    String latestId = index.latest(m).orElse(null);
    if (latestId == null) {
      throw CliException.notFound("the index has no verified " + m + " snapshot (no latest)");
    }
    return select(index, latestId, false, m);
  }

  /**
   * Reads {@code snapshot.json} of an entry and checks it against the entry. The locations the
   * index names must be of its own trust class: a remote index (http(s), s3, an IPFS gateway) may
   * name only remote sources, never a local path or {@code file:} URL; a local index anything.
   * {@code sourceOverride} is the operator's own and may be anything.
   */
  public Selected load(LoadedIndex index, SnapshotIndex.Entry entry, String sourceOverride)
      throws IOException {
    Location manifest =
        trusted(index.location(), entry, "snapshot.json", manifestOf(index.location(), entry));
    SnapshotMetadata metadata = readMetadata(manifest);
    checkAgainst(metadata, entry, index.index());
    Location archive;
    if (sourceOverride != null) {
      archive = Location.parse(sourceOverride, ipfsGateway);
    } else if (entry.sources() != null && entry.sources().get("https") != null) {
      archive =
          trusted(
              index.location(),
              entry,
              "archive",
              index.location().resolve(entry.sources().get("https"), ipfsGateway));
    } else {
      archive = manifest.sibling(ArchiveFormat.ARCHIVE_FILE_NAME);
    }
    return new Selected(index, entry, manifest, metadata, archive);
  }

  /**
   * {@code named} if the index may name it: a remote index never names a local file (a hostile
   * index would make the CLI read {@code /etc/passwd} or {@code /dev/zero}).
   */
  static Location trusted(Location index, SnapshotIndex.Entry entry, String what, Location named) {
    if (index.kind() != Location.Kind.FILE && named.kind() == Location.Kind.FILE) {
      throw new CliException(
          ExitCodes.UNSAFE,
          index
              + ": index entry "
              + entry.snapshotId()
              + " names a local file as its "
              + what
              + " ("
              + named
              + "): a remote index may only name http(s), s3 or IPFS gateway sources");
    }
    return named;
  }

  /** Reads and validates {@code snapshot.json}. */
  public SnapshotMetadata readMetadata(Location manifest) throws IOException {
    byte[] bytes = sources.read(manifest);
    try {
      SnapshotMetadata metadata = SnapshotMetadata.read(bytes);
      if (metadata.archive() == null || metadata.snapshotId() == null) {
        throw CliException.corrupt(manifest + ": snapshot.json lacks its id or archive manifest");
      }
      if (!SnapshotId.isValid(metadata.snapshotId())) {
        throw CliException.corrupt(
            manifest
                + ": snapshot.json has an invalid snapshotId '"
                + metadata.snapshotId()
                + "' (ids match "
                + SnapshotId.REGEX
                + ")");
      }
      return metadata;
    } catch (ArchiveException e) {
      throw new CliException(ExitCodes.CORRUPT, manifest + ": " + e.getMessage());
    }
  }

  private Location manifestOf(Location indexLocation, SnapshotIndex.Entry entry) {
    Map<String, String> s = entry.sources() == null ? Map.of() : entry.sources();
    if (s.get("manifest") != null) {
      return indexLocation.resolve(s.get("manifest"), ipfsGateway);
    }
    if (s.get("https") != null) {
      return indexLocation.resolve(s.get("https"), ipfsGateway).sibling(SnapshotMetadata.FILE_NAME);
    }
    throw CliException.corrupt(
        "index entry " + entry.snapshotId() + " names no snapshot.json (sources.manifest)");
  }

  /**
   * Checks that {@code snapshot.json} says what the index entry says of it (every differing field
   * in one message), so that the chunks checked against it are tied to the index's SHA-256.
   */
  private static void checkAgainst(SnapshotMetadata m, SnapshotIndex.Entry e, SnapshotIndex index) {
    if (e.sha256() == null) {
      throw CliException.corrupt("index entry " + e.snapshotId() + " has no archive sha256");
    }
    String disagreement =
        SnapshotClaims.of(e.snapshotId())
            .withTarget(index.chain(), index.network(), e.mode())
            .withTip(e.height(), e.blockHash())
            .withArchive(e.sha256(), e.compressedSize())
            .withContent(e.contentSize(), e.fileCount())
            .disagreement(m, "index");
    if (disagreement != null) {
      throw CliException.corrupt(disagreement);
    }
  }
}
