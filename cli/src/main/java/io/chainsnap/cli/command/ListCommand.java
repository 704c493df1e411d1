package io.chainsnap.cli.command;

import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.archive.restore.Units;
import io.chainsnap.cli.catalog.Catalog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code chainsnap list}: the snapshots of an index. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "List the snapshots of an index: id, mode, height, age, download size, verification; '*'"
          + " marks the latest verified snapshot of each mode.",
      "index.json is checked against its signature by a trusted key (--trusted-key), its"
          + " expiry and the last sequence seen (see chainsnap --help)."
    },
    footer = {
      "",
      "Examples:",
      "  chainsnap list --index https://snapshots.example.org --chain litecoin --network mainnet"
          + " --trusted-key publisher.pub",
      "  chainsnap list --index https://snapshots.example.org/litecoin/mainnet/index.json"
          + " --trusted-key ed25519:0123456789abcdef0123456789abcdef --json"
    })
public final class ListCommand extends BaseCommand {

  @Mixin IndexOptions index;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Override
  int run() throws Exception {
    Catalog.LoadedIndex loaded = loadIndex(index);
    SnapshotIndex idx = loaded.index();
    Map<String, String> latest = idx.latest() == null ? Map.of() : idx.latest();
    List<SnapshotIndex.Entry> entries = new ArrayList<>();
    for (SnapshotIndex.Entry e : idx.snapshots()) {
      if (index.mode == null || index.mode == e.mode()) {
        entries.add(e);
      }
    }
    if (json) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("index", loaded.location().toString());
      out.put("signed", loaded.trust().signed());
      out.put("signedBy", loaded.trust().keyId());
      out.put("issuedAt", idx.issuedAt());
      out.put("expiresAt", idx.expiresAt());
      out.put("chain", idx.chain());
      out.put("network", idx.network());
      out.put("sequence", idx.sequence());
      out.put("generatedAt", idx.generatedAt());
      out.put("latest", latest);
      List<Map<String, Object>> list = new ArrayList<>();
      for (SnapshotIndex.Entry e : entries) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("snapshotId", e.snapshotId());
        m.put("mode", e.mode());
        m.put("height", e.height());
        m.put("blockHash", e.blockHash());
        m.put("takenAt", e.takenAt());
        m.put(
            "ageSeconds",
            e.takenAt() == null ? null : Duration.between(e.takenAt(), Instant.now()).toSeconds());
        m.put("compressedSize", e.compressedSize());
        m.put("contentSize", e.contentSize());
        m.put("fileCount", e.fileCount());
        m.put("sha256", e.sha256());
        m.put("verification", e.verification());
        m.put("latest", isLatest(idx, e));
        m.put("sources", e.sources());
        list.add(m);
      }
      out.put("snapshots", list);
      console().json(out);
      return 0;
    }
    console()
        .result(
            String.format(
                Locale.ROOT,
                "%s/%s  (index sequence %d, %d snapshot%s)",
                idx.chain(),
                idx.network(),
                idx.sequence(),
                entries.size(),
                entries.size() == 1 ? "" : "s"));
    int idWidth = "SNAPSHOT".length();
    for (SnapshotIndex.Entry e : entries) {
      idWidth = Math.max(idWidth, e.snapshotId().length());
    }
    String fmt = "%-2s%-" + idWidth + "s  %-8s %10s  %-8s %10s %10s  %s";
    console()
        .result(
            String.format(
                Locale.ROOT,
                fmt,
                "",
                "SNAPSHOT",
                "MODE",
                "HEIGHT",
                "AGE",
                "DOWNLOAD",
                "ON DISK",
                "STATUS"));
    for (SnapshotIndex.Entry e : entries) {
      boolean isLatest = isLatest(idx, e);
      String status =
          e.verification() == null || e.verification().status() == null
              ? "unknown"
              : e.verification().status().wireName();
      console()
          .result(
              String.format(
                  Locale.ROOT,
                  fmt,
                  isLatest ? "*" : "",
                  e.snapshotId(),
                  e.mode() == null ? "?" : e.mode().wireName(),
                  e.height(),
                  age(e.takenAt()),
                  Units.bytes(e.compressedSize()),
                  Units.bytes(e.contentSize()),
                  status));
    }
    if (!latest.isEmpty()) {
      console().result("* latest verified snapshot of its mode");
    }
    return 0;
  }

  /** Whether {@code e} is the latest verified snapshot of its mode. */
  static boolean isLatest(SnapshotIndex index, SnapshotIndex.Entry e) {
    return e.mode() != null && index.latest(e.mode()).map(e.snapshotId()::equals).orElse(false);
  }
}
