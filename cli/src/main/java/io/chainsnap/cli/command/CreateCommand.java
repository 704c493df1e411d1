package io.chainsnap.cli.command;

import io.chainsnap.archive.ArchiveFormat;
import io.chainsnap.archive.ArchiveManifest;
import io.chainsnap.archive.ArchiveWriter;
import io.chainsnap.archive.ChunkInfo;
import io.chainsnap.archive.FileTrees;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.archive.ZstdSettings;
import io.chainsnap.archive.restore.Units;
import io.chainsnap.cli.ChainsnapCommand;
import io.chainsnap.cli.CliException;
import io.chainsnap.cli.ExitCodes;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
          + " --network mainnet --mode full --height 2650000 --exclude wallets --exclude '*.lock'"
          + " --exclude debug.log"
    })
public final class CreateCommand implements Callable<Integer> {

  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*([kmg]i?b?|b)?", Pattern.CASE_INSENSITIVE);

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
          "Uncompressed chunk size: bytes or with KiB/MiB/GiB (K, M, G are binary too), 4KiB..1GiB (default ${DEFAULT-VALUE}).")
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
          "Leave out matching paths (repeatable). Matched against the path relative to --source"
              + " ('blocks/index/*'); a pattern without '/' also matches any single name ('*.lock',"
              + " 'wallets'). Excluding a directory excludes what is below it.")
  List<String> excludes = new ArrayList<>();

  @Option(
      names = "--id",
      paramLabel = "ID",
      description = "Snapshot id (default: {chain}-{network}-{mode}-{UTC time}).")
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
      description = "archive, full or pruned (default ${DEFAULT-VALUE}).")
  String mode;

  @Option(
      names = "--height",
      paramLabel = "N",
      defaultValue = "0",
      description = "Block height the data is at.")
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
          "How the node was quiesced: stop or pause-checkpoint (default ${DEFAULT-VALUE}).")
  String quiesce;

  @Option(
      names = "--force",
      description = "Replace an existing snapshot.tar.zst/snapshot.json in --out.")
  boolean force;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    int chunk = parseSize(chunkSize);
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
    try {
      ArchiveWriter.Builder b =
          ArchiveWriter.builder()
              .chunkSize(chunk)
              .zstd(ZstdSettings.resolve(level, zstd))
              .filter(filter(excludes))
              .progress(root.console().tarProgress("archiving"));
      if (workers != null) {
        b.workers(workers);
      }
      writer = b.build();
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    Instant takenAt = Instant.now();
    String snapshotId =
        id != null
            ? id
            : chain
                + "-"
                + network
                + "-"
                + mode
                + "-"
                + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                    .withZone(ZoneOffset.UTC)
                    .format(takenAt);
    root.console().note("archiving " + source + " into " + archive);
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
   * source, runs on one core: the other is free. Without it, the last 0.15 s of a create ran on one
   * core after the archive was done.
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
            "full",
            "",
            0,
            "",
            Instant.EPOCH,
            "stop",
            0,
            sample)
        .toJson();
  }

  /** {@code 4096}, {@code 512k}, {@code 64MiB}, {@code 1G} (binary units). */
  static int parseSize(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw CliException.usage("not a size: " + text + " (e.g. 64MiB)");
    }
    long v = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
    long factor =
        switch (unit.isEmpty() ? ' ' : unit.charAt(0)) {
          case 'k' -> 1L << 10;
          case 'm' -> 1L << 20;
          case 'g' -> 1L << 30;
          default -> 1;
        };
    long bytes = v * factor;
    if (bytes < ArchiveFormat.MIN_CHUNK_SIZE || bytes > ArchiveFormat.MAX_CHUNK_SIZE) {
      throw CliException.usage("--chunk-size must be between 4KiB and 1GiB, got " + text);
    }
    return (int) bytes;
  }

  /**
   * Keeps a relative path unless an exclude pattern matches it (or its name, for '/'-less ones).
   */
  static Predicate<String> filter(List<String> patterns) {
    List<PathMatcher> whole = new ArrayList<>();
    List<PathMatcher> names = new ArrayList<>();
    for (String p : patterns) {
      String glob = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
      PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
      (glob.contains("/") ? whole : names).add(matcher);
      if (!glob.contains("/")) {
        whole.add(matcher);
      }
    }
    return rel -> {
      Path path = Path.of(rel);
      Path name = path.getFileName();
      for (PathMatcher m : whole) {
        if (m.matches(path)) {
          return false;
        }
      }
      for (PathMatcher m : names) {
        if (name != null && m.matches(name)) {
          return false;
        }
      }
      return true;
    };
  }
}
