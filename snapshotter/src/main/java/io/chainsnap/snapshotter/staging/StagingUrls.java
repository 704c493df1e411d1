package io.chainsnap.snapshotter.staging;

import io.chainsnap.snapshotter.config.SnapshotterConfig;
import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The URLs under which staged files are served to the publisher (the claim check), signed so that
 * only holders of an announced URL can fetch: {@code ?expires=<epoch s>&signature=<hex>}, the
 * signature an HMAC-SHA256 over the path and the expiry.
 */
@ApplicationScoped
public class StagingUrls {
  private final SnapshotterConfig config;
  private final byte[] secret;

  public StagingUrls(SnapshotterConfig config) {
    this.config = config;
    this.secret =
        config
            .staging()
            .urlSecret()
            .map(s -> s.getBytes(StandardCharsets.UTF_8))
            .orElseGet(
                () -> {
                  byte[] random = new byte[32];
                  new SecureRandom().nextBytes(random);
                  return random;
                });
  }

  /** Signed URL of {@code file} of snapshot {@code snapshotId}. */
  public String url(String snapshotId, String file) {
    String path = "/" + snapshotId + "/" + file;
    long expires = Instant.now().plus(config.staging().urlTtl()).getEpochSecond();
    return base() + path + "?expires=" + expires + "&signature=" + sign(path, expires);
  }

  /** True if {@code signature} is ours for {@code path} (below /staging) and not expired. */
  public boolean valid(String path, String expires, String signature) {
    if (expires == null || signature == null) {
      return false;
    }
    long when;
    try {
      when = Long.parseLong(expires);
    } catch (NumberFormatException e) {
      return false;
    }
    if (when < Instant.now().getEpochSecond()) {
      return false;
    }
    return MessageDigest.isEqual(
        sign(path, when).getBytes(StandardCharsets.US_ASCII),
        signature.getBytes(StandardCharsets.US_ASCII));
  }

  private String sign(String path, long expires) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return HexFormat.of()
          .formatHex(mac.doFinal((path + "\n" + expires).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private String base() {
    return config
        .staging()
        .baseUrl()
        .map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url)
        .orElseGet(
            () -> {
              // read late: with port 0 the real port is only known once the server listens
              String property =
                  LaunchMode.current() == LaunchMode.TEST
                      ? "quarkus.http.test-port"
                      : "quarkus.http.port";
              int port =
                  ConfigProvider.getConfig().getOptionalValue(property, Integer.class).orElse(8080);
              return "http://127.0.0.1:" + port + "/staging";
            });
  }
}
