package io.chainsnap.publisher.cdn;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks CloudFront signed URLs the way the documentation describes them, in plain JDK code: the
 * policy (rebuilt for a canned one, decoded from {@code Policy} for a custom one) verified with the
 * public key against {@code Signature}, SHA1withRSA, CloudFront's base64 ({@code - _ ~} for {@code
 * + = /}).
 */
public final class CloudFrontSignatures {
  private CloudFrontSignatures() {}

  /** A fresh RSA 2048 key pair. */
  public static KeyPair rsa2048() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  /** Writes the private key of {@code pair} as a PKCS#8 PEM file, as an operator provides it. */
  public static Path writePrivatePem(KeyPair pair, Path file) throws Exception {
    String base64 =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(pair.getPrivate().getEncoded());
    Files.writeString(
        file, "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n");
    return file;
  }

  /** The query parameters of {@code url}, decoded, in order. */
  public static Map<String, String> query(String url) {
    Map<String, String> parameters = new LinkedHashMap<>();
    String query = URI.create(url).getRawQuery();
    if (query == null) {
      return parameters;
    }
    for (String parameter : query.split("&")) {
      int equals = parameter.indexOf('=');
      parameters.put(
          URLDecoder.decode(parameter.substring(0, equals), StandardCharsets.UTF_8),
          URLDecoder.decode(parameter.substring(equals + 1), StandardCharsets.UTF_8));
    }
    return parameters;
  }

  /** {@code url} without its query. */
  public static String resource(String url) {
    int question = url.indexOf('?');
    return question < 0 ? url : url.substring(0, question);
  }

  /** The canned policy of {@code resource} expiring at {@code expires}, as documented. */
  public static String cannedPolicy(String resource, long expires) {
    return "{\"Statement\":[{\"Resource\":\""
        + resource
        + "\",\"Condition\":{\"DateLessThan\":{\"AWS:EpochTime\":"
        + expires
        + "}}}]}";
  }

  /** Decodes CloudFront's URL-safe base64. */
  public static byte[] decode(String cloudFrontBase64) {
    return Base64.getDecoder()
        .decode(cloudFrontBase64.replace('-', '+').replace('_', '=').replace('~', '/'));
  }

  /**
   * Whether {@code signature} (CloudFront base64) is {@code key}'s SHA1withRSA of {@code policy}.
   */
  public static boolean verifies(PublicKey key, String policy, String signature) throws Exception {
    Signature verifier = Signature.getInstance("SHA1withRSA");
    verifier.initVerify(key);
    verifier.update(policy.getBytes(StandardCharsets.UTF_8));
    return verifier.verify(decode(signature));
  }
}
