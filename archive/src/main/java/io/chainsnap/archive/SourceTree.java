package io.chainsnap.archive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
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
    Walk walk = new Walk(root, filter);
    walk.directory(root, "");
    List<Entry> entries = walk.entries;
    List<String> refused = walk.refused;
    int refusedCount = walk.refusedCount;
    if (refusedCount > 0) {
      String more =
          refusedCount > refused.size() ? " and " + (refusedCount - refused.size()) + " more" : "";
      throw new ArchiveException(
          ArchiveException.Kind.SOURCE,
          "source "
              + root
              + " contains "
              + refusedCount
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

  /**
   * A depth-first listing with one {@code lstat} per entry: names are joined as they are found (no
   * {@code relativize}), and the POSIX attributes read for the type also give the mode. About half
   * the time of {@link Files#walkFileTree}, which stats each entry and then needed a second stat
   * for the permissions; the listing runs before the first chunk can be compressed.
   */
  private static final class Walk {
    final Path root;
    final Predicate<String> filter;
    final List<Entry> entries = new ArrayList<>();
    final List<String> refused = new ArrayList<>();
    int refusedCount;

    Walk(Path root, Predicate<String> filter) {
      this.root = root;
      this.filter = filter;
    }

    void directory(Path dir, String relDir) {
      try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
        for (Path child : children) {
          String name = child.getFileName().toString();
          String rel = relDir.isEmpty() ? name : relDir + "/" + name;
          if (!filter.test(rel)) {
            continue;
          }
          BasicFileAttributes attrs = attributes(child, rel);
          if (attrs.isDirectory()) {
            if (checkName(rel)) {
              entries.add(
                  new Entry(
                      rel,
                      (rel + "/").getBytes(StandardCharsets.UTF_8),
                      child,
                      true,
                      0,
                      ArchiveFormat.MODE_EXECUTABLE,
                      attrs.lastModifiedTime()));
              directory(child, rel);
            }
          } else if (attrs.isSymbolicLink()) {
            refuse(rel + " (symbolic link)");
          } else if (attrs.isRegularFile()) {
            if (checkName(rel)) {
              entries.add(
                  new Entry(
                      rel,
                      rel.getBytes(StandardCharsets.UTF_8),
                      child,
                      false,
                      attrs.size(),
                      mode(child, attrs),
                      attrs.lastModifiedTime()));
            }
          } else {
            refuse(rel + " (device, FIFO or socket)");
          }
        }
      } catch (IOException | DirectoryIteratorException e) {
        String what = relDir.isEmpty() ? "." : relDir;
        throw new ArchiveException(
            ArchiveException.Kind.SOURCE,
            "cannot list " + what + " in " + root + ": " + e,
            what,
            -1,
            e instanceof DirectoryIteratorException d ? d.getCause() : e);
      }
    }

    private BasicFileAttributes attributes(Path file, String rel) {
      try {
        return Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (UnsupportedOperationException e) {
        try {
          return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException io) {
          throw cannotRead(rel, io);
        }
      } catch (IOException e) {
        throw cannotRead(rel, e);
      }
    }

    private ArchiveException cannotRead(String rel, IOException e) {
      return new ArchiveException(
          ArchiveException.Kind.SOURCE,
          "cannot read " + rel + " in " + root + ": " + e,
          rel,
          -1,
          e);
    }

    private boolean checkName(String rel) {
      if (rel.indexOf('\uFFFD') >= 0) {
        refuse(rel + " (name is not valid UTF-8)");
        return false;
      }
      return true;
    }

    private void refuse(String what) {
      if (refusedCount++ < MAX_NAMED) {
        refused.add(what);
      }
    }

    private static int mode(Path file, BasicFileAttributes attrs) {
      boolean exec =
          attrs instanceof PosixFileAttributes posix
              ? posix.permissions().contains(PosixFilePermission.OWNER_EXECUTE)
              : Files.isExecutable(file);
      return exec ? ArchiveFormat.MODE_EXECUTABLE : ArchiveFormat.MODE_FILE;
    }
  }
}
