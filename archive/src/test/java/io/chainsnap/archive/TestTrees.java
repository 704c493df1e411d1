package io.chainsnap.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.domain.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Generates realistic source trees and compares trees. */
public final class TestTrees {

  public static final long BASE_MTIME = 1_700_000_000L;

  private TestTrees() {}

  /** Whether the JVM maps file names as UTF-8 (needed for the non-ASCII name). */
  public static boolean utf8FileNames() {
    String jnu = System.getProperty("sun.jnu.encoding", "");
    return Charset.isSupported(jnu) && Charset.forName(jnu).equals(StandardCharsets.UTF_8);
  }

  /**
   * A data-dir-like tree: ~300 small files in nested directories (random and text), a 6 MB
   * half-random block file, a 12 MB text log, an empty file, an empty directory, an executable, a
   * path longer than 100 bytes, a non-ASCII name; fixed mtimes; about 21 MB in all.
   */
  public static void generate(Path root) throws IOException {
    Random random = new Random(42);
    Files.createDirectories(root);
    String[] dirs = {
      "blocks", "blocks/index", "chainstate", "chainstate/sub/deeper", "db/000", "db/001", "logs"
    };
    for (String d : dirs) {
      Files.createDirectories(root.resolve(d));
    }
    for (int i = 0; i < 300; i++) {
      String dir = dirs[i % dirs.length];
      Path f = root.resolve(dir).resolve(String.format("%06d.%s", i, i % 3 == 0 ? "log" : "ldb"));
      int size = random.nextInt(i % 10 == 0 ? 65536 : 8192);
      write(f, i % 2 == 0 ? randomBytes(random, size) : text(random, size));
    }
    write(root.resolve("blocks/blk00000.dat"), halfRandom(random, 6 << 20));
    write(root.resolve("logs/debug.log"), text(random, 12 << 20));
    write(root.resolve("empty.file"), new byte[0]);
    Files.createDirectories(root.resolve("empty-dir"));
    Path exe = root.resolve("bin-tool");
    write(exe, "#!/bin/sh\necho hi\n".getBytes(StandardCharsets.US_ASCII));
    Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path longDir =
        root.resolve("a-rather-long-directory-name-to-push-the-path/beyond-one-hundred-bytes");
    Files.createDirectories(longDir);
    write(
        longDir.resolve("so-that-a-pax-path-record-is-needed-for-this-file.sst"),
        text(random, 1000));
    write(root.resolve("name with spaces.txt"), text(random, 100));
    if (utf8FileNames()) {
      write(root.resolve("blocks/état-été.dat"), randomBytes(random, 3000));
    }
    setMtimes(root);
  }

  /** Sets deterministic mtimes on everything below root (files first, then directories). */
  public static void setMtimes(Path root) throws IOException {
    List<Path> all;
    try (Stream<Path> s = Files.walk(root)) {
      all = new ArrayList<>(s.filter(p -> !p.equals(root)).sorted().toList());
    }
    for (int i = all.size() - 1; i >= 0; i--) {
      Path p = all.get(i);
      if (!Files.isSymbolicLink(p)) {
        Files.setLastModifiedTime(p, FileTime.from(BASE_MTIME + i * 61L, TimeUnit.SECONDS));
      }
    }
  }

  public static void write(Path f, byte[] data) throws IOException {
    try (OutputStream out = Files.newOutputStream(f)) {
      out.write(data);
    }
  }

  public static byte[] randomBytes(Random random, int size) {
    byte[] b = new byte[size];
    random.nextBytes(b);
    return b;
  }

  public static byte[] text(Random random, int size) {
    String[] words = {
      "block",
      "height",
      "hash",
      "peer",
      "connected",
      "validation",
      "UpdateTip:",
      "best=",
      "0000000000000000000a1b2c",
      "tx=",
      "date=",
      "progress=",
      "cache=",
      "MiB",
      "\n"
    };
    StringBuilder sb = new StringBuilder(size + 32);
    while (sb.length() < size) {
      sb.append(words[random.nextInt(words.length)]).append(' ');
      if (random.nextInt(8) == 0) {
        sb.append(random.nextInt(1_000_000));
      }
    }
    return sb.substring(0, size).getBytes(StandardCharsets.US_ASCII);
  }

  public static byte[] halfRandom(Random random, int size) {
    byte[] b = new byte[size];
    for (int off = 0; off < size; off += 4096) {
      int n = Math.min(4096, size - off);
      if ((off / 4096) % 2 == 0) {
        byte[] r = randomBytes(random, n);
        System.arraycopy(r, 0, b, off, n);
      } else {
        byte[] t = text(random, n);
        System.arraycopy(t, 0, b, off, n);
      }
    }
    return b;
  }

  /** Relative path ('/'-separated, dirs with trailing '/') to a description of the node. */
  /** The record of a finished restore, left beside the restored tree by the CLI. */
  public static final String RESTORED_RECORD = ".chainsnap-restored.json";

  public static TreeMap<String, String> describe(Path root, boolean exactModes) throws IOException {
    TreeMap<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (p.equals(root)) {
          continue;
        }
        String rel = root.relativize(p).toString().replace('\\', '/');
        if (rel.equals(RESTORED_RECORD)) {
          continue; // the record a finished restore leaves: not part of the tree restored
        }
        long mtime = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis() / 1000;
        Set<PosixFilePermission> perms =
            Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        String mode =
            exactModes
                ? PosixFilePermissions.toString(perms)
                : (perms.contains(PosixFilePermission.OWNER_EXECUTE) ? "x" : "-");
        if (Files.isSymbolicLink(p)) {
          out.put(rel, "symlink");
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          out.put(rel + "/", "dir mtime=" + mtime + (exactModes ? " " + mode : ""));
        } else {
          out.put(
              rel,
              "file size=" + Files.size(p) + " sha=" + sha256(p) + " mtime=" + mtime + " " + mode);
        }
      }
    }
    return out;
  }

  /** Asserts two trees hold the same paths, types, bytes, mtimes (seconds) and exec bits. */
  public static void assertSameTree(Path expected, Path actual) throws IOException {
    TreeMap<String, String> e = describe(expected, false);
    TreeMap<String, String> a = describe(actual, false);
    assertEquals(e.keySet(), a.keySet(), "paths differ");
    for (String k : e.keySet()) {
      assertEquals(e.get(k), a.get(k), "node " + k + " differs");
    }
  }

  /** Asserts modes are exactly those of format v1. */
  public static void assertFormatModes(Path root) throws IOException {
    for (var entry : describe(root, true).entrySet()) {
      String d = entry.getValue();
      assertTrue(
          d.endsWith("rw-r--r--") || d.endsWith("rwxr-xr-x"), entry.getKey() + " has mode " + d);
      if (entry.getKey().endsWith("/")) {
        assertTrue(d.endsWith("rwxr-xr-x"), entry.getKey() + " is a directory with mode " + d);
      }
    }
  }

  public static String sha256(Path p) throws IOException {
    return sha256(Files.readAllBytes(p));
  }

  public static String sha256(byte[] b) {
    return Sha256.hex(b);
  }

  public static MessageDigest digest() {
    return Sha256.newDigest();
  }

  public static void assertBytesEqual(byte[] expected, byte[] actual) {
    assertEquals(expected.length, actual.length, "length");
    assertArrayEquals(expected, actual);
  }
}
