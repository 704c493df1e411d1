package io.chainsnap.publisher.page;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the page writes times, ages and sizes for people. */
final class Formats {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private Formats() {}

  /** {@code 2026-12-03 18:20:00 UTC}. */
  static String time(Instant instant) {
    return instant == null ? "unknown" : TIME.format(instant);
  }

  /** {@code 45 s}, {@code 12 min}, {@code 5 h 3 min}, {@code 3 d 4 h}. */
  static String duration(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < 60) {
      return seconds + " s";
    }
    long minutes = seconds / 60;
    if (minutes < 60) {
      return minutes + " min";
    }
    long hours = minutes / 60;
    if (hours < 48) {
      return hours + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
    }
    return hours / 24 + " d" + (hours % 24 == 0 ? "" : " " + hours % 24 + " h");
  }

  /** How long ago {@code then} was at {@code now}: {@code 3 h 2 min ago}, or in the future. */
  static String age(Instant then, Instant now) {
    if (then == null) {
      return "unknown age";
    }
    Duration d = Duration.between(then, now);
    return d.isNegative() ? duration(d.negated()) + " in the future" : duration(d) + " ago";
  }

  /** {@code 7.0 MiB (7,340,032 bytes)}. */
  static String size(long bytes) {
    String exact = String.format(Locale.ROOT, "%,d bytes", bytes);
    if (bytes < 1024) {
      return exact;
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s (%s)", value, units[unit], exact);
  }

  /** {@code 1,234}. */
  static String number(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
