package io.chainsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs {@code chainsnap} in this JVM, or as a child JVM from the built jar. */
final class Cli {

  /** What a run printed and returned. */
  record Result(int code, String out, String err) {
    Result expect(int expected) {
      assertEquals(expected, code, "exit code; stdout:\n" + out + "\nstderr:\n" + err);
      return this;
    }

    JsonNode json() throws IOException {
      return Console.json().readTree(out);
    }
  }

  private Cli() {}

  /** Runs in this JVM. */
  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = ChainsnapCommand.run(args, o, e, false);
    }
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The packaged jar (failsafe runs after {@code package}). */
  static Path jar() {
    String configured = System.getProperty("chainsnap.cli.jar");
    Path jar = configured != null ? Path.of(configured) : Path.of("target/chainsnap.jar");
    if (!jar.toFile().isFile()) {
      throw new IllegalStateException(jar + " is missing: run 'mvn -pl cli package' first");
    }
    return jar.toAbsolutePath();
  }

  /** A child JVM running the jar, output to files. */
  static Process start(Path outFile, Path errFile, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(Arrays.asList(args));
    return new ProcessBuilder(command)
        .redirectOutput(outFile.toFile())
        .redirectError(errFile.toFile())
        .start();
  }
}
