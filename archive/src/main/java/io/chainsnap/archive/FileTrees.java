package io.chainsnap.archive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Directory trees: delete one (scratch dirs, staging, checkpoints; links are not followed), and
 * write a small file durably.
 */
public final class FileTrees {
  private FileTrees() {}

  /**
   * Replaces {@code file} with {@code bytes} so that after a crash it holds either its old content
   * or the new one, never a part (for {@code snapshot.json}, which is announced by an event with
   * its SHA-256 right after it is written). See {@link #replace}.
   *
   * @throws IOException if any step fails (the temporary file is then removed)
   */
  public static void writeDurably(Path file, byte[] bytes) throws IOException {
    replace(file, file.resolveSibling(file.getFileName() + ".tmp"), bytes, true);
  }

  /**
   * Writes {@code bytes} to {@code temp} and renames it over {@code file} (atomically: readers see
   * the old content or the new one). With {@code durable}, the temporary file is forced to disk
   * before the rename and the directory after it, so that a crash cannot leave a part either.
   * Symbolic links are not followed.
   *
   * @throws IOException if any step fails (the temporary file is then removed)
   */
  public static void replace(Path file, Path temp, byte[] bytes, boolean durable)
      throws IOException {
    boolean ok = false;
    try {
      try (FileChannel channel =
          FileChannel.open(
              temp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS)) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
          channel.write(b);
        }
        if (durable) {
          channel.force(true);
        }
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      ok = true;
    } finally {
      if (!ok) {
        Files.deleteIfExists(temp);
      }
    }
    Path dir = file.toAbsolutePath().getParent();
    if (durable && dir != null) {
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true); // the rename itself
      } catch (IOException e) {
        // some file systems cannot open or sync a directory: the file itself is durable
      }
    }
  }

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
