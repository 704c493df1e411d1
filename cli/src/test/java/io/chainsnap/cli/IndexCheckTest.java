package io.chainsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.archive.ArchiveManifest;
import io.chainsnap.archive.SnapshotMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the commands refuse in an index on disk: invalid ids, disagreement, unknown modes. */
class IndexCheckTest {

  @TempDir Path dir;

  private Path publish(String status) throws IOException {
    Path src = Files.createDirectories(dir.resolve("src/blocks"));
    Files.writeString(src.resolve("blk00000.dat"), "block data\n".repeat(1000));
    Published layout = new Published(dir.resolve("www"));
    SnapshotMetadata m = layout.add("ltc-1", "full", dir.resolve("src"), 64 << 10, 7);
    layout.list(m, status, rel -> layout.root.resolve(rel).toString());
    return layout.writeIndex();
  }

  private static void replace(Path file, String from, String to) throws IOException {
    String json = Files.readString(file);
    assertTrue(json.contains(from), from + " in " + json);
    Files.writeString(file, json.replace(from, to));
  }

  @Test
  void anEntryWithAnInvalidIdIsACorruptIndex() throws IOException {
    Path index = publish("pending");
    replace(index, "\"snapshotId\" : \"ltc-1\"", "\"snapshotId\" : \"../ltc-1\"");
    Cli.Result r =
        Cli.run("list", "--allow-unsigned", "--index", index.toString()).expect(ExitCodes.CORRUPT);
    assertTrue(
        r.err().contains("index.json snapshots[0] has an invalid snapshot id '../ltc-1'"), r.err());
  }

  @Test
  void aLatestWithAnInvalidIdIsACorruptIndex() throws IOException {
    Path index = publish("verified");
    replace(index, "\"full\" : \"ltc-1\"", "\"full\" : \"ltc 1\"");
    Cli.Result r =
        Cli.run("info", "--allow-unsigned", "--index", index.toString(), "--latest")
            .expect(ExitCodes.CORRUPT);
    assertTrue(r.err().contains("latest.full is an invalid snapshot id 'ltc 1'"), r.err());
  }

  @Test
  void everyFieldWhereSnapshotJsonDisagreesIsNamed() throws IOException {
    Path index = publish("verified");
    Path manifest = dir.resolve("www/litecoin/regtest/full/ltc-1/snapshot.json");
    SnapshotMetadata m = SnapshotMetadata.read(Files.readAllBytes(manifest));
    ArchiveManifest a = m.archive();
    SnapshotMetadata lying =
        new SnapshotMetadata(
            m.formatVersion(),
            m.snapshotId(),
            m.chain(),
            "mainnet",
            m.mode(),
            m.clientVersion(),
            8,
            m.blockHash(),
            m.takenAt(),
            m.quiesce(),
            m.nodeDowntimeMillis(),
            new ArchiveManifest(
                a.formatVersion(),
                a.chunkSize(),
                a.tarSize(),
                a.contentSize(),
                a.fileCount(),
                a.compressedSize(),
                "e".repeat(64),
                a.compression(),
                a.level(),
                a.zstdParameters(),
                a.chunks()));
    Files.write(manifest, lying.toJson());
    Cli.Result r =
        Cli.run("info", "--allow-unsigned", "--index", index.toString(), "--id", "ltc-1")
            .expect(ExitCodes.CORRUPT);
    assertTrue(r.err().contains("snapshot.json of ltc-1 disagrees with index: "), r.err());
    assertTrue(r.err().contains("network (index regtest, snapshot.json mainnet)"), r.err());
    assertTrue(r.err().contains("height (index 7, snapshot.json 8)"), r.err());
    assertTrue(
        r.err().contains("archive sha256 (index " + a.sha256() + ", snapshot.json eeee"), r.err());
  }

  @Test
  void modeIsTypedAndAnUnknownOneIsAUsageError() throws IOException {
    Path index = publish("verified");
    Cli.Result r =
        Cli.run("list", "--allow-unsigned", "--index", index.toString(), "--mode", "light")
            .expect(ExitCodes.USAGE);
    assertTrue(
        r.err().contains("'light' is not a known mode (known: archive, full, pruned)"), r.err());
    Cli.Result pruned =
        Cli.run(
                "list",
                "--allow-unsigned",
                "--index",
                index.toString(),
                "--mode",
                "pruned",
                "--json")
            .expect(0);
    assertEquals(0, pruned.json().path("snapshots").size(), pruned.out());
    Cli.Result full =
        Cli.run("list", "--allow-unsigned", "--index", index.toString(), "--mode", "full", "--json")
            .expect(0);
    assertEquals("full", full.json().path("snapshots").get(0).path("mode").asText(), full.out());
    assertTrue(full.json().path("snapshots").get(0).path("latest").asBoolean(), full.out());
    assertEquals(
        "verified",
        full.json().path("snapshots").get(0).path("verification").path("status").asText());
  }
}
