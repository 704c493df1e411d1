package io.chainsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainsnap.archive.ChunkInfo;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.archive.TestTrees;
import io.chainsnap.testsupport.StaticFileServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged command killed with SIGKILL in the middle of a restore (and of a download) from a
 * slow server, then run again: it must finish, and the server's request log must show that no chunk
 * the journal recorded as done before the kill was fetched again.
 */
class ResumeAfterKillIT {

  static final long BYTES_PER_SECOND = 3 << 20;
  static final int CHUNK = 256 << 10;

  @TempDir static Path shared;
  static Path source;
  static StaticFileServer server;
  static Published layout;
  static SnapshotMetadata snapshot;

  @TempDir Path dir;

  @BeforeAll
  static void publish() throws IOException {
    source = shared.resolve("src");
    Files.createDirectories(source.resolve("blocks"));
    Files.createDirectories(source.resolve("chainstate"));
    Random random = new Random(9);
    // mostly incompressible, like block files: about 14 MB to fetch, 4-5 s at the throttle
    for (int i = 0; i < 3; i++) {
      TestTrees.write(
          source.resolve("blocks/blk0000" + i + ".dat"), TestTrees.halfRandom(random, 4 << 20));
    }
    for (int i = 0; i < 200; i++) {
      TestTrees.write(
          source.resolve("chainstate/" + String.format("%06d.ldb", i)),
          TestTrees.randomBytes(random, random.nextInt(40_000)));
    }
    TestTrees.setMtimes(source);
    Path www = Files.createDirectories(shared.resolve("www"));
    layout = new Published(www);
    snapshot = layout.add("slow-1", "full", source, CHUNK, 300);
    server = new StaticFileServer(www, BYTES_PER_SECOND);
    layout.list(snapshot, "verified", server::url);
    layout.writeIndex();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  String[] restoreArgs(Path dest) {
    return new String[] {
      "restore",
      "--allow-unsigned",
      "--index",
      server.url(""),
      "--chain",
      Published.CHAIN,
      "--network",
      Published.NETWORK,
      "--latest",
      "--dest",
      dest.toString(),
      "--connections",
      "4"
    };
  }

  /** Starts the jar, waits until {@code ready} holds, kills it with SIGKILL. */
  void startAndKill(String[] args, Predicate<Void> ready) throws Exception {
    Process p = Cli.start(dir.resolve("first.out"), dir.resolve("first.err"), args);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!ready.test(null)) {
        if (!p.isAlive()) {
          throw new AssertionError(
              "finished before it could be killed, exit "
                  + p.exitValue()
                  + ": "
                  + Files.readString(dir.resolve("first.err")));
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "never got far enough: " + Files.readString(dir.resolve("first.err")));
        }
        Thread.sleep(20);
      }
    } finally {
      p.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
      p.waitFor(30, TimeUnit.SECONDS);
    }
    assertEquals(137, p.exitValue(), "killed by SIGKILL");
  }

  /** GET ranges of the archive served since the last clear. */
  static List<StaticFileServer.Request> archiveReads() {
    return server.requests().stream()
        .filter(r -> r.method().equals("GET") && r.path().endsWith("snapshot.tar.zst"))
        .toList();
  }

  @Test
  void aKilledRestoreResumesWithoutFetchingAppliedChunksAgain() throws Exception {
    Path dest = dir.resolve("data");
    Path journal = dest.resolve(".chainsnap-restore.json");
    int n = snapshot.archive().chunks().size();
    startAndKill(
        restoreArgs(dest),
        v -> {
          try {
            return Files.exists(journal)
                && Console.json()
                        .readTree(journal.toFile())
                        .path("applied")
                        .path("nextChunk")
                        .asInt()
                    >= n / 4;
          } catch (IOException e) {
            return false; // being replaced
          }
        });
    JsonNode marker = Console.json().readTree(journal.toFile());
    assertEquals("in-progress", marker.path("status").asText(), "a killed run leaves its marker");
    int next = marker.path("applied").path("nextChunk").asInt();
    assertTrue(next >= n / 4 && next < n, "killed at chunk " + next + " of " + n);
    long resumeAt = snapshot.archive().chunks().get(next).offset();

    // a range request the killed run sent just before SIGKILL may still be served and logged
    server.awaitQuiet(Duration.ofMillis(500), Duration.ofSeconds(30));
    server.clearRequests();
    Process second =
        Cli.start(dir.resolve("second.out"), dir.resolve("second.err"), restoreArgs(dest));
    assertTrue(second.waitFor(120, TimeUnit.SECONDS));
    String err = Files.readString(dir.resolve("second.err"));
    assertEquals(0, second.exitValue(), err);
    assertTrue(err.contains("chainsnap: resuming at chunk " + next + " of " + n + ": "), err);
    assertTrue(Files.readString(dir.resolve("second.out")).contains("restored slow-1"));

    List<StaticFileServer.Request> reads = archiveReads();
    Set<Long> starts = new HashSet<>();
    for (StaticFileServer.Request r : reads) {
      assertTrue(
          r.from() >= resumeAt,
          "bytes "
              + r.from()
              + "-"
              + r.to()
              + " fetched again; chunks before "
              + next
              + " (offset "
              + resumeAt
              + ") were applied before the kill");
      assertTrue(starts.add(r.from()), "chunk at " + r.from() + " fetched twice");
    }
    assertEquals(n - next, reads.size(), "every missing chunk fetched once");
    System.out.printf(
        "restore killed after %d of %d chunks; the second run fetched the %d others once each%n",
        next, n, reads.size());
    TestTrees.assertSameTree(source, dest);
    try (var s = Files.list(dest)) {
      assertFalse(
          s.map(p -> p.getFileName().toString())
              .anyMatch(
                  name ->
                      name.startsWith(".chainsnap-restore")
                          && !name.equals(TestTrees.RESTORED_RECORD)),
          "marker, log and lock removed after success");
    }
    assertTrue(Files.isRegularFile(dest.resolve(TestTrees.RESTORED_RECORD)), "finished: recorded");
  }

  @Test
  void aKilledDownloadResumesWithoutFetchingStoredChunksAgain() throws Exception {
    Path out = dir.resolve("snapshot.tar.zst");
    Path journal = dir.resolve("snapshot.tar.zst.chainsnap-download.json");
    String[] args = {
      "download",
      "--allow-unsigned",
      "--index",
      server.url("litecoin/regtest/index.json"),
      "--id",
      "slow-1",
      "--out",
      out.toString()
    };
    startAndKill(
        args,
        v -> {
          try {
            return Files.exists(journal)
                && Console.json().readTree(journal.toFile()).path("done").asText().contains("-");
          } catch (IOException e) {
            return false;
          }
        });
    String done = Console.json().readTree(journal.toFile()).path("done").asText();
    Set<Long> stored = new HashSet<>();
    for (String range : done.split(",")) {
      String[] ab = range.split("-");
      int a = Integer.parseInt(ab[0]);
      int b = ab.length > 1 ? Integer.parseInt(ab[1]) : a;
      for (int i = a; i <= b; i++) {
        stored.add(snapshot.archive().chunks().get(i).offset());
      }
    }
    // a range request the killed run sent just before SIGKILL may still be served and logged
    server.awaitQuiet(Duration.ofMillis(500), Duration.ofSeconds(30));
    server.clearRequests();
    Cli.Result r = Cli.run(args).expect(0);
    assertTrue(r.out().contains("downloaded slow-1"), r.out());
    for (StaticFileServer.Request q : archiveReads()) {
      assertFalse(stored.contains(q.from()), "stored chunk at " + q.from() + " fetched again");
    }
    assertEquals(snapshot.archive().chunks().size() - stored.size(), archiveReads().size());
    assertEquals(snapshot.archive().sha256(), TestTrees.sha256(out));
    assertFalse(Files.exists(journal));
    Cli.run(
            "verify",
            out.toString(),
            "--manifest",
            layout.dir("slow-1", "full").resolve("snapshot.json").toString())
        .expect(0);
    for (ChunkInfo c : snapshot.archive().chunks()) {
      assertTrue(c.compressedLength() > 0);
    }
  }
}
