package io.chainsnap.domain;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number of bytes as people write it, in configuration and on the command line: {@code 4096},
 * {@code 512k}, {@code 64M}, {@code 64MiB}, {@code 1G}, {@code 2T}. Suffixes are binary (k = 1024)
 * and case-insensitive; {@code B}, {@code iB} may follow. SmallRye Config converts config values of
 * this type through {@link #of(String)}.
 *
 * @param bytes the size in bytes, at least 0
 */
public record ByteSize(long bytes) implements Comparable<ByteSize> {
  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(?:([kKmMgGtT])(?:i?[bB])?|[bB])?");

  public ByteSize {
    if (bytes < 0) {
      throw new IllegalArgumentException("a size cannot be negative: " + bytes);
    }
  }

  /** Parses {@code text}; {@link IllegalArgumentException} saying what is accepted otherwise. */
  public static ByteSize of(String text) {
    Matcher m = SIZE.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a size (bytes, or a number with k, M, G or T, e.g. 64M)");
    }
    int shift =
        m.group(2) == null
            ? 0
            : switch (m.group(2).toLowerCase(Locale.ROOT)) {
              case "k" -> 10;
              case "m" -> 20;
              case "g" -> 30;
              default -> 40;
            };
    try {
      long value = Long.parseLong(m.group(1));
      if (value > Long.MAX_VALUE >> shift) {
        throw new NumberFormatException();
      }
      return new ByteSize(value << shift);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is too large a size");
    }
  }

  /** The size as an {@code int}, checked to lie in {@code [min, max]}. */
  public int toIntBetween(long min, long max) {
    requireBetween(min, max);
    return (int) bytes;
  }

  /** This size if it lies in {@code [min, max]}; an error naming both bounds otherwise. */
  public ByteSize requireBetween(long min, long max) {
    if (bytes < min || bytes > max) {
      throw new IllegalArgumentException(
          "must be between " + new ByteSize(min) + " and " + new ByteSize(max) + ", got " + this);
    }
    return this;
  }

  @Override
  public int compareTo(ByteSize other) {
    return Long.compare(bytes, other.bytes);
  }

  /** The shortest exact form: {@code 64MiB}, {@code 4KiB}, {@code 1000B}. */
  @Override
  public String toString() {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    long v = bytes;
    int u = 0;
    while (u < units.length - 1 && v != 0 && v % 1024 == 0) {
      v /= 1024;
      u++;
    }
    return v + units[u];
  }
}
