package io.chainsnap.cli.command;

import io.chainsnap.archive.restore.ArchiveDownloader;
import io.chainsnap.archive.restore.RangeSource;
import io.chainsnap.archive.restore.RestoreResult;
import io.chainsnap.archive.restore.Units;
import io.chainsnap.cli.CliException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code chainsnap download}: the archive file, resumable and verified. */
@Command(
    name = "download",
    mixinStandardHelpOptions = true,
    description = {
      "Download snapshot.tar.zst to a file with parallel ranged requests, checking each chunk's"
          + " SHA-256 as it arrives, then the whole file. Interrupted? Run the same command again:"
          + " it fetches only the missing chunks (FILE.part and FILE.chainsnap-download.json keep"
          + " track).",
      "The result is a plain archive: 'tar --zstd -xf FILE' or 'chainsnap verify FILE --manifest"
          + " snapshot.json' read it."
    },
    footer = {
      "",
      "Examples:",
      "  chainsnap download --index https://snapshots.example.org --chain litecoin --network"
          + " mainnet --latest --out snapshot.tar.zst",
      "  chainsnap download --manifest https://cdn.example.org/ltc/x/snapshot.json --out x.tar.zst"
    })
public final class DownloadCommand extends BaseCommand {

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
      description =
          "Where to read snapshot.tar.zst (default: the index's https source, or next to snapshot.json).")
  String source;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "The archive file to write.")
  Path out;

  @Option(
      names = "--connections",
      paramLabel = "N",
      defaultValue = "4",
      description = "Parallel ranged requests (default ${DEFAULT-VALUE}).")
  int connections;

  @Option(names = "--allow-unverified", description = "Accept a snapshot the verifier rejected.")
  boolean allowUnverified;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  int run() throws Exception {
    if (connections < 1 || connections > 64) {
      throw CliException.usage("--connections must be in [1, 64]");
    }
    Resolved r = resolve(index, which, manifest, source, allowUnverified);
    console()
        .note("downloading " + r.metadata().snapshotId() + " from " + r.archive() + " to " + out);
    RestoreResult result;
    try (RangeSource src = sources.open(r.archive())) {
      result =
          ArchiveDownloader.builder()
              .connections(connections)
              .listener(console().progress("downloading"))
              .build()
              .download(r.metadata(), src, out);
    }
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("snapshotId", result.snapshotId());
      o.put("file", out.toAbsolutePath().toString());
      o.put("sha256", result.sha256());
      o.put("bytes", result.archiveBytes());
      o.put("fetchedBytes", result.fetchedBytes());
      o.put("resumedChunks", result.resumedChunks());
      o.put("chunks", result.chunks());
      o.put("seconds", result.elapsed().toMillis() / 1000.0);
      console().json(o);
    } else {
      console()
          .result(
              String.format(
                  Locale.ROOT,
                  "downloaded %s to %s: %s, sha256 %s verified (%d chunks, %d resumed, %s fetched"
                      + " in %.1f s, %s)",
                  result.snapshotId(),
                  out,
                  Units.bytes(result.archiveBytes()),
                  result.sha256(),
                  result.chunks(),
                  result.resumedChunks(),
                  Units.bytes(result.fetchedBytes()),
                  result.elapsed().toMillis() / 1000.0,
                  Units.rate(result.bytesPerSecond())));
    }
    return 0;
  }
}
