package io.chainsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.archive.TestTrees;
import io.chainsnap.testsupport.StaticFileServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standard tools resume a download of the served object ({@code curl -C -}, {@code wget -c}); the
 * result verifies with {@code chainsnap verify} and extracts with {@code tar --zstd}.
 */
class CurlWgetResumeIT {

  @TempDir static Path shared;
  static Path source;
  static StaticFileServer server;
  static SnapshotMetadata snapshot;
  static Path manifest;
  static String url;

  @TempDir Path dir;

  @BeforeAll
  static void publish() throws IOException {
    source = shared.resolve("src");
    TestTrees.generate(source);
    Path www = Files.createDirectories(shared.resolve("www"));
    Published layout = new Published(www);
    snapshot = layout.add("tools-1", "full", source, 1 << 20, 10);
    manifest = layout.dir("tools-1", "full").resolve("snapshot.json");
    server = new StaticFileServer(www);
    url = server.url("litecoin/regtest/full/tools-1/snapshot.tar.zst");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static int exec(Path cwd, String... command) throws Exception {
    Process p =
        new ProcessBuilder(command)
            .directory(cwd.toFile())
            .redirectErrorStream(true)
            .redirectOutput(cwd.resolve("tool.log").toFile())
            .start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), Arrays.toString(command));
    return p.exitValue();
  }

  static boolean available(String tool) {
    return List.of("/usr/bin", "/bin", "/usr/local/bin").stream()
        .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
  }

  /** A partial download: the first {@code fraction} of the object. */
  Path partial(String name, double fraction) throws IOException {
    byte[] all =
        Files.readAllBytes(shared.resolve("www/litecoin/regtest/full/tools-1/snapshot.tar.zst"));
    Path f = dir.resolve(name);
    Files.write(f, Arrays.copyOf(all, (int) (all.length * fraction)));
    return f;
  }

  void assertComplete(Path file) throws Exception {
    assertEquals(snapshot.archive().sha256(), TestTrees.sha256(file));
    Cli.run("verify", file.toString(), "--manifest", manifest.toString()).expect(0);
    if (available("tar") && available("zstd")) {
      Path out = Files.createDirectories(dir.resolve(file.getFileName() + ".x"));
      assertEquals(0, exec(dir, "tar", "--zstd", "-xf", file.toString(), "-C", out.toString()));
      TestTrees.assertSameTree(source, out);
    }
  }

  @Test
  void curlContinuesAPartialDownload() throws Exception {
    assumeTrue(available("curl"), "curl is not installed (scripts/setup.sh)");
    Path f = partial("curl.tar.zst", 0.37);
    long have = Files.size(f);
    server.clearRequests();
    assertEquals(0, exec(dir, "curl", "-sS", "-f", "-C", "-", "-o", f.toString(), url));
    assertEquals(
        List.of(have),
        server.requests().stream().map(StaticFileServer.Request::from).toList(),
        "curl asked for the rest only");
    assertComplete(f);
  }

  @Test
  void wgetContinuesAPartialDownload() throws Exception {
    assumeTrue(available("wget"), "wget is not installed (scripts/setup.sh)");
    Path f = partial("wget.tar.zst", 0.61);
    long have = Files.size(f);
    server.clearRequests();
    assertEquals(0, exec(dir, "wget", "-q", "-c", "-O", f.toString(), url));
    assertTrue(
        server.requests().stream()
            .filter(r -> r.method().equals("GET"))
            .allMatch(r -> r.status() == 206 && r.from() == have),
        "wget asked for the rest only: " + server.requests());
    assertComplete(f);
  }

  @Test
  void chainsnapVerifyRejectsATruncatedDownload() throws Exception {
    Path f = partial("short.tar.zst", 0.5);
    Cli.Result r = Cli.run("verify", f.toString(), "--manifest", manifest.toString());
    r.expect(ExitCodes.CORRUPT);
    assertTrue(r.err().contains("chainsnap: corrupt: archive truncated"), r.err());
  }
}
