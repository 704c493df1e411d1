package io.chainsnap.archive.restore;

import java.time.Duration;
import java.util.Locale;

/** Human-readable sizes, rates and durations for messages. */
public final class Units {

  private Units() {}

  /** {@code 1.5 GB}, {@code 320 MB}, {@code 12 kB}, {@code 512 B} (decimal units). */
  public static String bytes(long n) {
    if (n < 1000) {
      return n + " B";
    }
    String[] units = {"kB", "MB", "GB", "TB", "PB", "EB"};
    double v = n;
    int u = -1;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
  }

  /** {@code 210 MB/s}. */
  public static String rate(double bytesPerSecond) {
    return bytes((long) bytesPerSecond) + "/s";
  }

  /** {@code 1:02:03} or {@code 4:05}. */
  public static String duration(Duration d) {
    long s = Math.max(0, d.toSeconds());
    long h = s / 3600;
    long m = (s % 3600) / 60;
    long sec = s % 60;
    return h > 0
        ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
        : String.format(Locale.ROOT, "%d:%02d", m, sec);
  }
}
