package io.chainsnap.publisher;

import io.chainsnap.archive.signing.Ed25519Keys;
import io.chainsnap.archive.signing.SigningKey;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;

/**
 * A fresh Ed25519 key for the publisher under test, as a PKCS#8 PEM file the way an operator
 * provides it ({@code publisher.signing.key-file}); the test reads the public key from here.
 */
public class SigningKeyResource implements QuarkusTestResourceLifecycleManager {
  private static volatile SigningKey key;
  private Path dir;

  /** The key the publisher signs with. */
  public static SigningKey key() {
    return key;
  }

  @Override
  public Map<String, String> start() {
    try {
      dir = Files.createTempDirectory("chainsnap-signing-");
      KeyPair pair = Ed25519Keys.generate();
      Path file = dir.resolve("index-signing.key");
      Files.writeString(file, Ed25519Keys.privatePem(pair.getPrivate()));
      key = SigningKey.of(Ed25519Keys.readPrivateKey(file));
      return Map.of(
          "publisher.signing.key-file", file.toString(), "publisher.signing.validity", "P7D");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void stop() {
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
