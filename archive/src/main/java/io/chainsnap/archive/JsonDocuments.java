package io.chainsnap.archive;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;

/**
 * What the readers of the published documents ({@code snapshot.json}, {@code index.json}, the
 * archive manifest) share: numbers are JSON integers where the format says integer (no {@code
 * "4096"}, no {@code 4096.9}), versions are exactly a known integer, and parse errors are told
 * without Java reference chains.
 */
final class JsonDocuments {

  private JsonDocuments() {}

  /** A mapper builder that refuses strings and fractions where the format says integer. */
  static JsonMapper.Builder strictBuilder() {
    return JsonMapper.builder()
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  /** Whether {@code version} is the JSON integer {@code known} (not 1.0, 1.9 or "1"). */
  static boolean isVersion(JsonNode version, int known) {
    return version != null
        && version.isIntegralNumber()
        && version.canConvertToInt()
        && version.intValue() == known;
  }

  /**
   * A parse or mapping error for operators: where (field path, line and column) and what, without
   * the parser's source excerpt, the reference chain or Java package names.
   */
  static String describe(JsonProcessingException e) {
    StringBuilder sb = new StringBuilder();
    if (e instanceof JsonMappingException m) {
      String path = path(m.getPath());
      if (!path.isEmpty()) {
        sb.append("at ").append(path).append(": ");
      }
    }
    sb.append(clean(e.getOriginalMessage()));
    JsonLocation at = e.getLocation();
    if (at != null && at.getLineNr() > 0) {
      sb.append(" (line ").append(at.getLineNr()).append(", column ").append(at.getColumnNr());
      sb.append(')');
    }
    return sb.toString();
  }

  private static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String clean(String message) {
    if (message == null) {
      return "malformed JSON";
    }
    String m = message.lines().findFirst().orElse("");
    // hints at Jackson settings mean nothing to an operator
    m = m.replaceAll("\\s*\\((?:enable|but )[^)]*\\)", "");
    m = m.replaceAll("\\s*\\(for Object starting at[^)]*\\)", "");
    // "(start marker at [Source: REDACTED (...); line: 1, column: 37])" -> "(opened at line 1,
    // ...)"
    m =
        m.replaceAll(
            "start marker at \\[Source:.*?; line: (\\d+), column: (\\d+)\\]",
            "opened at line $1, column $2");
    m = m.replaceAll("\\[Source:.*?; line: (\\d+), column: (\\d+)\\]", "line $1, column $2");
    // `io.chainsnap.domain.Mode` -> Mode, `java.lang.String` -> String
    m = m.replaceAll("`?(?:[a-z][a-z0-9_]*\\.)+([A-Z][A-Za-z0-9_$]*)`?", "$1");
    m = m.replace("`", "");
    return m.strip();
  }
}
