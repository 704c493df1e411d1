package io.chainsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.archive.TestTrees;
import io.chainsnap.testsupport.StaticFileServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code list} and {@code info} against an index.json written with {@code SnapshotIndex}. */
class ListInfoIT {

  @TempDir static Path shared;
  static StaticFileServer server;
  static Published layout;
  static SnapshotMetadata fullOld;
  static SnapshotMetadata fullNew;
  static SnapshotMetadata pruned;
  static SnapshotMetadata pending;
  static SnapshotMetadata rejected;

  @BeforeAll
  static void publish() throws IOException {
    Path src = shared.resolve("src");
    Files.createDirectories(src.resolve("blocks"));
    Random random = new Random(1);
    TestTrees.write(src.resolve("blocks/blk00000.dat"), TestTrees.randomBytes(random, 200_000));
    TestTrees.write(src.resolve("peers.dat"), TestTrees.text(random, 5000));
    Path www = Files.createDirectories(shared.resolve("www"));
    server = new StaticFileServer(www);
    layout = new Published(www);
    fullOld = layout.add("ltc-full-1", "full", src, 64 << 10, 100);
    fullNew = layout.add("ltc-full-2", "full", src, 64 << 10, 200);
    pruned = layout.add("ltc-pruned-1", "pruned", src, 64 << 10, 150);
    pending = layout.add("ltc-full-3", "full", src, 64 << 10, 250);
    rejected = layout.add("ltc-full-4", "full", src, 64 << 10, 260);
    layout.list(fullOld, "verified", server::url);
    layout.list(pruned, "verified", server::url);
    layout.list(fullNew, "verified", server::url);
    layout.list(pending, "pending", server::url);
    layout.list(rejected, "rejected", server::url);
    layout.writeIndex();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void listShowsEverySnapshotWithTheLatestMarked() {
    Cli.Result r =
        Cli.run(
                "list",
                "--allow-unsigned",
                "--index",
                server.url(""),
                "--chain",
                Published.CHAIN,
                "--network",
                Published.NETWORK)
            .expect(0);
    assertTrue(r.out().startsWith("litecoin/regtest  (index sequence 7, 5 snapshots)"), r.out());
    String[] lines = r.out().split("\n");
    assertTrue(lines[1].contains("SNAPSHOT") && lines[1].contains("HEIGHT"), lines[1]);
    assertTrue(r.out().contains("* ltc-full-2"), r.out());
    assertTrue(r.out().contains("* ltc-pruned-1"), r.out());
    assertTrue(r.out().matches("(?s).*ltc-full-4 +full +260 .*rejected.*"), r.out());
    assertTrue(r.out().matches("(?s).*ltc-full-3 +full +250 .*pending.*"), r.out());
    assertFalse(r.out().contains("* ltc-full-1"));
    assertTrue(r.err().contains("chainsnap: warning: index.json signature not checked"), r.err());
  }

  @Test
  void listAsJsonFilteredByMode() throws IOException {
    JsonNode json =
        Cli.run(
                "list",
                "--allow-unsigned",
                "--index",
                server.url("litecoin/regtest/index.json"),
                "--mode",
                "full",
                "--json")
            .expect(0)
            .json();
    assertFalse(json.path("signed").asBoolean(true));
    assertEquals(4, json.path("snapshots").size());
    JsonNode newest = json.path("snapshots").get(0);
    assertEquals("ltc-full-4", newest.path("snapshotId").asText());
    assertEquals("rejected", newest.path("verification").path("status").asText());
    assertEquals("ltc-full-2", json.path("latest").path("full").asText());
    for (JsonNode s : json.path("snapshots")) {
      assertEquals(
          s.path("snapshotId").asText().equals("ltc-full-2"), s.path("latest").asBoolean());
      assertTrue(s.path("ageSeconds").asLong() >= 0);
    }
  }

  @Test
  void listFromALocalIndexFile() {
    Cli.Result r =
        Cli.run(
                "list",
                "--allow-unsigned",
                "--index",
                layout.root.resolve("litecoin/regtest/index.json").toString())
            .expect(0);
    assertTrue(r.out().contains("ltc-pruned-1"), r.out());
  }

  @Test
  void infoOfTheLatestAndById() throws IOException {
    Cli.Result latest =
        Cli.run(
                "info",
                "--allow-unsigned",
                "--index",
                server.url(""),
                "--chain",
                Published.CHAIN,
                "--network",
                Published.NETWORK,
                "--latest",
                "--mode",
                "full")
            .expect(0);
    assertTrue(latest.out().contains("snapshot    ltc-full-2"), latest.out());
    assertTrue(latest.out().contains("height      200"), latest.out());
    assertTrue(latest.out().contains("sha256      " + fullNew.archive().sha256()), latest.out());
    assertTrue(latest.out().contains("latest      yes"), latest.out());
    JsonNode byId =
        Cli.run(
                "info",
                "--allow-unsigned",
                "--index",
                server.url("litecoin/regtest/index.json"),
                "--id",
                "ltc-pruned-1",
                "--json")
            .expect(0)
            .json();
    assertEquals("ltc-pruned-1", byId.path("entry").path("snapshotId").asText());
    assertEquals(
        pruned.archive().chunks().size(),
        byId.path("snapshot").path("archive").path("chunks").size());
  }

  @Test
  void infoOfASnapshotJsonFile() {
    Cli.Result r =
        Cli.run(
                "info",
                "--manifest",
                layout.dir("ltc-full-1", "full").resolve("snapshot.json").toString())
            .expect(0);
    assertTrue(r.out().contains("snapshot    ltc-full-1"), r.out());
    assertTrue(r.out().contains("target      litecoin regtest (full)"), r.out());
  }

  @Test
  void lookupsThatFindNothing() {
    Cli.run(
            "info",
            "--allow-unsigned",
            "--index",
            server.url(""),
            "--chain",
            "litecoin",
            "--network",
            "regtest",
            "--id",
            "nope")
        .expect(ExitCodes.NOT_FOUND);
    Cli.run(
            "list",
            "--allow-unsigned",
            "--index",
            server.url(""),
            "--chain",
            "bitcoin",
            "--network",
            "mainnet")
        .expect(ExitCodes.NOT_FOUND);
    // several modes have a latest: --latest needs --mode
    Cli.run(
            "info",
            "--allow-unsigned",
            "--index",
            server.url(""),
            "--chain",
            "litecoin",
            "--network",
            "regtest",
            "--latest")
        .expect(ExitCodes.USAGE);
    Cli.run(
            "info",
            "--allow-unsigned",
            "--index",
            server.url(""),
            "--chain",
            "litecoin",
            "--network",
            "regtest")
        .expect(ExitCodes.USAGE);
  }

  @Test
  void aRejectedSnapshotIsRefusedUnlessAllowed() throws IOException {
    Path dest = shared.resolve("rejected-dest");
    Cli.Result r =
        Cli.run(
                "restore",
                "--allow-unsigned",
                "--index",
                server.url(""),
                "--chain",
                "litecoin",
                "--network",
                "regtest",
                "--id",
                "ltc-full-4",
                "--dest",
                dest.toString())
            .expect(ExitCodes.CORRUPT);
    assertTrue(r.err().contains("rejected by the verifier"), r.err());
    assertFalse(Files.exists(dest));
    Cli.Result pendingRun =
        Cli.run(
                "restore",
                "--allow-unsigned",
                "--index",
                server.url(""),
                "--chain",
                "litecoin",
                "--network",
                "regtest",
                "--id",
                "ltc-full-3",
                "--dest",
                shared.resolve("pending-dest").toString())
            .expect(0);
    assertTrue(pendingRun.err().contains("is not verified (status pending)"), pendingRun.err());
  }

  @Test
  void anIndexThatDisagreesWithSnapshotJsonIsCorrupt() throws IOException {
    // serve an index whose sha256 for a snapshot differs from its snapshot.json
    Path www2 = Files.createDirectories(shared.resolve("www2"));
    Published other = new Published(www2);
    Path src = shared.resolve("src");
    SnapshotMetadata m = other.add("x-1", "full", src, 64 << 10, 1);
    SnapshotMetadata lie =
        new SnapshotMetadata(
            1,
            m.snapshotId(),
            m.chain(),
            m.network(),
            m.mode(),
            m.clientVersion(),
            m.height(),
            m.blockHash(),
            m.takenAt(),
            m.quiesce(),
            0,
            new io.chainsnap.archive.ArchiveManifest(
                1,
                m.archive().chunkSize(),
                m.archive().tarSize(),
                m.archive().contentSize(),
                m.archive().fileCount(),
                m.archive().compressedSize(),
                "f".repeat(64),
                "zstd",
                3,
                m.archive().chunks()));
    try (StaticFileServer s2 = new StaticFileServer(www2)) {
      other.list(lie, "verified", s2::url);
      other.writeIndex();
      Cli.Result r =
          Cli.run(
                  "restore",
                  "--allow-unsigned",
                  "--index",
                  s2.url(""),
                  "--chain",
                  "litecoin",
                  "--network",
                  "regtest",
                  "--latest",
                  "--dest",
                  shared.resolve("lie-dest").toString())
              .expect(ExitCodes.CORRUPT);
      assertTrue(r.err().contains("snapshot.json of x-1 disagrees with index"), r.err());
      assertTrue(
          r.err().contains("archive sha256 (index " + "f".repeat(64) + ", snapshot.json "),
          r.err());
    }
  }
}
