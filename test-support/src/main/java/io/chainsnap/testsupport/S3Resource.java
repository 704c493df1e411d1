package io.chainsnap.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Quarkus test resource: a real s3proxy (SigV4 checked, filesystem backend) in a temporary
 * directory, exposed as {@code chainsnap.test.s3.*} properties (endpoint, access and secret key,
 * region).
 */
public class S3Resource implements QuarkusTestResourceLifecycleManager {
  private static volatile S3ProxyServer current;

  private S3ProxyServer server;
  private Path dir;

  @Override
  public Map<String, String> start() {
    try {
      dir = Files.createTempDirectory("chainsnap-s3-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server = S3ProxyServer.start(dir, 0);
    current = server;
    return Map.of(
        "chainsnap.test.s3.endpoint", server.endpoint(),
        "chainsnap.test.s3.access-key", S3ProxyServer.ACCESS_KEY,
        "chainsnap.test.s3.secret-key", S3ProxyServer.SECRET_KEY,
        "chainsnap.test.s3.region", S3ProxyServer.REGION);
  }

  @Override
  public void stop() {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      current = null;
      server = null;
      Components.deleteRecursively(dir);
    }
  }

  /** The running server (same class loader as the resource). */
  public static S3ProxyServer server() {
    S3ProxyServer server = current;
    if (server == null) {
      throw new IllegalStateException("no S3Resource server is running");
    }
    return server;
  }
}
