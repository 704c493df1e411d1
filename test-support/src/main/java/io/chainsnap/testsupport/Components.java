package io.chainsnap.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Where the component programs are on this machine, and small shared helpers. */
public final class Components {
  private Components() {}

  /** The project's root: system property {@code chainsnap.project.dir}, else found upwards. */
  public static Path projectDir() {
    String configured = System.getProperty("chainsnap.project.dir");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath();
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isDirectory(dir.resolve("test-support")) && Files.exists(dir.resolve("pom.xml"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "cannot find the chainsnap project directory from "
            + Path.of("").toAbsolutePath()
            + "; set -Dchainsnap.project.dir");
  }

  /** The directory with component programs and local state, {@code .stack} by default. */
  public static Path stackDir() {
    String configured = System.getProperty("chainsnap.stack.dir");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath();
    }
    return projectDir().resolve(".stack");
  }

  /** The s3proxy jar that the test-support build copies into {@code .stack/lib}. */
  public static Path s3proxyJar() {
    return require(
        stackDir().resolve("lib/s3proxy.jar"), "build test-support first (./mvnw install)");
  }

  /** Debian's litecoind, called directly (the /usr/bin wrapper writes to ~/.litecoin). */
  public static Path litecoind() {
    String configured = System.getProperty("chainsnap.litecoind");
    Path path = Path.of(configured != null ? configured : "/usr/lib/litecoin/litecoind");
    return require(path, "install it: scripts/setup.sh (apt-get install litecoind)");
  }

  /** The java launcher of this JVM, for child JVMs. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static Path require(Path path, String hint) {
    if (!Files.exists(path)) {
      throw new IllegalStateException(path + " is missing: " + hint);
    }
    return path;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Deletes a directory tree; null or missing is fine; failures are ignored (temp dirs). */
  public static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temporary directory left behind is not worth failing a test run for
    }
  }
}
