package io.chainsnap.cli.command;

import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.archive.restore.RangeSource;
import io.chainsnap.archive.restore.RestoreResult;
import io.chainsnap.archive.restore.Restorer;
import io.chainsnap.archive.restore.Units;
import io.chainsnap.cli.CliException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code chainsnap restore}: a snapshot straight into a data directory. */
@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    description = {
      "Restore a snapshot straight into a data directory: parallel ranged download by chunk, each"
          + " chunk's SHA-256 checked before it is decompressed, files written as chunks arrive (no"
          + " copy of the archive on disk), whole-archive SHA-256 checked at the end. The free"
          + " space snapshot.json says the files need is checked first.",
      "Resumable: DEST keeps .chainsnap-restore.json while the restore is unfinished. Run the same"
          + " command again after an interruption or failure and it continues after the last"
          + " chunk applied, never fetching that chunk again ('resuming at chunk N'). A DEST"
          + " holding that file is not a usable data directory (the file says why it stopped); it"
          + " disappears when the restore succeeds, and .chainsnap-restored.json records what was"
          + " restored. Restoring the same snapshot there again says 'already restored' and does"
          + " nothing (exit 0); another snapshot is refused unless --force. A DEST that is not"
          + " empty and holds neither file is refused, --force or not.",
      "--index takes the index.json URL (no --chain/--network needed) or a base URL with --chain"
          + " and --network.",
      "index.json must be signed by a key given with --trusted-key (or in the trust file),"
          + " unexpired and not older than the last one seen; --allow-unsigned reads an unsigned"
          + " one with a warning."
    },
    footer = {
      "",
      "Examples:",
      "  chainsnap restore --index https://snapshots.example.org --chain litecoin --network"
          + " mainnet --mode full --latest --dest /var/lib/litecoind",
      "  chainsnap restore --manifest https://cdn.example.org/ltc/x/snapshot.json --source"
          + " s3://bucket/ltc/x/snapshot.tar.zst --requester-pays --dest ./data"
    })
public final class RestoreCommand extends BaseCommand {

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
          "Where to read snapshot.tar.zst: https URL (CDN, IPFS gateway), s3://bucket/key, ipfs://CID"
              + " (with --ipfs-gateway) or file (default: the index's https source, or next to"
              + " snapshot.json).")
  String source;

  @Option(
      names = "--dest",
      required = true,
      paramLabel = "DIR",
      description =
          "The data directory to restore into: new, empty, or an unfinished restore of this snapshot.")
  Path dest;

  @Option(
      names = "--connections",
      paramLabel = "N",
      defaultValue = "4",
      description =
          "Parallel ranged requests (default ${DEFAULT-VALUE}); memory is about (2 x N + 1) x chunk size.")
  int connections;

  @Option(names = "--allow-unverified", description = "Accept a snapshot the verifier rejected.")
  boolean allowUnverified;

  @Option(names = "--no-space-check", description = "Skip the free-space check.")
  boolean noSpaceCheck;

  @Option(
      names = "--force",
      description =
          "DEST holds chainsnap's restore of another snapshot (finished or not), or a finished"
              + " one of this snapshot: delete its contents and restore again. Never deletes a"
              + " directory chainsnap did not restore.")
  boolean force;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  int run() throws Exception {
    if (connections < 1 || connections > 64) {
      throw CliException.usage("--connections must be in [1, 64]");
    }
    Resolved r = resolve(index, which, manifest, source, allowUnverified);
    SnapshotMetadata m = r.metadata();
    console()
        .note(
            String.format(
                Locale.ROOT,
                "restoring %s (%s/%s %s, height %d, %s of files) from %s into %s",
                m.snapshotId(),
                m.chain(),
                m.network(),
                m.mode(),
                m.height(),
                Units.bytes(m.archive().contentSize()),
                r.archive(),
                dest));
    Restorer restorer =
        Restorer.builder()
            .connections(connections)
            .spaceCheck(!noSpaceCheck)
            .keepRecord(true)
            .replace(force)
            .listener(console().progress("restoring"))
            .build();
    CountDownLatch finished = new CountDownLatch(1);
    Thread onSignal =
        new Thread(
            () -> {
              restorer.cancel("interrupted by a signal (SIGINT or SIGTERM)");
              try {
                // let the restore record why it stopped in its marker
                finished.await(20, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "chainsnap-restore-signal");
    Runtime.getRuntime().addShutdownHook(onSignal);
    RestoreResult result;
    try (RangeSource src = sources.open(r.archive())) {
      result = restorer.restore(m, src, dest);
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(onSignal);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running
      }
    }
    if (result.alreadyRestored()) {
      if (json) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("snapshotId", result.snapshotId());
        o.put("dest", result.target().toString());
        o.put("alreadyRestored", true);
        o.put("restoredAt", result.alreadyRestoredAt().toString());
        o.put("sha256", result.sha256());
        console().json(o);
      } else {
        console()
            .result(
                "already restored: "
                    + result.snapshotId()
                    + " was restored into "
                    + result.target()
                    + " at "
                    + result.alreadyRestoredAt()
                    + " (archive sha256 "
                    + result.sha256()
                    + " verified then); nothing to do. The node may have changed the files"
                    + " since: --force restores it again.");
      }
      return 0;
    }
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("snapshotId", result.snapshotId());
      o.put("dest", result.target().toString());
      o.put("height", m.height());
      o.put("blockHash", m.blockHash());
      o.put("sha256", result.sha256());
      o.put("files", result.files());
      o.put("contentBytes", result.contentBytes());
      o.put("archiveBytes", result.archiveBytes());
      o.put("fetchedBytes", result.fetchedBytes());
      o.put("chunks", result.chunks());
      o.put("resumedChunks", result.resumedChunks());
      o.put("seconds", result.elapsed().toMillis() / 1000.0);
      console().json(o);
    } else {
      console()
          .result(
              String.format(
                  Locale.ROOT,
                  "restored %s into %s: %d files, %s, height %d block %s; archive sha256 %s"
                      + " verified (%d chunks, %d resumed, %s fetched in %.1f s, %s)",
                  result.snapshotId(),
                  result.target(),
                  result.files(),
                  Units.bytes(result.contentBytes()),
                  m.height(),
                  m.blockHash(),
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
