package io.chainsnap.cli.command;

import io.chainsnap.archive.ArchiveReader;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.archive.restore.ArchiveDownloader;
import io.chainsnap.archive.restore.RangeSource;
import io.chainsnap.archive.restore.RestoreResult;
import io.chainsnap.archive.restore.Units;
import io.chainsnap.cli.CliException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code chainsnap verify}: check an archive without extracting it. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check an archive against its snapshot.json without writing anything, as strictly as"
          + " restore: every chunk's SHA-256 (before it is decompressed), zstd frame and size, the"
          + " whole-archive SHA-256, nothing after the last chunk, and every entry by the safety"
          + " rules of extraction (paths escaping the target, absolute paths, links, devices,"
          + " FIFOs, duplicates, reserved or over-long names, sizes beyond snapshot.json). An"
          + " archive restore would refuse fails here with the same message and exit code.",
      "A local file (ARCHIVE_FILE with --manifest, or with --index and --id/--latest), or the"
          + " published archive itself, fetched by parallel ranged requests and not kept (no"
          + " ARCHIVE_FILE)."
    },
    footer = {
      "",
      "Examples:",
      "  chainsnap verify snapshot.tar.zst --manifest snapshot.json",
      "  chainsnap verify --index https://snapshots.example.org --chain litecoin --network mainnet"
          + " --latest"
    })
public final class VerifyCommand extends BaseCommand {

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "ARCHIVE_FILE",
      description = "A local snapshot.tar.zst; without it the archive is read from its source.")
  Path file;

  @Mixin IndexOptions index;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Which which;

  @Option(
      names = "--manifest",
      paramLabel = "URL|FILE",
      description = "snapshot.json instead of an index lookup.")
  String manifest;

  @Option(
      names = "--source",
      paramLabel = "URL|s3://...|FILE",
      description = "Where to read snapshot.tar.zst when no ARCHIVE_FILE is given.")
  String source;

  @Option(
      names = "--connections",
      paramLabel = "N",
      defaultValue = "4",
      description = "Parallel ranged requests for a remote archive (default ${DEFAULT-VALUE}).")
  int connections;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  int run() throws Exception {
    if (connections < 1 || connections > 64) {
      throw CliException.usage("--connections must be in [1, 64]");
    }
    if (file != null && source != null) {
      throw CliException.usage("ARCHIVE_FILE and --source exclude each other");
    }
    Resolved r = resolve(index, which, manifest, source, true);
    SnapshotMetadata m = r.metadata();
    long started = System.nanoTime();
    String what;
    long fetched;
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw CliException.notFound("no such file: " + file);
      }
      what = file.toString();
      ArchiveReader.builder()
          .progress(console().tarProgress("verifying"))
          .build()
          .verify(file, m.archive());
      fetched = 0;
    } else {
      what = r.archive().toString();
      try (RangeSource src = sources.open(r.archive())) {
        RestoreResult result =
            ArchiveDownloader.builder()
                .connections(connections)
                .listener(console().progress("verifying"))
                .build()
                .verify(m, src);
        fetched = result.fetchedBytes();
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("ok", true);
      o.put("snapshotId", m.snapshotId());
      o.put("archive", what);
      o.put("sha256", m.archive().sha256());
      o.put("chunks", m.archive().chunks().size());
      o.put("bytes", m.archive().compressedSize());
      o.put("fetchedBytes", fetched);
      o.put("seconds", seconds);
      console().json(o);
    } else {
      console()
          .result(
              String.format(
                  Locale.ROOT,
                  "OK %s: archive of %s verified (%d chunks, %s, sha256 %s) in %.1f s",
                  what,
                  m.snapshotId(),
                  m.archive().chunks().size(),
                  Units.bytes(m.archive().compressedSize()),
                  m.archive().sha256(),
                  seconds));
    }
    return 0;
  }
}
