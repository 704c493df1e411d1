package io.chainsnap.domain;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * An enum of the domain vocabulary with its name on the wire (events, {@code snapshot.json}, {@code
 * index.json}, configuration), e.g. {@code pause-checkpoint} for {@code PAUSE_CHECKPOINT}.
 */
public interface WireEnum {
  /** The name in JSON and configuration: lower case, words joined by a dash. */
  String wireName();

  /** The wire name of an enum constant: its name in lower case, {@code _} as {@code -}. */
  static String kebab(Enum<?> constant) {
    return constant.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /**
   * The constant of {@code type} whose wire name is {@code value}; a clear error naming the known
   * values otherwise.
   */
  static <E extends Enum<E> & WireEnum> E parse(Class<E> type, String value) {
    for (E constant : type.getEnumConstants()) {
      if (constant.wireName().equals(value)) {
        return constant;
      }
    }
    throw new IllegalArgumentException(
        "'" + value + "' is not a known " + label(type) + " (known: " + names(type) + ")");
  }

  /** The wire names of {@code type}, in declaration order, comma-separated. */
  static <E extends Enum<E> & WireEnum> String names(Class<E> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(e -> e.wireName())
        .collect(Collectors.joining(", "));
  }

  private static String label(Class<?> type) {
    return type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase();
  }
}
