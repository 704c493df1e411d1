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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;

/**
 * The sorted listing of a source directory, produced while the writer consumes it: a listing thread
 * walks the tree and hands over entries in archive order, so the first chunks are compressed while
 * the rest of the tree is still being listed (a listing that ends before the first chunk starts
 * leaves the other cores idle). The exact tar size, file count and content size are known once the
 * walk is complete.
 *
 * <p>Archive order is the global order of relative paths by unsigned UTF-8 bytes, a directory
 * compared without its trailing '/'. The walk produces it depth first: in each directory the
 * children are sorted by name, and the contents of a child directory {@code d} are placed as if
 * they were one child named {@code "d/"}, so that a sibling such as {@code "d-1"} ('-' is 0x2d, '/'
 * is 0x2f) comes between the directory entry and its contents, as in the global order.
 *
 * <p>Entries the format cannot hold (symbolic links, devices, FIFOs, sockets, names that are not
 * valid UTF-8) are collected over the whole walk and reported together, when the walk ends: the
 * reader of the listing fails then, before the archive is complete.
 */
final class SourceTree implements AutoCloseable {

  /** At most this many refused paths are named in the error message. */
  private static final int MAX_NAMED = 20;

  /** Marks the end of the listing in the hand-over queue. */
  private static final Object END = new Object();

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
  private final LinkedBlockingQueue<Object> handOver = new LinkedBlockingQueue<>();
  private final Thread lister;
  private volatile boolean cancelled;
  private volatile ArchiveException failure;
  private long tarSize = 1024; // end-of-archive: two zero blocks
  private long contentSize;
  private long fileCount;
  private volatile long knownTarSize = -1;
  private boolean ended;

  private SourceTree(Path root, Predicate<String> filter) {
    this.root = root;
    this.lister = new Thread(() -> list(filter), "chainsnap-list");
    this.lister.setDaemon(true);
    this.lister.start();
  }

  Path root() {
    return root;
  }

  /** The exact tar size, or -1 while the walk is still going on. Any thread. */
  long tarSizeIfKnown() {
    return knownTarSize;
  }

  /** The exact tar size (after {@link #next()} returned null). */
  long tarSize() {
    requireEnded();
    return tarSize;
  }

  /** Bytes of file content (after {@link #next()} returned null). */
  long contentSize() {
    requireEnded();
    return contentSize;
  }

  /** Regular files (after {@link #next()} returned null). */
  long fileCount() {
    requireEnded();
    return fileCount;
  }

  /**
   * Starts listing a directory without following symbolic links; the entries come from {@link
   * #next()}.
   *
   * @param sourceDir the directory to archive (itself may be reached through a symlink)
   * @param filter keeps the relative paths for which it returns true; a rejected directory is
   *     skipped with everything below it
   * @throws ArchiveException ({@code SOURCE}) if the directory cannot be opened
   */
  static SourceTree start(Path sourceDir, Predicate<String> filter) {
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
    return new SourceTree(root, filter);
  }

  /**
   * Lists a whole directory before returning (tests; the writer streams with {@link #start}).
   *
   * @return the entries sorted by the unsigned bytes of their UTF-8 relative path
   * @throws ArchiveException ({@code SOURCE}) naming any symlink, device, FIFO or socket the filter
   *     keeps, or a name that is not valid UTF-8
   */
  static List<Entry> scan(Path sourceDir, Predicate<String> filter) {
    try (SourceTree tree = start(sourceDir, filter)) {
      List<Entry> entries = new ArrayList<>();
      for (Entry e = tree.next(); e != null; e = tree.next()) {
        entries.add(e);
      }
      return entries;
    }
  }

  /**
   * The next entry in archive order, waiting for the walk if needed; null after the last one.
   * Called from one thread.
   *
   * @throws ArchiveException ({@code SOURCE}) as soon as the walk has found that the tree cannot be
   *     archived (the refused entries, or a directory that cannot be listed)
   */
  Entry next() {
    if (ended) {
      return null;
    }
    Object o;
    try {
      ArchiveException f = failure;
      if (f != null) {
        throw f;
      }
      o = handOver.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ArchiveException(ArchiveException.Kind.IO, "interrupted while listing " + root, e);
    }
    if (o == END) {
      ArchiveException f = failure;
      if (f != null) {
        throw f;
      }
      ended = true;
      return null;
    }
    return (Entry) o;
  }

  /** Stops the walk if it is still going on (after a failure elsewhere). */
  @Override
  public void close() {
    cancelled = true;
  }

  private void requireEnded() {
    if (!ended) {
      throw new IllegalStateException("the listing of " + root + " is not complete");
    }
  }

  /** Listing thread: walks, counts, and always ends the hand-over with {@link #END}. */
  private void list(Predicate<String> filter) {
    Walk walk = new Walk(root, filter);
    try {
      walk.directory(root, "");
      if (walk.refusedCount > 0) {
        String more =
            walk.refusedCount > walk.refused.size()
                ? " and " + (walk.refusedCount - walk.refused.size()) + " more"
                : "";
        failure =
            new ArchiveException(
                ArchiveException.Kind.SOURCE,
                "source "
                    + root
                    + " contains "
                    + walk.refusedCount
                    + " entries that format v1 cannot hold (only regular files and directories;"
                    + " exclude them with the path filter): "
                    + String.join(", ", walk.refused)
                    + more,
                walk.refused.get(0),
                -1,
                null);
      } else {
        knownTarSize = tarSize;
      }
    } catch (ArchiveException e) {
      failure = e;
    } catch (RuntimeException | Error e) {
      failure =
          new ArchiveException(
              ArchiveException.Kind.SOURCE, "listing " + root + " failed: " + e, e);
    } finally {
      handOver.add(END);
    }
  }

  /** Hands one entry over and counts it (listing thread). */
  private void emit(Entry e) {
    tarSize += e.header().length + TarEncoder.padded(e.size());
    if (!e.directory()) {
      contentSize += e.size();
      fileCount++;
    }
    handOver.add(e);
  }

  /** Compares two entry names by their unsigned bytes, ignoring a directory's trailing '/'. */
  static int compareUtf8(byte[] a, boolean aDir, byte[] b, boolean bDir) {
    int aLen = aDir ? a.length - 1 : a.length;
    int bLen = bDir ? b.length - 1 : b.length;
    return Arrays.compareUnsigned(a, 0, aLen, b, 0, bLen);
  }

  /**
   * One child of a directory in the walk: an entry to emit, or the contents of a child directory to
   * walk, with the key it is sorted by among its siblings.
   */
  private record Child(byte[] key, Entry entry, Path dir, String rel) {}

  /**
   * A depth-first walk in archive order with one {@code lstat} per entry: names are joined as they
   * are found (no {@code relativize}), and the POSIX attributes read for the type also give the
   * mode.
   */
  private final class Walk {
    final Path root;
    final Predicate<String> filter;
    final List<String> refused = new ArrayList<>();
    int refusedCount;

    Walk(Path root, Predicate<String> filter) {
      this.root = root;
      this.filter = filter;
    }

    void directory(Path dir, String relDir) {
      if (cancelled) {
        return;
      }
      List<Child> children = new ArrayList<>();
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
        for (Path child : stream) {
          String name = child.getFileName().toString();
          String rel = relDir.isEmpty() ? name : relDir + "/" + name;
          if (!filter.test(rel)) {
            continue;
          }
          BasicFileAttributes attrs = attributes(child, rel);
          byte[] key = name.getBytes(StandardCharsets.UTF_8);
          if (attrs.isDirectory()) {
            if (checkName(rel)) {
              children.add(entry(key, rel, child, true, 0, ArchiveFormat.MODE_EXECUTABLE, attrs));
              byte[] contents = Arrays.copyOf(key, key.length + 1);
              contents[key.length] = '/';
              children.add(new Child(contents, null, child, rel));
            }
          } else if (attrs.isSymbolicLink()) {
            refuse(rel + " (symbolic link)");
          } else if (attrs.isRegularFile()) {
            if (checkName(rel)) {
              children.add(entry(key, rel, child, false, attrs.size(), mode(child, attrs), attrs));
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
      children.sort((a, b) -> Arrays.compareUnsigned(a.key(), b.key()));
      for (Child c : children) {
        if (c.entry() != null) {
          emit(c.entry());
        } else {
          directory(c.dir(), c.rel());
        }
      }
    }

    /** A child to emit as an entry (a directory's tar name ends in '/'). */
    private static Child entry(
        byte[] key,
        String rel,
        Path file,
        boolean directory,
        long size,
        int mode,
        BasicFileAttributes attrs) {
      String name = directory ? rel + "/" : rel;
      return new Child(
          key,
          new Entry(
              rel,
              name.getBytes(StandardCharsets.UTF_8),
              file,
              directory,
              size,
              mode,
              attrs.lastModifiedTime()),
          null,
          null);
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
