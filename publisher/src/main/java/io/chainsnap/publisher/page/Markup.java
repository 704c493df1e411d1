package io.chainsnap.publisher.page;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Escaping for HTML and XML (one rule serves both, in text and in quoted attributes), for shell
 * words, and the check that a value may become a link. Index data is untrusted: every value that
 * reaches the page or the feed goes through here.
 */
public final class Markup {
  private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9._:/@%+=,-]+");

  private Markup() {}

  /**
   * {@code value} as text safe in HTML and XML 1.0 content and in double- or single-quoted
   * attributes: {@code & < > " '} as entities, and characters XML 1.0 does not allow (controls
   * other than tab, newline and carriage return, lone surrogates, U+FFFE, U+FFFF) as U+FFFD. {@code
   * null} is the empty string.
   */
  public static String escape(String value) {
    if (value == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(value.length() + 16);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          if (Character.isHighSurrogate(c)
              && i + 1 < value.length()
              && Character.isLowSurrogate(value.charAt(i + 1))) {
            out.append(c).append(value.charAt(++i));
          } else if (allowed(c)) {
            out.append(c);
          } else {
            out.append('\uFFFD');
          }
        }
      }
    }
    return out.toString();
  }

  private static boolean allowed(char c) {
    if (c == '\t' || c == '\n' || c == '\r') {
      return true;
    }
    return c >= 0x20
        && c != 0x7F
        && !(c >= 0x80 && c <= 0x9F)
        && !Character.isSurrogate(c)
        && c != '\uFFFE'
        && c != '\uFFFF';
  }

  /**
   * Whether {@code url} may be an {@code href}: an absolute {@code http} or {@code https} URL with
   * a host that parses as a URI. Anything else ({@code javascript:}, {@code data:}, relative,
   * {@code s3://}, {@code ipfs://}, malformed) is shown as text, never linked.
   */
  public static boolean isWebLink(String url) {
    if (url == null || url.isEmpty() || url.length() > 2048) {
      return false;
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      return scheme != null
          && (scheme.toLowerCase(Locale.ROOT).equals("http")
              || scheme.toLowerCase(Locale.ROOT).equals("https"))
          && uri.getHost() != null
          && !uri.getHost().isEmpty();
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** {@code word} as one POSIX shell word: unchanged when plainly safe, else single-quoted. */
  public static String shellWord(String word) {
    if (word != null && SHELL_SAFE.matcher(word).matches()) {
      return word;
    }
    return "'" + (word == null ? "" : word).replace("'", "'\\''") + "'";
  }
}
