package io.chainsnap.bench;

import java.util.Locale;

/** Byte sizes on the command line: {@code 2G}, {@code 200M}, {@code 64K}, or plain bytes. */
final class Sizes {
  private Sizes() {}

  /** Parses a size with an optional binary suffix K, M, G, T (case-insensitive, "iB" allowed). */
  static long parse(String text) {
    String s = text.strip().toUpperCase(Locale.ROOT).replace("IB", "").replace("B", "");
    long unit = 1;
    if (!s.isEmpty()) {
      switch (s.charAt(s.length() - 1)) {
        case 'K' -> unit = 1L << 10;
        case 'M' -> unit = 1L << 20;
        case 'G' -> unit = 1L << 30;
        case 'T' -> unit = 1L << 40;
        default -> unit = 1;
      }
    }
    if (unit != 1) {
      s = s.substring(0, s.length() - 1);
    }
    return Math.round(Double.parseDouble(s) * unit);
  }
}
