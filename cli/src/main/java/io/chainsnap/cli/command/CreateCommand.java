package io.chainsnap.cli.command;

import io.chainsnap.archive.ArchiveFormat;
import io.chainsnap.archive.ArchiveManifest;
import io.chainsnap.archive.ArchiveWriter;
import io.chainsnap.archive.ChunkInfo;
import io.chainsnap.archive.FileTrees;
import io.chainsnap.archive.PathFilter;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.archive.ZstdSettings;
import io.chainsnap.archive.restore.Units;
import io.chainsnap.chain.ChainFamilies;
import io.chainsnap.chain.ChainFamily;
import io.chainsnap.cli.ChainsnapCommand;
import io.chainsnap.cli.CliException;
import io.chainsnap.cli.ExitCodes;
import io.chainsnap.domain.ByteSize;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.QuiesceStrategy;
import io.chainsnap.domain.SnapshotId;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code chainsnap create}: archive a directory as snapshot.tar.zst plus snapshot.json. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = {
      "Archive a (quiesced) data directory in chainsnap's format: OUT/snapshot.tar.zst (a"
          + " deterministic tar cut into independently compressed zstd chunks, readable by 'tar"
          + " --zstd -x') and OUT/snapshot.json (metadata, sizes, chunk index, SHA-256s).",
      "Stop the node (or snapshot its volume) first: a file changing while it is read fails the"
          + " run. Symbolic links and special files fail it too unless excluded."
    },
    footer = {
      "",
      "Examples:",
      "  chainsnap create --source /var/lib/litecoind --out /srv/staging/x --chain litecoin"
          + " --network mainnet --mode full --height 2650000 --exclude 'indexes/**'"
    })
public final class CreateCommand implements Callable<Integer> {

  @ParentCommand ChainsnapCommand root;

  @Option(
      names = "--source",
      required = true,
      paramLabel = "DIR",
      description = "The directory to archive.")
  Path source;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Where to write snapshot.tar.zst and snapshot.json (created if missing).")
  Path out;

  @Option(
      names = "--chunk-size",
      paramLabel = "SIZE",
      defaultValue = "64MiB",
      description =
          "Uncompressed chunk size: bytes or with KiB/MiB/GiB (K, M, G are binary too),"
              + " 4KiB..256MiB (default ${DEFAULT-VALUE}).")
  String chunkSize;

  @Option(
      names = "--level",
      paramLabel = "N",
      description =
          "zstd level. Alone, a plain level without the default parameters; with --zstd, the level"
              + " they apply on top of (default 3).")
  Integer level;

  @Option(
      names = "--zstd",
      paramLabel = "PARAMS",
      description =
          "zstd parameters over the level, as zstd's --zstd= takes them, e.g."
              + " 'strategy=2,hashLog=17' ('none': plain level). Default without --level: "
              + ZstdSettings.DEFAULT_PARAMETERS
              + " (smaller and faster than plain level 3 on chain data).")
  String zstd;

  @Option(
      names = "--workers",
      paramLabel = "N",
      description = "Compression threads (default: one per processor).")
  Integer workers;

  @Option(
      names = "--exclude",
      paramLabel = "GLOB",
      description =
          "Leave out matching paths, besides the default excludes (repeatable). A pattern without"
              + " '/' matches a file or directory name at any depth ('*.log', 'wallets'), one with"
              + " '/' the whole path relative to --source ('blocks/index/*', '**/LOCK');"
              + " excluding a directory excludes what is below it; a trailing '/' is allowed.")
  List<String> excludes = new ArrayList<>();

  @Option(
      names = "--no-default-excludes",
      description =
          "Archive the private files too: leave out only the --exclude patterns (the default"
              + " excludes are listed below).")
  boolean noDefaultExcludes;

  @Option(
      names = "--family",
      paramLabel = "ADAPTER",
      defaultValue = "bitcoin-core",
      description =
          "The node's chain family, whose private files are the default excludes: bitcoin-core"
              + " (default; litecoind, bitcoind and forks), monero, or a family whose private files"
              + " chainsnap does not know (ethereum, near, substrate, tezos, cometbft: then"
              + " --exclude or --no-default-excludes is required).")
  String family;

  @Option(
      names = "--id",
      paramLabel = "ID",
      description =
          "Snapshot id: letters, digits, '.', '_', '-' (default:"
              + " {chain}-{network}-{mode}-{UTC time to the millisecond}-{height}).")
  String id;

  @Option(
      names = "--chain",
      paramLabel = "CHAIN",
      defaultValue = "unknown",
      description = "Chain (default ${DEFAULT-VALUE}).")
  String chain;

  @Option(
      names = "--network",
      paramLabel = "NETWORK",
      defaultValue = "unknown",
      description = "Network (default ${DEFAULT-VALUE}).")
  String network;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      defaultValue = "full",
      description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  Mode mode;

  @Option(
      names = "--height",
      paramLabel = "N",
      defaultValue = "0",
      description = "Block height the data is at (default ${DEFAULT-VALUE}).")
  long height;

  @Option(
      names = "--block-hash",
      paramLabel = "HASH",
      defaultValue = "",
      description = "Hash of that block.")
  String blockHash;

  @Option(
      names = "--client-version",
      paramLabel = "VERSION",
      defaultValue = "",
      description = "Node software that wrote the data.")
  String clientVersion;

  @Option(
      names = "--quiesce",
      paramLabel = "HOW",
      defaultValue = "stop",
      description =
          "How the node was quiesced: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  QuiesceStrategy quiesce;

  @Option(
      names = "--force",
      description = "Replace an existing snapshot.tar.zst/snapshot.json in --out.")
  boolean force;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    int chunk;
    try {
      chunk =
          ByteSize.of(chunkSize)
              .toIntBetween(ArchiveFormat.MIN_CHUNK_SIZE, ArchiveFormat.MAX_CHUNK_SIZE);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--chunk-size: " + e.getMessage());
    }
    Instant takenAt = Instant.now();
    String snapshotId;
    try {
      snapshotId =
          id != null
              ? SnapshotId.require(id)
              : SnapshotId.of(chain, network, mode, takenAt, height);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(id != null ? "--id: " + e.getMessage() : e.getMessage());
    }
    if (!Files.isDirectory(source)) {
      throw CliException.notFound("no such directory: " + source);
    }
    Files.createDirectories(out);
    Path archive = out.resolve(ArchiveFormat.ARCHIVE_FILE_NAME);
    Path json = out.resolve(SnapshotMetadata.FILE_NAME);
    if (!force
        && (Files.exists(archive, LinkOption.NOFOLLOW_LINKS)
            || Files.exists(json, LinkOption.NOFOLLOW_LINKS))) {
      throw new CliException(
          ExitCodes.DESTINATION, out + " already holds a snapshot; --force to replace it");
    }
    if (workers != null && workers < 1) {
      throw CliException.usage("--workers must be at least 1");
    }
    ArchiveWriter writer;
    PathFilter filter;
    try {
      filter = PathFilter.excluding(effectiveExcludes());
      ArchiveWriter.Builder b =
          ArchiveWriter.builder()
              .chunkSize(chunk)
              .zstd(ZstdSettings.resolve(level, zstd))
              .filter(filter)
              .progress(root.console().tarProgress("archiving"));
      if (workers != null) {
        b.workers(workers);
      }
      writer = b.build();
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    root.console().note("archiving " + source + " into " + archive);
    root.console()
        .note(
            "excluding "
                + (filter.patterns().isEmpty() ? "nothing" : String.join(" ", filter.patterns())));
    warmUpInBackground();
    long started = System.nanoTime();
    ArchiveManifest manifest = writer.write(source, archive);
    double seconds = (System.nanoTime() - started) / 1e9;
    SnapshotMetadata metadata =
        new SnapshotMetadata(
            SnapshotMetadata.FORMAT_VERSION,
            snapshotId,
            chain,
            network,
            mode,
            clientVersion,
            height,
            blockHash,
            takenAt,
            quiesce,
            0,
            manifest);
    FileTrees.writeDurably(json, metadata.toJson());
    if (this.json) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("snapshotId", snapshotId);
      o.put("archive", archive.toAbsolutePath().toString());
      o.put("manifest", json.toAbsolutePath().toString());
      o.put("files", manifest.fileCount());
      o.put("contentBytes", manifest.contentSize());
      o.put("tarBytes", manifest.tarSize());
      o.put("compressedBytes", manifest.compressedSize());
      o.put("chunks", manifest.chunks().size());
      o.put("sha256", manifest.sha256());
      o.put("seconds", seconds);
      root.console().json(o);
    } else {
      root.console()
          .result(
              String.format(
                  Locale.ROOT,
                  "created %s in %s: %d files, %s -> %s (ratio %.2f), %d chunks, sha256 %s, %.1f s"
                      + " (%s)",
                  snapshotId,
                  out,
                  manifest.fileCount(),
                  Units.bytes(manifest.tarSize()),
                  Units.bytes(manifest.compressedSize()),
                  (double) manifest.tarSize() / Math.max(1, manifest.compressedSize()),
                  manifest.chunks().size(),
                  manifest.sha256(),
                  seconds,
                  Units.rate(manifest.tarSize() / Math.max(seconds, 1e-9))));
    }
    return 0;
  }

  /**
   * Writes a throw-away {@code snapshot.json} in memory on a background thread, so that its code
   * (Jackson's serializers, built on first use) is loaded and ready when the real one is written.
   * That happens while the archive is being written, and the first part of that, listing the
   * source, runs on one core: the other is free. Without it, the end of a create ran on one core,
   * loading classes, after the archive was done.
   */
  private static void warmUpInBackground() {
    Thread t =
        new Thread(
            () -> {
              try {
                warmUp();
              } catch (RuntimeException e) {
                // only a head start: the real snapshot.json reports any problem
              }
            },
            "chainsnap-warm-up");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  private static void warmUp() {
    String zeros = "0".repeat(64);
    ArchiveManifest sample =
        new ArchiveManifest(
            ArchiveFormat.FORMAT_VERSION,
            ArchiveFormat.MIN_CHUNK_SIZE,
            1024,
            0,
            0,
            1,
            zeros,
            ArchiveFormat.COMPRESSION,
            3,
            List.of(new ChunkInfo(0, 0, 1, 1024, zeros)));
    new SnapshotMetadata(
            SnapshotMetadata.FORMAT_VERSION,
            "warm-up",
            "c",
            "n",
            Mode.FULL,
            "",
            0,
            "",
            Instant.EPOCH,
            QuiesceStrategy.STOP,
            0,
            sample)
        .toJson();
  }

  /**
   * Adds the default excludes to the footer of {@code create --help}, a few patterns a line so that
   * none is cut.
   */
  public static void describeDefaultExcludes(CommandLine create) {
    List<String> lines = new ArrayList<>();
    lines.add("");
    lines.add(
        "Default excludes, the --family's private files (bitcoin-core's here; wallets, keys,"
            + " locks, logs, peer lists; --exclude adds to them, --no-default-excludes drops them):");
    StringBuilder line = new StringBuilder(" ");
    for (String pattern : ChainFamilies.get("bitcoin-core").privateFiles()) {
      if (line.length() + 1 + pattern.length() > 72) {
        lines.add(line.toString());
        line = new StringBuilder(" ");
      }
      line.append(' ').append(pattern);
    }
    lines.add(line.toString());
    CommandLine.Model.UsageMessageSpec usage = create.getCommandSpec().usageMessage();
    lines.addAll(List.of(usage.footer()));
    usage.footer(lines.toArray(String[]::new));
  }

  /**
   * The default excludes (unless {@code --no-default-excludes}), then those of {@code --exclude}.
   */
  List<String> effectiveExcludes() {
    List<String> all = new ArrayList<>();
    if (!noDefaultExcludes) {
      ChainFamily chainFamily =
          ChainFamilies.find(family)
              .orElseThrow(
                  () ->
                      CliException.usage(
                          "--family: unknown chain family '"
                              + family
                              + "' (known: "
                              + String.join(", ", ChainFamilies.NAMES)
                              + ")"));
      if (chainFamily.privateFiles().isEmpty() && excludes.isEmpty()) {
        throw CliException.usage(
            "chainsnap does not know which files of a "
                + chainFamily.name()
                + " node are private (node keys, validator keys, keystores): list them with"
                + " --exclude, or pass --no-default-excludes to archive everything");
      }
      all.addAll(chainFamily.privateFiles());
    }
    all.addAll(excludes);
    return all;
  }
}
