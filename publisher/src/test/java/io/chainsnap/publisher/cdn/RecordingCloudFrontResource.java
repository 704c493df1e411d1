package io.chainsnap.publisher.cdn;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;

/**
 * Test resource for {@code CloudFrontIT}: a {@link RecordingCloudFront} as the CloudFront API
 * ({@code publisher.cloudfront.endpoint-override}) and a fresh RSA 2048 key as the signed-URL key
 * (a PKCS#8 PEM file, as an operator provides it); the test reads both from here.
 */
public class RecordingCloudFrontResource implements QuarkusTestResourceLifecycleManager {
  public static final String DOMAIN = "d111111abcdef8.cloudfront.net";
  public static final String DISTRIBUTION = "EDFDVBD6EXAMPLE";
  public static final String KEY_PAIR_ID = "K2JCJMDEHXQW5F";

  private static volatile RecordingCloudFront server;
  private static volatile KeyPair keys;
  private Path dir;

  /** The running recording server. */
  public static RecordingCloudFront server() {
    return server;
  }

  /** The key pair whose private half the publisher signs URLs with. */
  public static KeyPair keys() {
    return keys;
  }

  @Override
  public Map<String, String> start() {
    try {
      dir = Files.createTempDirectory("chainsnap-cloudfront-");
      keys = CloudFrontSignatures.rsa2048();
      Path pem = CloudFrontSignatures.writePrivatePem(keys, dir.resolve("cloudfront-signing.pem"));
      server = new RecordingCloudFront();
      return Map.ofEntries(
          Map.entry("publisher.cloudfront.domain", DOMAIN),
          Map.entry("publisher.cloudfront.distribution-id", DISTRIBUTION),
          Map.entry("publisher.cloudfront.endpoint-override", server.endpoint()),
          Map.entry("publisher.cloudfront.access-key", "AKIDEXAMPLE"),
          Map.entry("publisher.cloudfront.secret-key", "cloudfront-test-secret"),
          Map.entry("publisher.cloudfront.invalidation.coalesce", "PT0.2S"),
          Map.entry("publisher.cloudfront.signed-urls.enabled", "true"),
          Map.entry("publisher.cloudfront.signed-urls.targets", "litecoin/regtest"),
          Map.entry("publisher.cloudfront.signed-urls.lifetime", "PT1H"),
          Map.entry("publisher.cloudfront.signed-urls.key-pair-id", KEY_PAIR_ID),
          Map.entry("publisher.cloudfront.signed-urls.private-key-file", pem.toString()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
    try {
      if (dir != null) {
        try (var files = Files.list(dir)) {
          for (Path p : files.toList()) {
            Files.deleteIfExists(p);
          }
        }
        Files.deleteIfExists(dir);
      }
    } catch (Exception e) {
      // a temp dir left behind
    }
  }
}
