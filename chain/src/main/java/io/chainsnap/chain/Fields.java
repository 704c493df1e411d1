package io.chainsnap.chain;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Strict reads of the fields an adapter relies on: a missing or mistyped field is a {@link
 * ChainRpcException#BAD_ANSWER} naming it, never a silent 0, false or empty string.
 */
final class Fields {
  private Fields() {}

  static JsonNode required(JsonNode parent, String what, String field) {
    JsonNode node = parent.path(field);
    if (node.isMissingNode() || node.isNull()) {
      throw bad(what, "no field '" + field + "' in " + abbreviate(parent));
    }
    return node;
  }

  static String text(JsonNode parent, String what, String field) {
    JsonNode node = required(parent, what, field);
    if (!node.isTextual() || node.asText().isEmpty()) {
      throw bad(what, "field '" + field + "' is not a non-empty string: " + node);
    }
    return node.asText();
  }

  static long number(JsonNode parent, String what, String field) {
    JsonNode node = required(parent, what, field);
    if (!node.isIntegralNumber()) {
      throw bad(what, "field '" + field + "' is not an integer: " + node);
    }
    return node.asLong();
  }

  /** An integer sent as a decimal string, as CometBFT does with every 64-bit number. */
  static long decimalString(JsonNode parent, String what, String field) {
    JsonNode node = required(parent, what, field);
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isTextual() && node.asText().matches("-?[0-9]{1,19}")) {
      return Long.parseLong(node.asText());
    }
    throw bad(what, "field '" + field + "' is not a decimal integer: " + node);
  }

  static boolean bool(JsonNode parent, String what, String field) {
    JsonNode node = required(parent, what, field);
    if (!node.isBoolean()) {
      throw bad(what, "field '" + field + "' is not a boolean: " + node);
    }
    return node.asBoolean();
  }

  static int count(long value, String what, String field) {
    if (value < 0 || value > Integer.MAX_VALUE) {
      throw bad(what, "field '" + field + "' is not a count: " + value);
    }
    return (int) value;
  }

  static ChainRpcException bad(String what, String problem) {
    return new ChainRpcException(what + ": " + problem, ChainRpcException.BAD_ANSWER);
  }

  private static String abbreviate(JsonNode node) {
    String text = node.toString();
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
