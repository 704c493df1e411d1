package io.chainsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainsnap.archive.ArchiveFormat;
import io.chainsnap.archive.ChunkInfo;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.archive.TestArchives;
import io.chainsnap.archive.TestTrees;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.QuiesceStrategy;
import io.chainsnap.testsupport.StaticFileServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chainsnap restore} over HTTP against real data: a generated data-dir-like tree archived by
 * {@code chainsnap create}, published with an index.json and served with byte ranges.
 */
class RestoreIT {

  @TempDir static Path shared;
  static Path source;
  static Path published;
  static StaticFileServer server;
  static Published layout;
  static SnapshotMetadata good;

  @TempDir Path dir;

  @BeforeAll
  static void publish() throws IOException {
    source = shared.resolve("src");
    TestTrees.generate(source);
    published = Files.createDirectories(shared.resolve("www"));
    server = new StaticFileServer(published);
    layout = new Published(published);
    // the archive is made by the command itself
    Path out = layout.dir("snap-good", "full");
    Cli.run(
            "create",
            "--source",
            source.toString(),
            "--out",
            out.toString(),
            "--chunk-size",
            "1MiB",
            "--id",
            "snap-good",
            "--chain",
            Published.CHAIN,
            "--network",
            Published.NETWORK,
            "--mode",
            "full",
            "--height",
            "500",
            // a generated tree, not a node's: its *.log files are data here
            "--no-default-excludes")
        .expect(0);
    good = SnapshotMetadata.read(Files.readAllBytes(out.resolve("snapshot.json")));
    layout.list(good, "verified", server::url);
    layout.writeIndex();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String manifestUrl(String id) {
    return server.url(Published.CHAIN + "/" + Published.NETWORK + "/full/" + id + "/snapshot.json");
  }

  static boolean markerLeft(Path dest) {
    return Files.exists(dest.resolve(".chainsnap-restore.json"));
  }

  @Test
  void roundTripWithOneAndFourConnections() throws IOException {
    for (String connections : List.of("1", "4")) {
      Path dest = dir.resolve("data-" + connections);
      Cli.Result r =
          Cli.run(
                  "restore",
                  "--manifest",
                  manifestUrl("snap-good"),
                  "--dest",
                  dest.toString(),
                  "--connections",
                  connections,
                  "--json")
              .expect(0);
      TestTrees.assertSameTree(source, dest);
      TestTrees.assertFormatModes(dest);
      assertFalse(markerLeft(dest));
      JsonNode json = r.json();
      assertEquals("snap-good", json.path("snapshotId").asText());
      assertEquals(good.archive().sha256(), json.path("sha256").asText());
      assertEquals(good.archive().compressedSize(), json.path("fetchedBytes").asLong());
      assertTrue(r.err().contains("chainsnap: warning: no index"), r.err());
    }
    // the server saw ranged requests, one per chunk and connection
    assertTrue(
        server.requests().stream()
            .anyMatch(q -> q.status() == 206 && q.path().endsWith("snapshot.tar.zst")));
  }

  @Test
  void restoreTheLatestThroughTheIndex() throws IOException {
    Path dest = dir.resolve("data");
    Cli.Result r =
        Cli.run(
                "restore",
                "--allow-unsigned",
                "--index",
                server.url(""),
                "--chain",
                Published.CHAIN,
                "--network",
                Published.NETWORK,
                "--mode",
                "full",
                "--latest",
                "--dest",
                dest.toString())
            .expect(0);
    TestTrees.assertSameTree(source, dest);
    assertTrue(r.err().contains("chainsnap: warning: index.json signature not checked"), r.err());
    assertTrue(r.out().startsWith("restored snap-good into "), r.out());
  }

  @Test
  void aFlippedByteOnTheServerFailsWithExitCode3AndLeavesTheMarker() throws IOException {
    Path out = layout.dir("snap-flipped", "full");
    SnapshotMetadata m = layout.add("snap-flipped", "full", source, 1 << 20, 501);
    Path archive = out.resolve("snapshot.tar.zst");
    byte[] bytes = Files.readAllBytes(archive);
    ChunkInfo victim = m.archive().chunks().get(7);
    bytes[(int) (victim.offset() + victim.compressedLength() / 2)] ^= 0x08;
    Files.write(archive, bytes);
    Path parent = Files.createDirectories(dir.resolve("parent"));
    Path dest = parent.resolve("data");
    Cli.Result r =
        Cli.run("restore", "--manifest", manifestUrl("snap-flipped"), "--dest", dest.toString())
            .expect(ExitCodes.CORRUPT);
    assertTrue(r.err().contains("chainsnap: corrupt: chunk 7"), r.err());
    assertTrue(r.err().contains("SHA-256 mismatch"), r.err());
    JsonNode marker = Console.json().readTree(dest.resolve(".chainsnap-restore.json").toFile());
    assertEquals("failed", marker.path("status").asText());
    assertTrue(marker.path("reason").asText().contains("chunk 7"), marker.toString());
    try (Stream<Path> s = Files.list(parent)) {
      assertEquals(List.of(dest), s.toList(), "nothing written beside the destination");
    }
    // re-running fails the same way (the corrupt chunk is fetched again, never applied)
    Cli.run("restore", "--manifest", manifestUrl("snap-flipped"), "--dest", dest.toString())
        .expect(ExitCodes.CORRUPT);
  }

  @Test
  void maliciousArchivesAreRejectedThroughTheCli() throws IOException {
    record Case(String name, TestArchives.TarContent content, long content2, long files) {}
    Path absolute = dir.resolve("absolute-target");
    List<Case> cases =
        List.of(
            new Case("traversal", t -> TestArchives.file(t, "../../escaped", "x"), 1, 1),
            new Case(
                "absolute",
                t -> {
                  TarArchiveEntry e = new TarArchiveEntry(absolute.toString(), true);
                  e.setSize(1);
                  t.putArchiveEntry(e);
                  t.write('x');
                  t.closeArchiveEntry();
                },
                1,
                1),
            new Case(
                "symlink",
                t -> {
                  TarArchiveEntry e = new TarArchiveEntry("link", TarConstants.LF_SYMLINK);
                  e.setLinkName("/etc");
                  TestArchives.entry(t, e);
                  TestArchives.file(t, "link/passwd", "x");
                },
                1,
                1),
            new Case(
                "hardlink",
                t -> {
                  TarArchiveEntry e = new TarArchiveEntry("hard", TarConstants.LF_LINK);
                  e.setLinkName("/etc/passwd");
                  TestArchives.entry(t, e);
                },
                0,
                0),
            new Case(
                "device",
                t -> {
                  TarArchiveEntry e = new TarArchiveEntry("dev", TarConstants.LF_CHR);
                  TestArchives.entry(t, e);
                },
                0,
                0),
            new Case("long-name", t -> TestArchives.file(t, "n".repeat(300), "x"), 1, 1),
            new Case(
                "duplicate",
                t -> {
                  TestArchives.file(t, "a", "1");
                  TestArchives.file(t, "a", "2");
                },
                2,
                2),
            new Case(
                "fifo",
                t -> TestArchives.entry(t, new TarArchiveEntry("fifo", TarConstants.LF_FIFO)),
                0,
                0),
            new Case(
                "reserved-name", t -> TestArchives.file(t, ".chainsnap-restore.json", "{}"), 2, 1),
            new Case(
                "more-files-than-declared",
                t -> {
                  TestArchives.file(t, "a", "1");
                  TestArchives.file(t, "b", "2");
                },
                2,
                1));
    for (Case c : cases) {
      byte[] tar = TestArchives.tar(c.content());
      TestArchives.Built built =
          TestArchives.frame(tar, ArchiveFormat.MIN_CHUNK_SIZE, c.content2(), c.files());
      Path out = Files.createDirectories(layout.dir("evil-" + c.name(), "full"));
      Files.write(out.resolve("snapshot.tar.zst"), built.bytes());
      SnapshotMetadata m =
          new SnapshotMetadata(
              1,
              "evil-" + c.name(),
              Published.CHAIN,
              Published.NETWORK,
              Mode.FULL,
              "x",
              1,
              "00",
              java.time.Instant.now(),
              QuiesceStrategy.STOP,
              0,
              built.manifest());
      Files.write(out.resolve("snapshot.json"), m.toJson());
      Path sandbox = Files.createDirectories(dir.resolve("sandbox-" + c.name()));
      Path dest = sandbox.resolve("data");
      Cli.Result r =
          Cli.run(
                  "restore",
                  "--manifest",
                  manifestUrl("evil-" + c.name()),
                  "--dest",
                  dest.toString())
              .expect(ExitCodes.UNSAFE);
      assertTrue(r.err().contains("chainsnap: unsafe: unsafe archive"), c.name() + ": " + r.err());
      try (Stream<Path> s = Files.list(sandbox)) {
        assertEquals(List.of(dest), s.toList(), c.name() + ": nothing outside the destination");
      }
      assertTrue(markerLeft(dest), c.name());
      String refusal =
          r.err().lines().filter(l -> l.startsWith("chainsnap: unsafe:")).findFirst().orElseThrow();
      // verify refuses it the same way: over HTTP, and as a local file
      Cli.Result remote =
          Cli.run("verify", "--manifest", manifestUrl("evil-" + c.name())).expect(ExitCodes.UNSAFE);
      assertTrue(remote.err().contains(refusal), c.name() + ": " + remote.err());
      Cli.Result local =
          Cli.run(
                  "verify",
                  out.resolve("snapshot.tar.zst").toString(),
                  "--manifest",
                  out.resolve("snapshot.json").toString())
              .expect(ExitCodes.UNSAFE);
      assertTrue(local.err().contains(refusal), c.name() + ": " + local.err());
    }
    assertFalse(Files.exists(absolute));
  }

  @Test
  void refusalsHaveTheirExitCodes() throws IOException {
    Path full = Files.createDirectories(dir.resolve("full"));
    Files.writeString(full.resolve("wallet.dat"), "keep me", StandardCharsets.UTF_8);
    Cli.Result r =
        Cli.run("restore", "--manifest", manifestUrl("snap-good"), "--dest", full.toString())
            .expect(ExitCodes.DESTINATION);
    assertTrue(r.err().contains("chainsnap: destination: "), r.err());
    assertEquals("keep me", Files.readString(full.resolve("wallet.dat")));
    try (Stream<Path> s = Files.list(full)) {
      assertEquals(1, s.count(), "no marker in a refused directory");
    }
    Cli.run(
            "restore",
            "--allow-unsigned",
            "--index",
            server.url(""),
            "--chain",
            Published.CHAIN,
            "--network",
            Published.NETWORK,
            "--id",
            "no-such-snapshot",
            "--dest",
            dir.resolve("x").toString())
        .expect(ExitCodes.NOT_FOUND);
    Cli.run("restore", "--manifest", manifestUrl("missing"), "--dest", dir.resolve("y").toString())
        .expect(ExitCodes.NOT_FOUND);
    Cli.run(
            "restore",
            "--manifest",
            manifestUrl("snap-good"),
            "--source",
            server.url("nothing-here.tar.zst"),
            "--dest",
            dir.resolve("z").toString())
        .expect(ExitCodes.NOT_FOUND);
    Cli.run("restore", "--dest", dir.resolve("w").toString()).expect(ExitCodes.USAGE);
    Cli.run("restore", "--manifest", "x", "--id", "y", "--dest", "d").expect(ExitCodes.USAGE);
  }

  @Test
  void everyCommandHasHelp() {
    for (String command : List.of("list", "info", "download", "verify", "restore", "create")) {
      Cli.Result r = Cli.run(command, "--help").expect(0);
      assertTrue(r.out().contains("Usage: chainsnap " + command), r.out());
      assertTrue(r.out().contains("Exit codes:"), command);
    }
    String restore = Cli.run("restore", "--help").expect(0).out().replaceAll("\\s+", " ");
    assertTrue(restore.contains("no --chain/--network needed"), restore);
    assertTrue(restore.contains("--force"), restore);
    String verify = Cli.run("verify", "--help").expect(0).out().replaceAll("\\s+", " ");
    assertTrue(verify.contains("as strictly as restore"), verify);
    String help = Cli.run("--help").expect(0).out().replaceAll("\\s+", " ");
    assertTrue(help.contains("Every index.json read is checked against index.json.sig"), help);
  }
}
