package io.chainsnap.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.archive.restore.Units;
import io.chainsnap.cli.Console;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code chainsnap info}: one snapshot in detail. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = {
      "Show one snapshot: chain, height and block hash it restores to, node client, sizes (disk"
          + " needed), chunks, SHA-256, verification and sources.",
      "Either from an index (--index with --id or --latest) or from a snapshot.json (--manifest)."
    },
    footer = {
      "",
      "Examples:",
      "  chainsnap info --index https://snapshots.example.org --chain litecoin --network mainnet"
          + " --latest --mode full",
      "  chainsnap info --manifest ./staging/snapshot.json --json"
    })
public final class InfoCommand extends BaseCommand {

  @Mixin IndexOptions index;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Which which;

  @Option(
      names = "--manifest",
      paramLabel = "URL|FILE",
      description = "snapshot.json (URL, s3:// or file) instead of an index lookup.")
  String manifest;

  @Option(names = "--json", description = "Print JSON: the index entry and snapshot.json.")
  boolean json;

  @Override
  int run() throws Exception {
    Resolved r = resolve(index, which, manifest, null, true);
    SnapshotMetadata m = r.metadata();
    SnapshotIndex.Entry entry = r.selected() == null ? null : r.selected().entry();
    if (json) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("manifest", r.manifest().toString());
      out.put("archive", r.archive().toString());
      if (entry != null) {
        out.put("index", r.selected().index().location().toString());
        out.put("signed", r.selected().index().trust().signed());
        out.put("signedBy", r.selected().index().trust().keyId());
        out.put("entry", entry);
      }
      out.put("snapshot", Console.json().readValue(m.toJson(), JsonNode.class));
      console().json(out);
      return 0;
    }
    var a = m.archive();
    line("snapshot", m.snapshotId());
    line("target", m.chain() + " " + m.network() + " (" + m.mode() + ")");
    line("height", String.valueOf(m.height()));
    line("block", m.blockHash());
    line("client", m.clientVersion());
    line(
        "taken at",
        m.takenAt()
            + " ("
            + age(m.takenAt())
            + " ago), quiesce "
            + m.quiesce()
            + ", node down "
            + m.nodeDowntimeMillis()
            + " ms");
    line(
        "archive",
        String.format(
            Locale.ROOT,
            "%s to download, %s on disk (%d files), %d chunks of %s, zstd level %d%s, format %d",
            Units.bytes(a.compressedSize()),
            Units.bytes(a.contentSize()),
            a.fileCount(),
            a.chunks().size(),
            Units.bytes(a.chunkSize()),
            a.level(),
            a.zstdParameters().isEmpty() ? "" : " with " + a.zstdParameters(),
            a.formatVersion()));
    line("sha256", a.sha256());
    if (entry != null) {
      SnapshotIndex.Verification v = entry.verification();
      line(
          "status",
          v == null
              ? "unknown"
              : v.status()
                  + (v.at() == null ? "" : " at " + v.at())
                  + (v.detail() == null ? "" : ": " + v.detail()));
      boolean isLatest = ListCommand.isLatest(r.selected().index().index(), entry);
      line("latest", isLatest ? "yes (latest verified " + entry.mode() + " snapshot)" : "no");
      if (entry.sources() != null) {
        entry.sources().forEach((k, v2) -> line("source", k + " " + v2));
      }
    }
    line("manifest", r.manifest().toString());
    line("archive at", r.archive().toString());
    return 0;
  }

  private void line(String key, String value) {
    console().result(String.format(Locale.ROOT, "%-10s  %s", key, value));
  }
}
