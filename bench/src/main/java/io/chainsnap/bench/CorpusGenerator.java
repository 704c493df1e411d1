package io.chainsnap.bench;

import io.chainsnap.domain.ByteSize;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a deterministic directory tree shaped like a Bitcoin Core family node's data dir, for the
 * archive benchmarks. The same {@code --size} and {@code --seed} always give the same bytes, names
 * and mtimes (every file has its own generator seeded from the seed and its index, so files are
 * generated in parallel without changing the result).
 *
 * <p>Shares of the requested size:
 *
 * <ul>
 *   <li>55% append-only block files {@code blocks/blkNNNNN.dat} of 128 MiB (the last one partial):
 *       block-like records (headers, transactions with hashes, signatures, reused keys and scripts,
 *       small amounts), with one 64 KiB segment in ten purely random;
 *   <li>10% undo files {@code blocks/revNNNNN.dat} of 16 MiB: structured;
 *   <li>about 30% LevelDB-like 2 MiB tables {@code chainstate/NNNNNN.ldb}: half of them random
 *       bytes (obfuscated coin values look random), half sorted keys with structured values;
 *   <li>the rest: {@value #SMALL_PER_GIB} small files (0.5-16 KiB) per GiB under {@code
 *       indexes/txindex/} and {@code blocks/index/}, a quarter of them random, plus a few metadata
 *       files ({@code CURRENT}, {@code MANIFEST-*}, {@code LOG}).
 * </ul>
 *
 * <p>About 20% of the bytes are incompressible; zstd -3 compresses the whole to about half.
 *
 * <pre>
 * java -cp ... io.chainsnap.bench.CorpusGenerator --dir DIR --size BYTES [--seed N] [--threads N]
 * </pre>
 *
 * The tree is written into {@code DIR.tmp} and renamed to {@code DIR} when complete.
 */
public final class CorpusGenerator {

  static final int BLOCK_FILE = 128 << 20;
  static final int REV_FILE = 16 << 20;
  static final int TABLE = 2 << 20;
  static final int SMALL_PER_GIB = 4000;
  static final long MTIME_BASE = 1_700_000_000L;
  private static final int SEGMENT = 64 << 10;

  private CorpusGenerator() {}

  /** One file to generate. */
  record Spec(String path, long size, Kind kind, long seed) {}

  /** How a file's bytes are made. */
  enum Kind {
    BLOCKS,
    UNDO,
    TABLE_RANDOM,
    TABLE_SORTED,
    SMALL_RANDOM,
    SMALL_STRUCTURED,
    TEXT
  }

  public static void main(String[] args) throws Exception {
    Path dir = null;
    long size = 2L << 30;
    long seed = 42;
    int threads = Runtime.getRuntime().availableProcessors();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--dir" -> dir = Path.of(args[++i]);
        case "--size" -> size = ByteSize.of(args[++i]).bytes();
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (dir == null) {
      throw new IllegalArgumentException(
          "usage: CorpusGenerator --dir DIR --size BYTES [--seed N] [--threads N]");
    }
    long started = System.nanoTime();
    Stats stats = generate(dir, size, seed, threads);
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "corpus %s: %d files, %d bytes (%d random = %.1f%%) in %.1f s%n",
        dir,
        stats.files,
        stats.bytes,
        stats.randomBytes.get(),
        100.0 * stats.randomBytes.get() / Math.max(1, stats.bytes),
        seconds);
  }

  /** What was written. */
  static final class Stats {
    int files;
    long bytes;
    final AtomicLong randomBytes = new AtomicLong();
  }

  static Stats generate(Path dir, long size, long seed, int threads)
      throws IOException, InterruptedException {
    List<Spec> specs = plan(size, seed);
    Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp");
    deleteTree(tmp);
    Files.createDirectories(tmp);
    Stats stats = new Stats();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < specs.size(); i++) {
        Spec spec = specs.get(i);
        int index = i;
        futures.add(pool.submit(() -> write(tmp, spec, index, stats)));
        stats.files++;
        stats.bytes += spec.size();
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException("cannot generate the corpus: " + e.getCause(), e);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    // directories get fixed mtimes too (deepest first does not matter: setting a file's mtime
    // does not change its directory's)
    try (var walk = Files.walk(tmp)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isDirectory(p)) {
          Files.setLastModifiedTime(p, FileTime.fromMillis(MTIME_BASE * 1000));
        }
      }
    }
    deleteTree(dir);
    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    return stats;
  }

  /** The list of files, in a fixed order, for a corpus of about {@code size} bytes. */
  static List<Spec> plan(long size, long seed) {
    List<Spec> specs = new ArrayList<>();
    SplittableRandom sizes = new SplittableRandom(seed ^ 0x5eed5eedL);
    long blocks = size * 55 / 100;
    long undo = size * 10 / 100;
    long smallCount = Math.max(200, size * SMALL_PER_GIB / (1L << 30));
    // small files: 0.5 to 16 KiB, skewed towards small
    List<Long> smallSizes = new ArrayList<>();
    long smallBytes = 0;
    for (long i = 0; i < smallCount; i++) {
      double u = sizes.nextDouble();
      long s = 512 + (long) (u * u * (16 << 10));
      smallSizes.add(s);
      smallBytes += s;
    }
    long meta = 3 * 4096 + 65536;
    long tables = Math.max(TABLE, size - blocks - undo - smallBytes - meta);
    int n = 0;
    for (long left = blocks; left > 0; left -= BLOCK_FILE, n++) {
      specs.add(
          new Spec(
              String.format("blocks/blk%05d.dat", n),
              Math.min(left, BLOCK_FILE),
              Kind.BLOCKS,
              mix(seed, specs.size())));
    }
    n = 0;
    for (long left = undo; left > 0; left -= REV_FILE, n++) {
      specs.add(
          new Spec(
              String.format("blocks/rev%05d.dat", n),
              Math.min(left, REV_FILE),
              Kind.UNDO,
              mix(seed, specs.size())));
    }
    n = 0;
    for (long left = tables; left > 0; left -= TABLE, n++) {
      specs.add(
          new Spec(
              String.format("chainstate/%06d.ldb", 1000 + n),
              Math.min(left, TABLE),
              n % 2 == 0 ? Kind.TABLE_RANDOM : Kind.TABLE_SORTED,
              mix(seed, specs.size())));
    }
    for (int i = 0; i < smallSizes.size(); i++) {
      String path =
          i % 4 == 3
              ? String.format("blocks/index/%06d.ldb", i)
              : String.format("indexes/txindex/%03d/%06d.ldb", i / 1000, i);
      specs.add(
          new Spec(
              path,
              smallSizes.get(i),
              i % 4 == 1 ? Kind.SMALL_RANDOM : Kind.SMALL_STRUCTURED,
              mix(seed, specs.size())));
    }
    specs.add(new Spec("chainstate/CURRENT", 16, Kind.TEXT, mix(seed, specs.size())));
    specs.add(new Spec("chainstate/MANIFEST-000002", 4096, Kind.TEXT, mix(seed, specs.size())));
    specs.add(new Spec("blocks/index/CURRENT", 16, Kind.TEXT, mix(seed, specs.size())));
    specs.add(new Spec("blocks/index/MANIFEST-000004", 4096, Kind.TEXT, mix(seed, specs.size())));
    specs.add(new Spec("chainstate/LOG", 65536, Kind.TEXT, mix(seed, specs.size())));
    return specs;
  }

  static long mix(long seed, long index) {
    long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static void write(Path root, Spec spec, int index, Stats stats) {
    Path file = root.resolve(spec.path());
    try {
      Files.createDirectories(file.getParent());
      ContentWriter content = new ContentWriter(spec, stats);
      try (var channel =
          Files.newByteChannel(
              file,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        long left = spec.size();
        while (left > 0) {
          buffer.clear();
          int n = (int) Math.min(buffer.capacity(), left);
          content.fill(buffer.array(), n);
          buffer.limit(n);
          while (buffer.hasRemaining()) {
            channel.write(buffer);
          }
          left -= n;
        }
      }
      Files.setLastModifiedTime(file, FileTime.fromMillis((MTIME_BASE + index) * 1000));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Produces the bytes of one file, in pieces, from its own generator. */
  static final class ContentWriter {
    private final Spec spec;
    private final Stats stats;
    private final SplittableRandom random;
    private final Structured structured;
    private long position;

    ContentWriter(Spec spec, Stats stats) {
      this.spec = spec;
      this.stats = stats;
      this.random = new SplittableRandom(spec.seed());
      this.structured = new Structured(new SplittableRandom(spec.seed() ^ 0x51ab1eL), spec.kind());
    }

    void fill(byte[] out, int length) {
      switch (spec.kind()) {
        case TABLE_RANDOM, SMALL_RANDOM -> {
          randomBytes(out, 0, length);
          stats.randomBytes.addAndGet(length);
        }
        case TEXT -> text(out, length);
        case BLOCKS -> {
          // one 64 KiB segment in ten is random: compressed or encrypted payloads
          int done = 0;
          while (done < length) {
            long segment = (position + done) / SEGMENT;
            int inSegment = (int) Math.min(length - done, SEGMENT - (position + done) % SEGMENT);
            if (mix(spec.seed(), segment) % 10 == 3) {
              randomBytes(out, done, inSegment);
              stats.randomBytes.addAndGet(inSegment);
            } else {
              structured.fill(out, done, inSegment);
            }
            done += inSegment;
          }
        }
        default -> structured.fill(out, 0, length);
      }
      position += length;
    }

    private void randomBytes(byte[] out, int offset, int length) {
      int i = offset;
      int end = offset + length;
      while (i + 8 <= end) {
        long v = random.nextLong();
        for (int k = 0; k < 8; k++) {
          out[i++] = (byte) (v >>> (8 * k));
        }
      }
      while (i < end) {
        out[i++] = (byte) random.nextInt(256);
      }
    }

    private void text(byte[] out, int length) {
      String[] words = {
        "compacting",
        "level-0",
        "table",
        "#",
        "bytes",
        "OK",
        "Recovering",
        "log",
        "Delete",
        "type=",
        "Manual",
        "compaction",
        "at",
        "level-1",
        "from",
        "to",
        "\n"
      };
      int i = 0;
      while (i < length) {
        String w = words[random.nextInt(words.length)];
        for (int k = 0; k < w.length() && i < length; k++) {
          out[i++] = (byte) w.charAt(k);
        }
        if (i < length) {
          out[i++] = ' ';
        }
      }
    }
  }

  /**
   * Block-chain-like records: 80-byte headers that chain to the previous one, transactions with
   * outpoints (often spending a recent transaction), DER-framed signatures (random), public keys
   * and output scripts drawn from pools of reused addresses, small round amounts. The record stream
   * is continuous across {@link #fill} calls.
   */
  static final class Structured {
    private static final int POOL = 4096;
    private final SplittableRandom random;
    private final Kind kind;
    private final byte[][] keys = new byte[POOL][];
    private final byte[][] hashes = new byte[POOL][];
    private final byte[][] recent = new byte[256][];
    private int recentCount;
    private final byte[] pending = new byte[1 << 16];
    private int pendingStart;
    private int pendingEnd;
    private byte[] previousHeader = new byte[32];
    private long counter;

    Structured(SplittableRandom random, Kind kind) {
      this.random = random;
      this.kind = kind;
      for (int i = 0; i < POOL; i++) {
        keys[i] = randomArray(33);
        keys[i][0] = (byte) (2 + (i & 1));
        hashes[i] = randomArray(20);
      }
    }

    void fill(byte[] out, int offset, int length) {
      int done = 0;
      while (done < length) {
        if (pendingStart == pendingEnd) {
          pendingStart = 0;
          pendingEnd = 0;
          switch (kind) {
            case TABLE_SORTED, SMALL_STRUCTURED -> tableRecord();
            case UNDO -> undoRecord();
            default -> blockRecord();
          }
        }
        int n = Math.min(length - done, pendingEnd - pendingStart);
        System.arraycopy(pending, pendingStart, out, offset + done, n);
        pendingStart += n;
        done += n;
      }
    }

    private byte[] randomArray(int n) {
      byte[] b = new byte[n];
      for (int i = 0; i < n; i++) {
        b[i] = (byte) random.nextInt(256);
      }
      return b;
    }

    private void put(byte[] b) {
      System.arraycopy(b, 0, pending, pendingEnd, b.length);
      pendingEnd += b.length;
    }

    private void put(byte[] b, int off, int len) {
      System.arraycopy(b, off, pending, pendingEnd, len);
      pendingEnd += len;
    }

    private void putInt(int v) {
      for (int k = 0; k < 4; k++) {
        pending[pendingEnd++] = (byte) (v >>> (8 * k));
      }
    }

    private void putLong(long v) {
      for (int k = 0; k < 8; k++) {
        pending[pendingEnd++] = (byte) (v >>> (8 * k));
      }
    }

    private void putByte(int v) {
      pending[pendingEnd++] = (byte) v;
    }

    private void putRandom(int n) {
      for (int i = 0; i < n; i++) {
        pending[pendingEnd++] = (byte) random.nextInt(256);
      }
    }

    private byte[] txHash() {
      byte[] h = randomArray(32);
      recent[recentCount++ & 255] = h;
      return h;
    }

    private long amount() {
      // round amounts, in "satoshis"
      long[] units = {100_000L, 1_000_000L, 10_000_000L, 100_000_000L};
      return (1 + random.nextInt(50)) * units[random.nextInt(units.length)];
    }

    /** A "block": magic, size, header, a handful of transactions. */
    private void blockRecord() {
      putInt(0xdbb6c0fb);
      putInt(0); // size (not checked by anyone)
      putInt(0x20000000);
      put(previousHeader);
      byte[] merkle = randomArray(32);
      put(merkle);
      putInt((int) (1_700_000_000L + counter * 150));
      putInt(0x207fffff);
      putInt(random.nextInt());
      previousHeader = merkle;
      counter++;
      int txs = 4 + random.nextInt(8);
      putByte(txs);
      for (int t = 0; t < txs && pendingEnd < pending.length - 2048; t++) {
        transaction();
      }
    }

    private void transaction() {
      putInt(2);
      int inputs = 1 + random.nextInt(3);
      putByte(inputs);
      for (int i = 0; i < inputs; i++) {
        byte[] prev =
            recentCount > 0 && random.nextInt(4) != 0
                ? recent[random.nextInt(Math.min(recentCount, 256))]
                : null;
        if (prev != null) {
          put(prev);
        } else {
          putRandom(32);
        }
        putInt(random.nextInt(4));
        putByte(106);
        // DER signature: fixed framing around r and s (r random, s low entropy in this corpus)
        putByte(0x47);
        putByte(0x30);
        putByte(0x44);
        putByte(0x02);
        putByte(0x20);
        putRandom(16);
        put(keys[random.nextInt(POOL)], 1, 16);
        putByte(0x02);
        putByte(0x20);
        put(keys[random.nextInt(64)], 1, 32);
        putByte(0x01);
        putByte(0x21);
        put(keys[random.nextInt(POOL)]);
        putInt(0xffffffff);
      }
      int outputs = 1 + random.nextInt(3);
      putByte(outputs);
      for (int o = 0; o < outputs; o++) {
        putLong(amount());
        putByte(25);
        putByte(0x76);
        putByte(0xa9);
        putByte(0x14);
        put(hashes[random.nextInt(POOL)]);
        putByte(0x88);
        putByte(0xac);
      }
      putInt(0);
      txHash();
    }

    /** An undo record: spent outputs (amount, height, script) of a block. */
    private void undoRecord() {
      int n = 1 + random.nextInt(16);
      putByte(n);
      for (int i = 0; i < n; i++) {
        putInt((int) (counter + random.nextInt(1000)));
        putLong(amount());
        putByte(0x00);
        put(hashes[random.nextInt(POOL)]);
      }
      put(randomArray(32)); // checksum
      counter++;
    }

    /** A LevelDB-like key/value: sorted keys with shared prefixes, coin-like values. */
    private void tableRecord() {
      counter += 1 + random.nextInt(64);
      putByte(0x43);
      putLong(Long.reverseBytes(counter)); // big-endian: sorted, shared prefixes
      putRandom(8);
      putByte(random.nextInt(4));
      putInt((int) (counter >>> 6));
      putLong(amount());
      put(hashes[random.nextInt(POOL)]);
      if ((counter & 63) == 0) {
        putRandom(8); // block trailer: restart points and CRC
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      List<Path> paths = walk.sorted(java.util.Comparator.reverseOrder()).toList();
      for (Path p : paths) {
        Files.delete(p);
      }
    }
  }
}
