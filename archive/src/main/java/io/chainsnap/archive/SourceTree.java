package io.chainsnap.archive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitor;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Predicate;

/**
 * The sorted listing of a source directory: what the writer will archive, with the exact tar size
 * computed up front (used for progress and as a consistency check).
 */
final class SourceTree {

  /** At most this many refused paths are named in the error message. */
  private static final int MAX_NAMED = 20;

  /**
   * One directory or regular file to archive.
   *
   * @param path relative path, '/'-separated, no trailing slash
   * @param name tar entry name as UTF-8 (directories end with '/')
   * @param file absolute path on disk
   * @param directory whether it is a directory
   * @param size file size (0 for directories)
   * @param mode tar permission bits
   * @param mtime modification time as listed
   */
  record Entry(
      String path, byte[] name, Path file, boolean directory, long size, int mode, FileTime mtime) {

    long mtimeSeconds() {
      return Math.floorDiv(mtime.toMillis(), 1000L);
    }

    byte[] header() {
      return TarEncoder.header(name, directory ? '5' : '0', size, mode, mtimeSeconds());
    }
  }

  private final Path root;
  private final List<Entry> entries;
  private final long tarSize;
  private final long contentSize;
  private final long fileCount;

  private SourceTree(Path root, List<Entry> entries) {
    this.root = root;
    this.entries = entries;
    long tar = 1024; // end-of-archive: two zero blocks
    long content = 0;
    long files = 0;
    for (Entry e : entries) {
      tar += e.header().length + TarEncoder.padded(e.size());
      if (!e.directory()) {
        content += e.size();
        files++;
      }
    }
    this.tarSize = tar;
    this.contentSize = content;
    this.fileCount = files;
  }

  Path root() {
    return root;
  }

  List<Entry> entries() {
    return entries;
  }

  long tarSize() {
    return tarSize;
  }

  long contentSize() {
    return contentSize;
  }

  long fileCount() {
    return fileCount;
  }

  /**
   * Lists a directory without following symbolic links.
   *
   * @param sourceDir the directory to archive (itself may be reached through a symlink)
   * @param filter keeps the relative paths for which it returns true; a rejected directory is
   *     skipped with everything below it
   * @return the entries sorted by the unsigned bytes of their UTF-8 relative path
   * @throws ArchiveException ({@code SOURCE}) naming any symlink, device, FIFO or socket the filter
   *     keeps, or a name that is not valid UTF-8
   */
  static SourceTree scan(Path sourceDir, Predicate<String> filter) {
    Path root;
    try {
      root = sourceDir.toRealPath();
    } catch (IOException e) {
      throw new ArchiveException(
          ArchiveException.Kind.SOURCE, "cannot open source directory " + sourceDir + ": " + e, e);
    }
    if (!Files.isDirectory(root)) {
      throw new ArchiveException(
          ArchiveException.Kind.SOURCE, "source " + sourceDir + " is not a directory");
    }
    List<Entry> entries = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    int[] refusedCount = {0};
    FileVisitor<Path> visitor =
        new FileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (dir.equals(root)) {
              return FileVisitResult.CONTINUE;
            }
            String rel = relative(root, dir);
            if (!filter.test(rel)) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            if (!checkName(rel)) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            entries.add(
                new Entry(
                    rel,
                    (rel + "/").getBytes(StandardCharsets.UTF_8),
                    dir,
                    true,
                    0,
                    ArchiveFormat.MODE_EXECUTABLE,
                    attrs.lastModifiedTime()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            String rel = relative(root, file);
            if (!filter.test(rel)) {
              return FileVisitResult.CONTINUE;
            }
            if (attrs.isSymbolicLink()) {
              refuse(rel + " (symbolic link)");
            } else if (attrs.isRegularFile()) {
              if (checkName(rel)) {
                entries.add(
                    new Entry(
                        rel,
                        rel.getBytes(StandardCharsets.UTF_8),
                        file,
                        false,
                        attrs.size(),
                        mode(file, attrs),
                        attrs.lastModifiedTime()));
              }
            } else {
              refuse(rel + " (device, FIFO or socket)");
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException exc) {
            throw new ArchiveException(
                ArchiveException.Kind.SOURCE,
                "cannot read " + relative(root, file) + " in " + root + ": " + exc,
                relative(root, file),
                -1,
                exc);
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException exc) {
            if (exc != null) {
              throw new ArchiveException(
                  ArchiveException.Kind.SOURCE,
                  "cannot list " + relative(root, dir) + " in " + root + ": " + exc,
                  relative(root, dir),
                  -1,
                  exc);
            }
            return FileVisitResult.CONTINUE;
          }

          private boolean checkName(String rel) {
            if (rel.indexOf('\uFFFD') >= 0) {
              refuse(rel + " (name is not valid UTF-8)");
              return false;
            }
            return true;
          }

          private void refuse(String what) {
            if (refusedCount[0]++ < MAX_NAMED) {
              refused.add(what);
            }
          }
        };
    try {
      Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE, visitor);
    } catch (IOException e) {
      throw new ArchiveException(
          ArchiveException.Kind.SOURCE, "cannot list source directory " + root + ": " + e, e);
    }
    if (refusedCount[0] > 0) {
      String more =
          refusedCount[0] > refused.size()
              ? " and " + (refusedCount[0] - refused.size()) + " more"
              : "";
      throw new ArchiveException(
          ArchiveException.Kind.SOURCE,
          "source "
              + root
              + " contains "
              + refusedCount[0]
              + " entries that format v1 cannot hold (only regular files and directories;"
              + " exclude them with the path filter): "
              + String.join(", ", refused)
              + more,
          refused.get(0),
          -1,
          null);
    }
    entries.sort((a, b) -> compareUtf8(a.name(), a.directory(), b.name(), b.directory()));
    return new SourceTree(root, List.copyOf(entries));
  }

  /** Compares two entry names by their unsigned bytes, ignoring a directory's trailing '/'. */
  static int compareUtf8(byte[] a, boolean aDir, byte[] b, boolean bDir) {
    int aLen = aDir ? a.length - 1 : a.length;
    int bLen = bDir ? b.length - 1 : b.length;
    return Arrays.compareUnsigned(a, 0, aLen, b, 0, bLen);
  }

  private static String relative(Path root, Path p) {
    Path rel = root.relativize(p);
    StringBuilder sb = new StringBuilder();
    for (Path part : rel) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(part.toString());
    }
    return sb.toString();
  }

  private static int mode(Path file, BasicFileAttributes attrs) {
    boolean exec;
    if (attrs instanceof PosixFileAttributes posix) {
      exec = posix.permissions().contains(PosixFilePermission.OWNER_EXECUTE);
    } else {
      try {
        exec =
            Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .permissions()
                .contains(PosixFilePermission.OWNER_EXECUTE);
      } catch (UnsupportedOperationException e) {
        exec = Files.isExecutable(file);
      } catch (IOException e) {
        throw new ArchiveException(
            ArchiveException.Kind.SOURCE, "cannot read permissions of " + file + ": " + e, e);
      }
    }
    return exec ? ArchiveFormat.MODE_EXECUTABLE : ArchiveFormat.MODE_FILE;
  }
}
