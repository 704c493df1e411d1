package io.chainsnap.archive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Directory trees: delete one (scratch dirs, staging, checkpoints). Links are not followed. */
public final class FileTrees {
  private FileTrees() {}

  /** Deletes {@code dir} and everything below it; a missing dir is fine. Fails on an I/O error. */
  public static void delete(Path dir) {
    if (dir == null || !Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  /** Like {@link #delete}, but returns false instead of failing. */
  public static boolean deleteQuietly(Path dir) {
    try {
      delete(dir);
      return true;
    } catch (UncheckedIOException e) {
      return false;
    }
  }
}
