package io.chainsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operators' launcher, {@code bin/chainsnap}, with the class-data sharing archive that {@code
 * package} builds next to the jar (src/build/cds.sh).
 */
class LauncherIT {

  @TempDir Path tmp;

  /** The JVM accepts the archive: with -Xshare:on it refuses to start if it cannot map it. */
  @Test
  void theArchiveBuiltWithTheJarIsAcceptedByTheJvm() throws Exception {
    Path jsa = jsa();
    assertTrue(Files.isRegularFile(jsa), jsa + " was not built (see cds.sh's output in the build)");
    Run r = launch(Map.of("CHAINSNAP_JAVA_OPTS", "-Xshare:on -Xlog:cds=info"), "--version");
    assertEquals(0, r.code, r.toString());
    assertTrue(r.out.contains("Opened archive " + jsa), r.toString());
    assertTrue(r.out.contains("chainsnap "), r.toString());
  }

  /**
   * Real commands through the launcher: create, then verify, with JSON on stdout and nothing else.
   */
  @Test
  void createAndVerifyThroughTheLauncher() throws Exception {
    Path source = Files.createDirectories(tmp.resolve("source/blocks"));
    Files.write(source.resolve("blk00000.dat"), halfRandom(3 << 20));
    Files.writeString(tmp.resolve("source/CURRENT"), "MANIFEST-000001\n");
    Path out = tmp.resolve("out");
    Run create =
        launch(
            Map.of(),
            "create",
            "--source",
            tmp.resolve("source").toString(),
            "--out",
            out.toString(),
            "--chunk-size",
            "1MiB",
            "--quiet",
            "--json");
    assertEquals(0, create.code, create.toString());
    JsonNode created = Console.json().readTree(create.out);
    assertEquals(4, created.path("chunks").asInt(), create.out);
    Run verify =
        launch(
            Map.of(),
            "verify",
            "--manifest",
            out.resolve("snapshot.json").toString(),
            out.resolve("snapshot.tar.zst").toString(),
            "--json");
    assertEquals(0, verify.code, verify.toString());
    JsonNode verified = Console.json().readTree(verify.out);
    assertTrue(verified.path("ok").asBoolean(), verify.out);
    assertEquals(4, verified.path("chunks").asInt(), verify.out);
  }

  private static byte[] halfRandom(int size) {
    byte[] b = new byte[size];
    new Random(7).nextBytes(b);
    byte[] text = "height 1234 hash 00ab value 5000000000\n".getBytes(StandardCharsets.US_ASCII);
    for (int i = size / 2; i < size; i++) {
      b[i] = text[i % text.length];
    }
    return b;
  }

  /**
   * An archive that does not match (here: the jar was copied elsewhere and rebuilt) is ignored
   * without a word: stdout carries only the command's result, which scripts parse.
   */
  @Test
  void aStaleArchiveIsIgnoredSilently() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("lib"));
    Path jar = Files.copy(Cli.jar(), dir.resolve("chainsnap.jar"));
    Files.copy(jsa(), dir.resolve("chainsnap.jsa"));
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
    Run r = launch(Map.of("CHAINSNAP_JAR", jar.toString()), "--version");
    assertEquals(0, r.code, r.toString());
    assertTrue(r.out.startsWith("chainsnap "), "stdout is the version alone: " + r);
    assertTrue(!r.out.contains("[") && !r.err.contains("cds"), r.toString());
  }

  private static Path jsa() {
    String jar = Cli.jar().toString();
    return Path.of(jar.substring(0, jar.length() - ".jar".length()) + ".jsa");
  }

  private Run launch(Map<String, String> env, String... args) throws Exception {
    Path launcher = Path.of("..", "bin", "chainsnap").toAbsolutePath().normalize();
    List<String> command = new ArrayList<>();
    command.add(launcher.toString());
    command.addAll(Arrays.asList(args));
    Path outFile = Files.createTempFile(tmp, "out", ".txt");
    Path errFile = Files.createTempFile(tmp, "err", ".txt");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectOutput(outFile.toFile())
            .redirectError(errFile.toFile());
    pb.environment()
        .put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    pb.environment().put("CHAINSNAP_JAR", Cli.jar().toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("bin/chainsnap " + String.join(" ", args) + " timed out");
    }
    return new Run(p.exitValue(), read(outFile), read(errFile));
  }

  private static String read(Path f) throws IOException {
    return Files.readString(f, StandardCharsets.UTF_8);
  }

  private record Run(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
  }
}
