package io.chainsnap.archive;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes the deterministic POSIX (ustar + pax) headers of format v1.
 *
 * <p>A header is one 512-byte ustar block, preceded by a pax extended header ({@code typeflag 'x'},
 * name {@value #PAX_NAME}) only when a value does not fit ustar: a path that is not ASCII or longer
 * than 100 bytes, a size of 8 GiB or more, an mtime before 1970 or after 2242. Owner and group are
 * 0 with empty names; device numbers are 0; the prefix field is unused.
 */
final class TarEncoder {

  static final int BLOCK = 512;
  static final String PAX_NAME = "././@PaxHeader";
  static final long MAX_OCTAL_11 = 077777777777L;

  private TarEncoder() {}

  /**
   * Encodes the header block(s) of an entry.
   *
   * @param name entry name as UTF-8, directories ending with '/'
   * @param typeflag '0' (regular file) or '5' (directory)
   * @param size data size (0 for directories)
   * @param mode permission bits
   * @param mtime modification time in seconds since the epoch
   * @return a multiple of 512 bytes
   */
  static byte[] header(byte[] name, char typeflag, long size, int mode, long mtime) {
    ByteArrayOutputStream pax = new ByteArrayOutputStream();
    boolean asciiName = name.length <= 100 && isAscii(name);
    if (!asciiName) {
      paxRecord(pax, "path", name);
    }
    boolean sizeFits = size <= MAX_OCTAL_11;
    if (!sizeFits) {
      paxRecord(pax, "size", Long.toString(size).getBytes(StandardCharsets.US_ASCII));
    }
    boolean mtimeFits = mtime >= 0 && mtime <= MAX_OCTAL_11;
    if (!mtimeFits) {
      paxRecord(pax, "mtime", Long.toString(mtime).getBytes(StandardCharsets.US_ASCII));
    }
    byte[] ustar =
        ustar(
            asciiName ? name : fallbackName(name),
            typeflag,
            sizeFits ? size : 0,
            mode,
            mtimeFits ? mtime : 0);
    if (pax.size() == 0) {
      return ustar;
    }
    byte[] paxData = pax.toByteArray();
    byte[] paxHeader =
        ustar(PAX_NAME.getBytes(StandardCharsets.US_ASCII), 'x', paxData.length, 0644, 0);
    byte[] out = new byte[BLOCK + padded(paxData.length) + BLOCK];
    System.arraycopy(paxHeader, 0, out, 0, BLOCK);
    System.arraycopy(paxData, 0, out, BLOCK, paxData.length);
    System.arraycopy(ustar, 0, out, out.length - BLOCK, BLOCK);
    return out;
  }

  /** Rounds a data length up to whole blocks. */
  static int padded(int length) {
    return (int) padded((long) length);
  }

  /** Rounds a data length up to whole blocks. */
  static long padded(long length) {
    return (length + BLOCK - 1) / BLOCK * BLOCK;
  }

  private static byte[] ustar(byte[] name, char typeflag, long size, int mode, long mtime) {
    byte[] h = new byte[BLOCK];
    System.arraycopy(name, 0, h, 0, name.length);
    octal(h, 100, 8, mode);
    octal(h, 108, 8, 0); // uid
    octal(h, 116, 8, 0); // gid
    octal(h, 124, 12, size);
    octal(h, 136, 12, mtime);
    h[156] = (byte) typeflag;
    ascii(h, 257, "ustar\0");
    ascii(h, 263, "00");
    // uname (265) and gname (297) stay empty
    octal(h, 329, 8, 0); // devmajor
    octal(h, 337, 8, 0); // devminor
    Arrays.fill(h, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum); // six digits, NUL
    h[155] = ' ';
    return h;
  }

  /** Writes {@code value} as zero-padded octal filling {@code len - 1} bytes, then a NUL. */
  private static void octal(byte[] h, int off, int len, long value) {
    String s = Long.toOctalString(value);
    int digits = len - 1;
    if (s.length() > digits) {
      throw new IllegalArgumentException(
          "value " + value + " does not fit " + digits + " octal digits");
    }
    int pad = digits - s.length();
    for (int i = 0; i < pad; i++) {
      h[off + i] = '0';
    }
    for (int i = 0; i < s.length(); i++) {
      h[off + pad + i] = (byte) s.charAt(i);
    }
    h[off + digits] = 0;
  }

  private static void ascii(byte[] h, int off, String s) {
    for (int i = 0; i < s.length(); i++) {
      h[off + i] = (byte) s.charAt(i);
    }
  }

  /** The ustar name written next to a pax path: the first 100 bytes, non-ASCII bytes as '_'. */
  private static byte[] fallbackName(byte[] name) {
    byte[] out = Arrays.copyOf(name, Math.min(100, name.length));
    for (int i = 0; i < out.length; i++) {
      if (out[i] < 0x20 || out[i] > 0x7e) {
        out[i] = '_';
      }
    }
    return out;
  }

  private static boolean isAscii(byte[] name) {
    for (byte b : name) {
      if (b < 0x20 || b > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /** Appends one pax record {@code "<len> <key>=<value>\n"}, where len counts the whole record. */
  private static void paxRecord(ByteArrayOutputStream out, String key, byte[] value) {
    int base = key.length() + value.length + 3; // ' ', '=', '\n'
    int len = base + 1;
    while (len != base + Integer.toString(len).length()) {
      len = base + Integer.toString(len).length();
    }
    out.writeBytes((len + " " + key + "=").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(value);
    out.write('\n');
  }
}
