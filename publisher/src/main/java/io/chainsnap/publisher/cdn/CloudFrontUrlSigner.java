package io.chainsnap.publisher.cdn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.services.cloudfront.CloudFrontUtilities;
import software.amazon.awssdk.services.cloudfront.model.CannedSignerRequest;

/**
 * Signs CloudFront URLs with the SDK's {@link CloudFrontUtilities}: a canned policy (expiry only:
 * {@code Expires}, {@code Signature}, {@code Key-Pair-Id}) or a custom one ({@code Policy}, {@code
 * Signature}, {@code Key-Pair-Id}; expiry, optionally a start and a source IP range). The signature
 * is SHA1withRSA over the policy JSON, in CloudFront's base64 ({@code + = /} as {@code - _ ~}).
 */
public final class CloudFrontUrlSigner {
  /** The query parameters a signature adds; {@link #unsigned} removes them. */
  static final List<String> SIGNATURE_PARAMETERS =
      List.of("Expires", "Policy", "Signature", "Key-Pair-Id");

  /** Which policy the signed URLs carry. */
  public enum Policy {
    /** Expiry only; a short URL. */
    CANNED,
    /** Expiry, optional start ({@code DateGreaterThan}) and source IP range. */
    CUSTOM;

    /** The policy named {@code name} ({@code canned} or {@code custom}). */
    public static Policy of(String name) {
      try {
        return valueOf(name.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "invalid configuration publisher.cloudfront.signed-urls.policy: '"
                + name
                + "' (canned or custom)");
      }
    }
  }

  private final CloudFrontUtilities utilities = CloudFrontUtilities.create();
  private final String keyPairId;
  private final PrivateKey privateKey;
  private final Policy policy;
  private final Duration lifetime;
  private final Optional<Duration> notBeforeSkew;
  private final Optional<String> ipRange;

  /**
   * A signer with the key {@code privateKey} of CloudFront public key (or key pair) {@code
   * keyPairId}; URLs are valid for {@code lifetime} from signing. {@code notBeforeSkew} and {@code
   * ipRange} need the custom policy.
   */
  public CloudFrontUrlSigner(
      String keyPairId,
      PrivateKey privateKey,
      Policy policy,
      Duration lifetime,
      Optional<Duration> notBeforeSkew,
      Optional<String> ipRange) {
    this.keyPairId = Objects.requireNonNull(keyPairId, "keyPairId");
    this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
    this.policy = Objects.requireNonNull(policy, "policy");
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException(
          "invalid configuration publisher.cloudfront.signed-urls.lifetime: must be positive, not "
              + lifetime);
    }
    if (policy == Policy.CANNED && (notBeforeSkew.isPresent() || ipRange.isPresent())) {
      throw new IllegalArgumentException(
          "invalid configuration: publisher.cloudfront.signed-urls.not-before-skew and ip-range"
              + " need publisher.cloudfront.signed-urls.policy=custom");
    }
    ipRange.ifPresent(CloudFrontUrlSigner::checkCidr);
    this.lifetime = lifetime;
    this.notBeforeSkew = notBeforeSkew;
    this.ipRange = ipRange;
  }

  /** How long a URL signed now stays valid. */
  public Duration lifetime() {
    return lifetime;
  }

  /**
   * {@code url} (an {@code https} URL on the distribution) signed at {@code now}: valid until
   * {@code now + lifetime}. A signature already on it is replaced.
   */
  public String sign(String url, Instant now) {
    String resource = unsigned(url);
    Instant expires = now.plus(lifetime);
    if (policy == Policy.CANNED) {
      return utilities
          .getSignedUrlWithCannedPolicy(
              r ->
                  r.resourceUrl(resource)
                      .privateKey(privateKey)
                      .keyPairId(keyPairId)
                      .expirationDate(expires))
          .url();
    }
    return utilities
        .getSignedUrlWithCustomPolicy(
            r -> {
              r.resourceUrl(resource)
                  .privateKey(privateKey)
                  .keyPairId(keyPairId)
                  .expirationDate(expires);
              notBeforeSkew.ifPresent(skew -> r.activeDate(now.minus(skew)));
              ipRange.ifPresent(r::ipRange);
            })
        .url();
  }

  /** {@code url} without the query parameters of a CloudFront signature. */
  public static String unsigned(String url) {
    int question = url.indexOf('?');
    if (question < 0) {
      return url;
    }
    String kept =
        Stream.of(url.substring(question + 1).split("&"))
            .filter(p -> !p.isEmpty())
            .filter(p -> !SIGNATURE_PARAMETERS.contains(p.substring(0, nameEnd(p))))
            .collect(Collectors.joining("&"));
    return url.substring(0, question) + (kept.isEmpty() ? "" : "?" + kept);
  }

  private static int nameEnd(String parameter) {
    int equals = parameter.indexOf('=');
    return equals < 0 ? parameter.length() : equals;
  }

  /**
   * Reads a PEM RSA private key (PKCS#1 {@code BEGIN RSA PRIVATE KEY} or PKCS#8 {@code BEGIN
   * PRIVATE KEY}) with the SDK's reader; a clear error if the file is missing or not such a key.
   */
  public static PrivateKey readPrivateKey(Path file) {
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(
          "invalid configuration publisher.cloudfront.signed-urls.private-key-file: "
              + file
              + " is not a readable file");
    }
    try {
      return CannedSignerRequest.builder()
          .resourceUrl("https://localhost/")
          .keyPairId("-")
          .expirationDate(Instant.EPOCH)
          .privateKey(file)
          .build()
          .privateKey();
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "invalid configuration publisher.cloudfront.signed-urls.private-key-file: "
              + file
              + " is not a PEM RSA private key ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  private static void checkCidr(String cidr) {
    String[] parts = cidr.split("/", -1);
    boolean valid = parts.length == 2 && parts[1].matches("\\d{1,3}");
    if (valid) {
      int bits = Integer.parseInt(parts[1]);
      boolean v4 = parts[0].matches("\\d{1,3}(\\.\\d{1,3}){3}");
      boolean v6 = parts[0].contains(":") && parts[0].matches("[0-9A-Fa-f:]+");
      valid = (v4 && bits <= 32) || (v6 && bits <= 128);
    }
    if (!valid) {
      throw new IllegalArgumentException(
          "invalid configuration publisher.cloudfront.signed-urls.ip-range: '"
              + cidr
              + "' is not a CIDR such as 192.0.2.0/24");
    }
  }
}
