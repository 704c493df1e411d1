package io.chainsnap.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plain {@code zstd} and GNU {@code tar} read our archives, and we read GNU tar's pax output. */
class ArchiveInteropTest {

  @TempDir static Path dir;
  static Path source;
  static Path archive;
  static ArchiveManifest manifest;

  @BeforeAll
  static void setUp() throws IOException {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/zstd")), "zstd CLI not installed");
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/tar")) || Files.isExecutable(Path.of("/bin/tar")),
        "tar not installed");
    source = dir.resolve("source");
    TestTrees.generate(source);
    archive = dir.resolve("snapshot.tar.zst");
    manifest = ArchiveWriter.builder().chunkSize(1 << 20).workers(2).build().write(source, archive);
  }

  @Test
  void zstdDecompressPipedIntoTarRestoresTheTree() throws Exception {
    Path target = Files.createDirectories(dir.resolve("cli-restored"));
    run("zstd -q -d -c '" + archive + "' | tar -x -C '" + target + "'");
    TestTrees.assertSameTree(source, target);
  }

  @Test
  void zstdIntegrityTestPassesOnTheMultiFrameFile() throws Exception {
    run("zstd -q -t '" + archive + "'");
  }

  @Test
  void tarZstdListsEveryEntryInOrder() throws Exception {
    String listing = run("tar --zstd -tf '" + archive + "'");
    List<String> names = Arrays.asList(listing.split("\n"));
    List<String> expected = new ArrayList<>();
    try (Stream<Path> s = Files.walk(source)) {
      s.filter(p -> !p.equals(source))
          .forEach(
              p -> {
                String rel = source.relativize(p).toString();
                expected.add(Files.isDirectory(p) ? rel + "/" : rel);
              });
    }
    expected.sort(
        (a, b) ->
            Arrays.compareUnsigned(
                strip(a).getBytes(StandardCharsets.UTF_8),
                strip(b).getBytes(StandardCharsets.UTF_8)));
    assertEquals(expected, names);
  }

  @Test
  void tarZstdExtractsTheArchiveFile() throws Exception {
    Path target = Files.createDirectories(dir.resolve("tar-zstd-restored"));
    run("tar --zstd -xf '" + archive + "' -C '" + target + "'");
    TestTrees.assertSameTree(source, target);
  }

  @Test
  void readerExtractsAPaxTarWrittenByGnuTar() throws Exception {
    Path tarFile = dir.resolve("gnu.tar");
    run("tar --format=posix -C '" + source + "' -cf '" + tarFile + "' .");
    byte[] tar = Files.readAllBytes(tarFile);
    long files = 0;
    long content = 0;
    try (Stream<Path> s = Files.walk(source)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isRegularFile(p)) {
          files++;
          content += Files.size(p);
        }
      }
    }
    TestArchives.Built built = TestArchives.frame(tar, 1 << 20, content, files);
    Path target = dir.resolve("gnu-restored");
    ArchiveReader.create()
        .extract(new ByteArrayInputStream(built.bytes()), built.manifest(), target);
    TestTrees.assertSameTree(source, target);
  }

  private static String strip(String name) {
    return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
  }

  static String run(String command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("bash", "-o", "pipefail", "-c", command)
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    assertEquals(0, rc, command + " failed: " + output);
    assertTrue(rc == 0);
    return output;
  }
}
