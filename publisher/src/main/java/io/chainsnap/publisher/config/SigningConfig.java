package io.chainsnap.publisher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Signing of {@code index.json} ({@code publisher.signing.*}). Without a key file the publisher
 * writes unsigned indexes and warns at start-up.
 */
@ConfigMapping(prefix = "publisher.signing")
public interface SigningConfig {

  /**
   * The Ed25519 private key, PKCS#8 PEM ({@code chainsnap keygen} or {@code openssl genpkey
   * -algorithm ed25519}); for example a Kubernetes secret mounted as a file. Empty: unsigned.
   */
  Optional<Path> keyFile();

  /**
   * A second private key that signs too (key rotation: both signatures in {@code index.json.sig}
   * and both public keys in {@code keys.json} until clients trust the new one).
   */
  Optional<Path> nextKeyFile();

  /**
   * How long a signed index is valid ({@code expiresAt} = issue time + this). Clients refuse an
   * expired index, so the publisher re-issues each index when half of this has passed.
   */
  @WithDefault("P7D")
  Duration validity();

  /** How often the publisher looks for indexes to re-issue; less than half of the validity. */
  @WithDefault("PT10M")
  Duration checkInterval();
}
