package io.chainsnap.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * One file per process the local stack started ({@code pids/<name>.pid}), so that {@code
 * scripts/local-down.sh} can stop every one of them even when the supervisor itself is gone. A file
 * holds {@code <pid> <start time>}, the start time being field 22 of {@code /proc/<pid>/stat}
 * (clock ticks since boot), so that a pid the kernel gave to another process since is never killed.
 */
final class PidFiles {
  static final String DIR = "pids";

  private final Path dir;

  PidFiles(Path dir) {
    this.dir = dir;
  }

  /** Records that {@code name} runs as {@code pid}. */
  void record(String name, long pid) {
    try {
      Files.createDirectories(dir);
      Path partial = dir.resolve(name + ".pid.partial");
      Files.writeString(partial, pid + " " + startTime(pid) + "\n");
      Files.move(
          partial,
          dir.resolve(name + ".pid"),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the pid of " + name, e);
    }
  }

  /** Forgets {@code name} (it was stopped). */
  void forget(String name) {
    try {
      Files.deleteIfExists(dir.resolve(name + ".pid"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Forgets every process (the stack was stopped). */
  void forgetAll() {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Field 22 of {@code /proc/<pid>/stat}, or {@code 0} where there is no such file. */
  static String startTime(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // the command name (field 2) is in parentheses and may hold spaces: count after the last ')'
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
      return fields[19];
    } catch (IOException | RuntimeException e) {
      return "0";
    }
  }
}
