package io.chainsnap.publisher.cdn;

import io.chainsnap.publisher.config.PublisherConfig;
import java.util.Optional;

/** Where published objects are public: the base URL that object URLs are made of. */
public final class PublicUrls {
  private PublicUrls() {}

  /**
   * The base URL (no trailing slash) under which the bucket's objects are public: {@code
   * https://<publisher.cloudfront.domain>}, else {@code publisher.public-base-url}, else the S3
   * endpoint with the bucket (the local default). Both a domain and a base URL: refused.
   */
  public static String base(PublisherConfig config) {
    return base(
        config.cloudfront().domain(),
        config.publicBaseUrl(),
        config.s3().endpoint(),
        config.s3().bucket());
  }

  /** {@link #base(PublisherConfig)} of these settings. */
  static String base(
      Optional<String> cloudfrontDomain,
      Optional<String> publicBaseUrl,
      Optional<String> s3Endpoint,
      String bucket) {
    Optional<String> domain = cloudfrontDomain.map(String::strip);
    if (domain.isPresent()) {
      if (publicBaseUrl.isPresent()) {
        throw new IllegalArgumentException(
            "invalid configuration: set publisher.cloudfront.domain or publisher.public-base-url,"
                + " not both");
      }
      return "https://" + domain(domain.get());
    }
    return stripSlash(
        publicBaseUrl.orElseGet(
            () -> s3Endpoint.orElse("https://s3.amazonaws.com") + "/" + bucket));
  }

  /** {@code domain} checked to be a bare host name (no scheme, path or port). */
  static String domain(String domain) {
    if (!domain.matches("[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")) {
      throw new IllegalArgumentException(
          "invalid configuration publisher.cloudfront.domain: '"
              + domain
              + "' is not a host name (give e.g. d111111abcdef8.cloudfront.net, without https://)");
    }
    return domain.toLowerCase(java.util.Locale.ROOT);
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
