package io.chainsnap.archive.restore;

import io.chainsnap.domain.Sha256;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

/**
 * A SHA-256 whose intermediate state can be saved and restored, so that the whole-file hash of an
 * archive can be finished by a later process after a restore resumed (a chunk already applied is
 * never fetched again, so its bytes cannot be hashed again).
 *
 * <p>The JDK's SHA-256 is fast (SHA-NI or AVX2 intrinsics, several times plain Java) but has no API
 * to export its state. When the JVM opens {@code java.base/sun.security.provider} and {@code
 * java.base/java.security} to this code (the {@code chainsnap} jar's manifest does, as {@code
 * Add-Opens}), this class reads and writes the JDK digest's fields; it checks that this works with
 * a self-test first. Otherwise it falls back to a plain Java implementation. Both produce and
 * accept the same state encoding.
 *
 * <p>State encoding: {@code sha256:v1:<64 hex: H0..H7>:<bytes hashed>:<hex of the unprocessed tail
 * (< 64 bytes)>}.
 */
public final class Sha256Midstate {

  private static final String PREFIX = "sha256:v1:";
  private static final int[] IV = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
  };
  private static final JdkAccess JDK = JdkAccess.probe();

  private final MessageDigest jdk;
  private final PlainSha256 plain;

  private Sha256Midstate(MessageDigest jdk, PlainSha256 plain) {
    this.jdk = jdk;
    this.plain = plain;
  }

  /** Whether the fast JDK-backed implementation is in use. */
  public static boolean fast() {
    return JDK != null;
  }

  /** A fresh digest. */
  public static Sha256Midstate create() {
    if (JDK != null) {
      return new Sha256Midstate(Sha256.newDigest(), null);
    }
    return new Sha256Midstate(null, new PlainSha256());
  }

  /**
   * A digest continuing from an exported state.
   *
   * @param state a value of {@link #export()}
   * @throws IllegalArgumentException if it is malformed
   */
  public static Sha256Midstate restore(String state) {
    State s = State.parse(state);
    if (JDK != null) {
      MessageDigest md = Sha256.newDigest();
      JDK.write(md, s);
      return new Sha256Midstate(md, null);
    }
    PlainSha256 p = new PlainSha256();
    p.load(s);
    return new Sha256Midstate(null, p);
  }

  /** The plain Java implementation, whatever the JVM allows (tests: both must agree). */
  static Sha256Midstate plain(String stateOrNull) {
    PlainSha256 p = new PlainSha256();
    if (stateOrNull != null) {
      p.load(State.parse(stateOrNull));
    }
    return new Sha256Midstate(null, p);
  }

  /** Hashes {@code len} bytes. */
  public void update(byte[] b, int off, int len) {
    if (jdk != null) {
      jdk.update(b, off, len);
    } else {
      plain.update(b, off, len);
    }
  }

  /** Number of bytes hashed so far. */
  public long length() {
    return (jdk != null ? JDK.read(jdk) : plain.state()).length();
  }

  /** The current state, for {@link #restore(String)}. */
  public String export() {
    return (jdk != null ? JDK.read(jdk) : plain.state()).encode();
  }

  /** Finishes the hash; lowercase hex. The digest must not be used afterwards. */
  public String hex() {
    return HexFormat.of().formatHex(jdk != null ? jdk.digest() : plain.digest());
  }

  /** An exported state: hash words, bytes hashed, and the bytes of the incomplete block. */
  private record State(int[] h, long length, byte[] tail) {
    String encode() {
      StringBuilder sb = new StringBuilder(PREFIX);
      for (int v : h) {
        sb.append(String.format("%08x", v));
      }
      sb.append(':').append(length).append(':').append(HexFormat.of().formatHex(tail));
      return sb.toString();
    }

    static State parse(String s) {
      if (s == null || !s.startsWith(PREFIX)) {
        throw new IllegalArgumentException("not a SHA-256 state: " + s);
      }
      String[] parts = s.substring(PREFIX.length()).split(":", -1);
      if (parts.length != 3 || parts[0].length() != 64) {
        throw new IllegalArgumentException("malformed SHA-256 state: " + s);
      }
      try {
        int[] h = new int[8];
        for (int i = 0; i < 8; i++) {
          h[i] = Integer.parseUnsignedInt(parts[0].substring(8 * i, 8 * i + 8), 16);
        }
        long length = Long.parseLong(parts[1]);
        byte[] tail = HexFormat.of().parseHex(parts[2]);
        if (length < 0 || tail.length != (int) (length % 64)) {
          throw new IllegalArgumentException("inconsistent SHA-256 state: " + s);
        }
        return new State(h, length, tail);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("malformed SHA-256 state: " + s, e);
      }
    }
  }

  /** Reflective access to the JDK digest's state; {@code null} when not permitted. */
  private static final class JdkAccess {
    private final Field spi;
    private final Field state;
    private final Field buffer;
    private final Field bufOfs;
    private final Field bytesProcessed;

    private JdkAccess(Field spi, Field state, Field buffer, Field bufOfs, Field bytesProcessed) {
      this.spi = spi;
      this.state = state;
      this.buffer = buffer;
      this.bufOfs = bufOfs;
      this.bytesProcessed = bytesProcessed;
    }

    static JdkAccess probe() {
      try {
        MessageDigest md = Sha256.newDigest();
        Field spi = field(md.getClass(), "digestSpi");
        Object engine = spi.get(md);
        JdkAccess access =
            new JdkAccess(
                spi,
                field(engine.getClass(), "state"),
                field(engine.getClass(), "buffer"),
                field(engine.getClass(), "bufOfs"),
                field(engine.getClass(), "bytesProcessed"));
        return access.selfTest() ? access : null;
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null; // not opened to us (InaccessibleObjectException) or another JDK layout
      }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        try {
          Field f = c.getDeclaredField(name);
          f.setAccessible(true);
          return f;
        } catch (NoSuchFieldException e) {
          // look further up
        }
      }
      throw new NoSuchFieldException(type.getName() + "." + name);
    }

    /** Export and import at odd lengths must give the same digests as the plain implementation. */
    private boolean selfTest() {
      byte[] data = new byte[1000];
      new Random(7).nextBytes(data);
      for (int cut : new int[] {0, 1, 63, 64, 65, 500, 1000}) {
        MessageDigest first = Sha256.newDigest();
        first.update(data, 0, cut);
        State mid = read(first);
        PlainSha256 plain = new PlainSha256();
        plain.update(data, 0, cut);
        if (!mid.encode().equals(plain.state().encode())) {
          return false;
        }
        MessageDigest second = Sha256.newDigest();
        write(second, mid);
        second.update(data, cut, data.length - cut);
        if (!Arrays.equals(second.digest(), Sha256.newDigest().digest(data))) {
          return false;
        }
      }
      return Arrays.equals(
          Sha256.newDigest().digest("abc".getBytes(StandardCharsets.US_ASCII)),
          HexFormat.of()
              .parseHex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }

    State read(MessageDigest md) {
      try {
        Object engine = spi.get(md);
        int[] h = ((int[]) state.get(engine)).clone();
        long length = bytesProcessed.getLong(engine);
        int ofs = bufOfs.getInt(engine);
        byte[] tail = Arrays.copyOf((byte[]) buffer.get(engine), ofs);
        return new State(h, length, tail);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }

    void write(MessageDigest md, State s) {
      try {
        Object engine = spi.get(md);
        int[] h = (int[]) state.get(engine);
        System.arraycopy(s.h(), 0, h, 0, 8);
        byte[] buf = (byte[]) buffer.get(engine);
        System.arraycopy(s.tail(), 0, buf, 0, s.tail().length);
        bufOfs.setInt(engine, s.tail().length);
        bytesProcessed.setLong(engine, s.length());
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** FIPS 180-4 SHA-256 in plain Java: slow, but its state is ours. */
  private static final class PlainSha256 {
    private static final int[] K = {
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
      0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
      0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
      0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
      0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
      0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
      0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
      0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
      0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
      0xc67178f2
    };

    private final int[] h = IV.clone();
    private final int[] w = new int[64];
    private final byte[] buf = new byte[64];
    private int bufLen;
    private long length;

    void load(State s) {
      System.arraycopy(s.h(), 0, h, 0, 8);
      System.arraycopy(s.tail(), 0, buf, 0, s.tail().length);
      bufLen = s.tail().length;
      length = s.length();
    }

    State state() {
      return new State(h.clone(), length, Arrays.copyOf(buf, bufLen));
    }

    void update(byte[] b, int off, int len) {
      length += len;
      if (bufLen > 0) {
        int n = Math.min(len, 64 - bufLen);
        System.arraycopy(b, off, buf, bufLen, n);
        bufLen += n;
        off += n;
        len -= n;
        if (bufLen < 64) {
          return;
        }
        compress(buf, 0);
        bufLen = 0;
      }
      while (len >= 64) {
        compress(b, off);
        off += 64;
        len -= 64;
      }
      System.arraycopy(b, off, buf, 0, len);
      bufLen = len;
    }

    byte[] digest() {
      long bits = length * 8;
      byte[] pad = new byte[(bufLen < 56 ? 56 : 120) - bufLen + 8];
      pad[0] = (byte) 0x80;
      for (int i = 0; i < 8; i++) {
        pad[pad.length - 1 - i] = (byte) (bits >>> (8 * i));
      }
      update(pad, 0, pad.length);
      byte[] out = new byte[32];
      for (int i = 0; i < 8; i++) {
        out[4 * i] = (byte) (h[i] >>> 24);
        out[4 * i + 1] = (byte) (h[i] >>> 16);
        out[4 * i + 2] = (byte) (h[i] >>> 8);
        out[4 * i + 3] = (byte) h[i];
      }
      return out;
    }

    private void compress(byte[] b, int off) {
      for (int i = 0; i < 16; i++) {
        int j = off + 4 * i;
        w[i] =
            (b[j] << 24) | ((b[j + 1] & 0xff) << 16) | ((b[j + 2] & 0xff) << 8) | (b[j + 3] & 0xff);
      }
      for (int i = 16; i < 64; i++) {
        int x = w[i - 15];
        int y = w[i - 2];
        int s0 = Integer.rotateRight(x, 7) ^ Integer.rotateRight(x, 18) ^ (x >>> 3);
        int s1 = Integer.rotateRight(y, 17) ^ Integer.rotateRight(y, 19) ^ (y >>> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
      }
      int a = h[0];
      int bb = h[1];
      int c = h[2];
      int d = h[3];
      int e = h[4];
      int f = h[5];
      int g = h[6];
      int hh = h[7];
      for (int i = 0; i < 64; i++) {
        int s1 =
            Integer.rotateRight(e, 6) ^ Integer.rotateRight(e, 11) ^ Integer.rotateRight(e, 25);
        int ch = (e & f) ^ (~e & g);
        int t1 = hh + s1 + ch + K[i] + w[i];
        int s0 =
            Integer.rotateRight(a, 2) ^ Integer.rotateRight(a, 13) ^ Integer.rotateRight(a, 22);
        int maj = (a & bb) ^ (a & c) ^ (bb & c);
        int t2 = s0 + maj;
        hh = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = bb;
        bb = a;
        a = t1 + t2;
      }
      h[0] += a;
      h[1] += bb;
      h[2] += c;
      h[3] += d;
      h[4] += e;
      h[5] += f;
      h[6] += g;
      h[7] += hh;
    }
  }
}
