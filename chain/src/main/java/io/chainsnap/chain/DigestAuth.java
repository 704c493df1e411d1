package io.chainsnap.chain;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP digest authentication (RFC 7616 with MD5, {@code qop=auth}), which {@code java.net.http}
 * does not do and monerod's {@code --rpc-login} requires. One instance holds one server challenge
 * (realm, nonce) and counts the requests made with it.
 */
final class DigestAuth {
  private static final Pattern PARAM =
      Pattern.compile("([A-Za-z-]+)\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^,\\s]*))");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String realm;
  private final String nonce;
  private final String opaque;
  private final boolean qopAuth;
  private final AtomicInteger count = new AtomicInteger();

  private DigestAuth(String realm, String nonce, String opaque, boolean qopAuth) {
    this.realm = realm;
    this.nonce = nonce;
    this.opaque = opaque;
    this.qopAuth = qopAuth;
  }

  /**
   * The first MD5 digest challenge among the {@code WWW-Authenticate} headers of a 401 answer
   * (monerod offers MD5 and MD5-sess: plain MD5 is taken).
   */
  static Optional<DigestAuth> fromChallenge(HttpHeaders headers) {
    for (String header : headers.allValues("WWW-Authenticate")) {
      if (!header.regionMatches(true, 0, "Digest ", 0, 7)) {
        continue;
      }
      Map<String, String> params = new HashMap<>();
      Matcher matcher = PARAM.matcher(header.substring(7));
      while (matcher.find()) {
        String value = matcher.group(2) != null ? matcher.group(2) : matcher.group(3);
        params.put(matcher.group(1).toLowerCase(Locale.ROOT), value);
      }
      String algorithm = params.getOrDefault("algorithm", "MD5");
      if (!algorithm.equalsIgnoreCase("MD5") || !params.containsKey("nonce")) {
        continue;
      }
      String qop = params.get("qop");
      boolean qopAuth =
          qop != null && qop.toLowerCase(Locale.ROOT).matches("(.*,\\s*)?auth(\\s*,.*)?");
      if (qop != null && !qopAuth) {
        continue;
      }
      return Optional.of(
          new DigestAuth(
              params.getOrDefault("realm", ""),
              params.get("nonce"),
              params.get("opaque"),
              qopAuth));
    }
    return Optional.empty();
  }

  /** The {@code Authorization} header value for one request. */
  String authorization(String user, String password, String method, String uri) {
    byte[] random = new byte[8];
    RANDOM.nextBytes(random);
    return authorization(user, password, method, uri, HexFormat.of().formatHex(random));
  }

  /** As {@link #authorization(String, String, String, String)} with a given client nonce. */
  String authorization(String user, String password, String method, String uri, String cnonce) {
    String ha1 = md5(user + ":" + realm + ":" + password);
    String ha2 = md5(method + ":" + uri);
    StringBuilder header =
        new StringBuilder("Digest username=\"")
            .append(quote(user))
            .append("\", realm=\"")
            .append(quote(realm))
            .append("\", nonce=\"")
            .append(quote(nonce))
            .append("\", uri=\"")
            .append(quote(uri))
            .append("\", algorithm=MD5");
    String response;
    if (qopAuth) {
      String nc = String.format("%08x", count.incrementAndGet());
      response = md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
      header.append(", qop=auth, nc=").append(nc).append(", cnonce=\"").append(cnonce).append('"');
    } else {
      response = md5(ha1 + ":" + nonce + ":" + ha2);
    }
    header.append(", response=\"").append(response).append('"');
    if (opaque != null) {
      header.append(", opaque=\"").append(quote(opaque)).append('"');
    }
    return header.toString();
  }

  private static String quote(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  static String md5(String text) {
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      return HexFormat.of().formatHex(md5.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is missing from this JVM", e);
    }
  }
}
