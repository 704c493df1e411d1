package io.chainsnap.cli.command;

import io.chainsnap.archive.ArchiveFormat;
import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.archive.restore.RetryPolicy;
import io.chainsnap.cli.ChainsnapCommand;
import io.chainsnap.cli.CliException;
import io.chainsnap.cli.Console;
import io.chainsnap.cli.ExitCodes;
import io.chainsnap.cli.catalog.Catalog;
import io.chainsnap.cli.source.Location;
import io.chainsnap.cli.source.Sources;
import io.chainsnap.cli.trust.IndexTrust;
import io.chainsnap.cli.trust.SequenceState;
import io.chainsnap.cli.trust.TrustAnchors;
import io.chainsnap.domain.SnapshotId;
import io.chainsnap.domain.VerificationStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** What the commands that read snapshots share: sources, index lookup, selection, console. */
abstract class BaseCommand implements Callable<Integer> {

  @ParentCommand ChainsnapCommand root;

  @Mixin SourceOptions sourceOptions;

  @Option(
      names = "--retries",
      paramLabel = "N",
      defaultValue = "6",
      description =
          "Tries per request on transient network errors, with backoff (default ${DEFAULT-VALUE}).")
  int retries;

  Sources sources;
  Catalog catalog;

  Console console() {
    return root.console();
  }

  @Override
  public final Integer call() throws Exception {
    if (retries < 1) {
      throw CliException.usage("--retries must be at least 1");
    }
    RetryPolicy retry = new RetryPolicy(retries, Duration.ofMillis(500), Duration.ofSeconds(30));
    try (Sources s = new Sources(sourceOptions.s3(), retry)) {
      sources = s;
      catalog = new Catalog(s, sourceOptions.ipfsGateway);
      return run();
    }
  }

  abstract int run() throws Exception;

  /**
   * Reads the index of {@code --index} and checks it against the trusted keys (signature, expiry,
   * rollback); with {@code --allow-unsigned} an unsigned index is read with a warning.
   */
  Catalog.LoadedIndex loadIndex(IndexOptions options) throws Exception {
    if (options.index == null) {
      throw CliException.usage("--index is required");
    }
    Location location = catalog.indexLocation(options.index, options.chain, options.network);
    IndexTrust trust =
        new IndexTrust(
            TrustAnchors.load(options.trustedKeys, options.trustFile),
            SequenceState.at(options.stateDir),
            options.allowUnsigned,
            Clock.systemUTC());
    Catalog.LoadedIndex loaded = catalog.loadIndex(location, options.chain, options.network, trust);
    switch (loaded.trust().status()) {
      case SIGNED ->
          console()
              .note(
                  "index sequence "
                      + loaded.index().sequence()
                      + " signed by trusted key "
                      + loaded.trust().keyId()
                      + ", valid until "
                      + loaded.index().expiresAt());
      case UNCHECKED -> console().notice(Catalog.UNSIGNED_WARNING);
      case UNSIGNED -> console().notice(Catalog.NO_SIGNATURE_WARNING);
    }
    return loaded;
  }

  /** Picks the snapshot of {@code --id}/{@code --latest} and loads its snapshot.json. */
  Catalog.Selected select(IndexOptions options, Which which, String sourceOverride)
      throws Exception {
    if (which == null || which.id == null && !which.latest) {
      throw CliException.usage("say which snapshot: --id ID or --latest");
    }
    if (which.id != null && !SnapshotId.isValid(which.id)) {
      try {
        SnapshotId.require(which.id);
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--id: " + e.getMessage());
      }
    }
    Catalog.LoadedIndex index = loadIndex(options);
    SnapshotIndex.Entry entry = catalog.select(index.index(), which.id, which.latest, options.mode);
    return catalog.load(index, entry, sourceOverride);
  }

  /** Refuses a snapshot the verifier rejected; warns about one not verified yet. */
  void checkVerification(SnapshotIndex.Entry entry, boolean allowUnverified) {
    SnapshotIndex.Verification v = entry.verification();
    VerificationStatus status = v == null ? null : v.status();
    if (status == VerificationStatus.VERIFIED) {
      return;
    }
    if (status == VerificationStatus.REJECTED && !allowUnverified) {
      throw new CliException(
          ExitCodes.CORRUPT,
          "snapshot "
              + entry.snapshotId()
              + " was rejected by the verifier ("
              + (v.detail() == null ? "no detail" : v.detail())
              + "); --allow-unverified to use it anyway");
    }
    if (status == VerificationStatus.REJECTED) {
      console()
          .warn(
              "snapshot "
                  + entry.snapshotId()
                  + " was rejected by the verifier ("
                  + (v.detail() == null ? "no detail" : v.detail())
                  + ")");
      return;
    }
    console()
        .warn(
            "snapshot "
                + entry.snapshotId()
                + " is not verified (status "
                + (status == null ? "unknown" : status.wireName())
                + "): nobody booted a node on it yet");
  }

  /** {@code 3d 4h}, {@code 5h 2m}, {@code 12m}, {@code 30s}. */
  static String age(Instant takenAt) {
    if (takenAt == null) {
      return "?";
    }
    long s = Math.max(0, Duration.between(takenAt, Instant.now()).toSeconds());
    if (s >= 86400) {
      return (s / 86400) + "d " + (s % 86400) / 3600 + "h";
    }
    if (s >= 3600) {
      return (s / 3600) + "h " + (s % 3600) / 60 + "m";
    }
    if (s >= 60) {
      return (s / 60) + "m";
    }
    return s + "s";
  }

  /** A snapshot found through the index or given by its snapshot.json. */
  record Resolved(
      Catalog.Selected selected, SnapshotMetadata metadata, Location manifest, Location archive) {}

  /**
   * Resolves {@code --index ... --id|--latest} or {@code --manifest}, with {@code --source}
   * overriding where the archive is read.
   */
  Resolved resolve(
      IndexOptions index, Which which, String manifest, String source, boolean allowUnverified)
      throws Exception {
    if (manifest != null) {
      if (index.index != null || which != null) {
        throw CliException.usage("--manifest excludes --index, --id and --latest");
      }
      console()
          .warn(
              "no index: snapshot.json is trusted as given; compare its archive sha256 with one"
                  + " from a source you trust");
      Location m = Location.parse(manifest, sourceOptions.ipfsGateway);
      SnapshotMetadata metadata = catalog.readMetadata(m);
      if (index.chain != null && !index.chain.equals(metadata.chain())
          || index.network != null && !index.network.equals(metadata.network())
          || index.mode != null && index.mode != metadata.mode()) {
        throw CliException.notFound(
            m
                + " is a snapshot of "
                + metadata.chain()
                + "/"
                + metadata.network()
                + " ("
                + metadata.mode()
                + "), not of the chain/network/mode asked for");
      }
      Location archive =
          source != null
              ? Location.parse(source, sourceOptions.ipfsGateway)
              : m.sibling(ArchiveFormat.ARCHIVE_FILE_NAME);
      return new Resolved(null, metadata, m, archive);
    }
    if (index.index == null) {
      throw CliException.usage(
          "say where the snapshot is: --index URL with --id ID or --latest, or --manifest URL|FILE");
    }
    Catalog.Selected selected = select(index, which, source);
    checkVerification(selected.entry(), allowUnverified);
    return new Resolved(selected, selected.metadata(), selected.manifest(), selected.archive());
  }
}
