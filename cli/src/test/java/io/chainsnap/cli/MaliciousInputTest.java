package io.chainsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.testsupport.StaticFileServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile indexes and snapshot.json files, served over HTTP or on disk: what they name, how big
 * they are, the ids and versions they carry. Each is refused with one clear line and its exit code,
 * never a stack trace. (Hostile archives: {@code MaliciousArchiveTest} in archive, and {@code
 * RestoreIT} through the CLI.)
 */
class MaliciousInputTest {

  @TempDir Path dir;
  Published layout;
  SnapshotMetadata snapshot;
  StaticFileServer server;

  @BeforeEach
  void publish() throws IOException {
    Path src = Files.createDirectories(dir.resolve("src/blocks"));
    Files.writeString(src.resolve("blk00000.dat"), "block data\n".repeat(1000));
    layout = new Published(Files.createDirectories(dir.resolve("www")));
    snapshot = layout.add("ltc-1", "full", dir.resolve("src"), 64 << 10, 7);
    server = new StaticFileServer(layout.root);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String indexUrl() {
    return server.url(Published.CHAIN + "/" + Published.NETWORK + "/index.json");
  }

  private Path indexFile() {
    return layout.root.resolve(Published.CHAIN).resolve(Published.NETWORK).resolve("index.json");
  }

  private static void replace(Path file, String from, String to) throws IOException {
    String json = Files.readString(file);
    assertTrue(json.contains(from), from + " in " + json);
    Files.writeString(file, json.replace(from, to));
  }

  private static void assertOneLine(Cli.Result r) {
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    assertFalse(r.err().contains("Exception"), "no Java exception names: " + r.err());
    assertFalse(r.err().contains("reference chain"), r.err());
  }

  @Test
  void aRemoteIndexCannotPointAtLocalFiles() throws IOException {
    for (String local : new String[] {"/etc/passwd", "file:///dev/zero", "/dev/zero"}) {
      layout.entries.clear();
      layout.list(
          snapshot, "verified", rel -> rel.endsWith("snapshot.json") ? local : server.url(rel));
      layout.writeIndex();
      Cli.Result r =
          Cli.run("info", "--allow-unsigned", "--index", indexUrl(), "--latest")
              .expect(ExitCodes.UNSAFE);
      assertTrue(r.err().contains("names a local file as its snapshot.json"), r.err());
      assertTrue(r.err().contains("a remote index may only name http(s), s3 or IPFS"), r.err());
      assertOneLine(r);
    }
    layout.entries.clear();
    layout.list(
        snapshot,
        "verified",
        rel -> rel.endsWith("snapshot.tar.zst") ? "/dev/zero" : server.url(rel));
    layout.writeIndex();
    Cli.Result r =
        Cli.run("verify", "--allow-unsigned", "--index", indexUrl(), "--latest")
            .expect(ExitCodes.UNSAFE);
    assertTrue(r.err().contains("names a local file as its archive (/dev/zero)"), r.err());
  }

  @Test
  void aLocalIndexMayNameLocalFilesButNotDevices() throws IOException {
    layout.list(
        snapshot,
        "verified",
        rel -> rel.endsWith("snapshot.json") ? "/dev/zero" : layout.root.resolve(rel).toString());
    layout.writeIndex();
    Cli.Result r =
        Cli.run("info", "--allow-unsigned", "--index", indexFile().toString(), "--latest")
            .expect(ExitCodes.IO);
    assertTrue(r.err().contains("/dev/zero is not a regular file"), r.err());
    assertOneLine(r);
    Cli.Result m = Cli.run("info", "--manifest", "/dev/zero").expect(ExitCodes.IO);
    assertTrue(m.err().contains("/dev/zero is not a regular file"), m.err());
    Cli.Result d = Cli.run("info", "--manifest", dir.toString()).expect(ExitCodes.IO);
    assertTrue(d.err().contains("is not a regular file"), d.err());
    Cli.Result v =
        Cli.run(
                "verify",
                "--manifest",
                layout.dir("ltc-1", "full").resolve("snapshot.json").toString(),
                "--source",
                "/dev/zero")
            .expect(ExitCodes.IO);
    assertTrue(v.err().contains("/dev/zero is not a regular file"), v.err());
    assertOneLine(v);
  }

  @Test
  void anEndlessIndexIsCutAtTheCapNotBufferedWhole() throws IOException {
    AtomicLong sent = new AtomicLong();
    HttpServer endless =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    endless.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(200, 0); // chunked, no length
          byte[] spaces = " ".repeat(1 << 16).getBytes(StandardCharsets.US_ASCII);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write("{\"formatVersion\":1,".getBytes(StandardCharsets.US_ASCII));
            while (sent.get() < 4L << 30) {
              out.write(spaces);
              sent.addAndGet(spaces.length);
            }
          } catch (IOException closed) {
            // the client stopped reading
          }
        });
    endless.start();
    try {
      String url = "http://127.0.0.1:" + endless.getAddress().getPort() + "/index.json";
      Cli.Result r =
          Cli.run("list", "--allow-unsigned", "--index", url, "--retries", "1")
              .expect(ExitCodes.IO);
      assertTrue(r.err().contains("larger than 67108864 bytes: not read further"), r.err());
      assertOneLine(r);
    } finally {
      endless.stop(0);
    }
    assertTrue(sent.get() < 1L << 30, "the read stopped at the cap, sent " + sent.get());
  }

  @Test
  void idsAreCheckedWhereverTheyAreRead() throws IOException {
    layout.list(snapshot, "verified", server::url);
    layout.writeIndex();
    Cli.Result id =
        Cli.run("info", "--allow-unsigned", "--index", indexUrl(), "--id", "../../tmp/x")
            .expect(ExitCodes.USAGE);
    assertTrue(id.err().contains("--id: invalid snapshot id '../../tmp/x'"), id.err());
    Path manifest = layout.dir("ltc-1", "full").resolve("snapshot.json");
    replace(manifest, "\"snapshotId\" : \"ltc-1\"", "\"snapshotId\" : \"../../tmp/x\"");
    Cli.Result m = Cli.run("info", "--manifest", manifest.toString()).expect(ExitCodes.CORRUPT);
    assertTrue(m.err().contains("snapshot.json has an invalid snapshotId '../../tmp/x'"), m.err());
    // through the index, the id is checked before snapshot.json is compared with the entry
    replace(indexFile(), "\"snapshotId\" : \"ltc-1\"", "\"snapshotId\" : \"../../tmp/x\"");
    Cli.Result i =
        Cli.run("list", "--allow-unsigned", "--index", indexUrl()).expect(ExitCodes.CORRUPT);
    assertTrue(i.err().contains("invalid snapshot id '../../tmp/x'"), i.err());
  }

  @Test
  void looseVersionsAndNumbersAreRefusedInOneLine() throws IOException {
    layout.list(snapshot, "verified", server::url);
    layout.writeIndex();
    String good = Files.readString(indexFile());
    for (String v : new String[] {"1.9", "\"1\"", "1.0"}) {
      Files.writeString(
          indexFile(), good.replace("\"formatVersion\" : 1", "\"formatVersion\" : " + v));
      Cli.Result r =
          Cli.run("list", "--allow-unsigned", "--index", indexUrl()).expect(ExitCodes.CORRUPT);
      assertTrue(r.err().contains("unsupported index.json formatVersion " + v), r.err());
    }
    Files.writeString(indexFile(), good.replace("\"height\" : 7", "\"height\" : \"7\""));
    Cli.Result h =
        Cli.run("list", "--allow-unsigned", "--index", indexUrl()).expect(ExitCodes.CORRUPT);
    assertTrue(h.err().contains("at snapshots[0].height"), h.err());
    assertOneLine(h);
    assertEquals(
        1, h.err().lines().filter(l -> l.startsWith("chainsnap: corrupt:")).count(), h.err());
    Files.writeString(indexFile(), good);
    Path manifest = layout.dir("ltc-1", "full").resolve("snapshot.json");
    replace(manifest, "\"chunkSize\" : 65536", "\"chunkSize\" : 65536.9");
    Cli.Result c =
        Cli.run("info", "--allow-unsigned", "--index", indexUrl(), "--latest")
            .expect(ExitCodes.CORRUPT);
    assertTrue(c.err().contains("at chunkSize"), c.err());
    assertOneLine(c);
  }

  @Test
  void theUnsignedIndexWarningRespectsQuiet() throws IOException {
    layout.list(snapshot, "verified", server::url);
    layout.writeIndex();
    Cli.Result loud = Cli.run("list", "--allow-unsigned", "--index", indexUrl()).expect(0);
    assertTrue(loud.err().contains("index.json signature not checked"), loud.err());
    Cli.Result quiet =
        Cli.run("--quiet", "list", "--allow-unsigned", "--index", indexUrl()).expect(0);
    assertEquals("", quiet.err());
    Cli.Result quiet2 = Cli.run("list", "-q", "--allow-unsigned", "--index", indexUrl()).expect(0);
    assertEquals("", quiet2.err());
  }

  @Test
  void verifyOfARejectedSnapshotSaysItWasRejected() throws IOException {
    layout.list(snapshot, "rejected", server::url);
    layout.writeIndex();
    Cli.Result r =
        Cli.run("verify", "--allow-unsigned", "--index", indexUrl(), "--id", "ltc-1").expect(0);
    assertTrue(
        r.err().contains("snapshot ltc-1 was rejected by the verifier (tip: wrong height)"),
        r.err());
    assertFalse(r.err().contains("nobody booted"), r.err());
  }

  @Test
  void restoreTakesTheIndexUrlAloneAndSaysWhenItIsAlreadyDone() throws IOException {
    layout.list(snapshot, "verified", server::url);
    layout.writeIndex();
    Path dest = dir.resolve("data");
    Cli.Result r =
        Cli.run(
                "restore",
                "--allow-unsigned",
                "--index",
                indexUrl(),
                "--latest",
                "--dest",
                dest.toString())
            .expect(0);
    assertTrue(r.out().startsWith("restored ltc-1 into "), r.out());
    assertTrue(Files.isRegularFile(dest.resolve("blocks/blk00000.dat")));
    Cli.Result again =
        Cli.run(
                "restore",
                "--allow-unsigned",
                "--index",
                indexUrl(),
                "--latest",
                "--dest",
                dest.toString())
            .expect(0);
    assertTrue(again.out().startsWith("already restored: ltc-1 was restored into "), again.out());
    assertTrue(again.out().contains("--force restores it again"), again.out());

    // another snapshot over it: refused, with --force offered; --force replaces it
    Path src2 = Files.createDirectories(dir.resolve("src2/chainstate"));
    Files.writeString(src2.resolve("000001.ldb"), "state\n".repeat(100));
    SnapshotMetadata second = layout.add("ltc-2", "full", dir.resolve("src2"), 64 << 10, 8);
    layout.list(second, "verified", server::url);
    layout.writeIndex();
    Cli.Result other =
        Cli.run(
                "restore",
                "--allow-unsigned",
                "--index",
                indexUrl(),
                "--id",
                "ltc-2",
                "--dest",
                dest.toString())
            .expect(ExitCodes.DESTINATION);
    assertTrue(other.err().contains("holds a finished restore of snapshot ltc-1"), other.err());
    assertTrue(other.err().contains("--force"), other.err());
    Cli.run(
            "restore",
            "--allow-unsigned",
            "--index",
            indexUrl(),
            "--id",
            "ltc-2",
            "--dest",
            dest.toString(),
            "--force")
        .expect(0);
    assertTrue(Files.isRegularFile(dest.resolve("chainstate/000001.ldb")));
    assertFalse(Files.exists(dest.resolve("blocks")), "the old snapshot's files are gone");
  }

  @Test
  void internalErrorsAreOneLine() {
    ExitCodes.Failure npe = ExitCodes.of(new NullPointerException("x is null"));
    assertEquals(ExitCodes.INTERNAL, npe.code());
    assertEquals("NullPointerException: x is null (run with --debug for details)", npe.message());
    ExitCodes.Failure oom = ExitCodes.of(new OutOfMemoryError("Java heap space"));
    assertEquals(ExitCodes.INTERNAL, oom.code());
    assertTrue(oom.message().startsWith("out of memory"), oom.message());
    assertEquals("a\\x0aforged", Console.printable("a\nforged"));
  }
}
