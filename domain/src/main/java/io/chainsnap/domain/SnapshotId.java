package io.chainsnap.domain;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Snapshot ids: how they are made and what a valid one looks like. An id names a directory in
 * staging, a path segment of the bucket's keys and the Kafka key of its events, so every reader
 * checks it before it uses it.
 *
 * <p>Made ids read {@code <chain>-<network>-<mode>-<yyyyMMdd't'HHmmssSSS'z'>-<height>}, all lower
 * case, for example {@code litecoin-regtest-full-20261121t223300123z-503}: they sort by target,
 * then by time. Any id of the {@link #PATTERN} is valid (operators may name their own with {@code
 * chainsnap create --id}).
 */
public final class SnapshotId {
  /** Letters, digits, {@code .}, {@code _} and {@code -}, not starting with a punctuation mark. */
  public static final String REGEX = "[A-Za-z0-9][A-Za-z0-9._-]{0,199}";

  public static final Pattern PATTERN = Pattern.compile(REGEX);

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

  private SnapshotId() {}

  /**
   * The id of a snapshot of {@code chain/network/mode} taken at {@code takenAt} at {@code height}.
   */
  public static String of(String chain, String network, Mode mode, Instant takenAt, long height) {
    String id =
        (chain + "-" + network + "-" + mode.wireName() + "-" + TIME.format(takenAt) + "-" + height)
            .toLowerCase(Locale.ROOT);
    return require(id);
  }

  /** Whether {@code id} is a valid snapshot id. */
  public static boolean isValid(String id) {
    return id != null && PATTERN.matcher(id).matches();
  }

  /** {@code id} if valid; otherwise {@link IllegalArgumentException} naming it. */
  public static String require(String id) {
    if (!isValid(id)) {
      throw new IllegalArgumentException(
          "invalid snapshot id '"
              + id
              + "': an id is 1 to 200 letters, digits, '.', '_' or '-', starting with a letter or"
              + " digit");
    }
    return id;
  }
}
