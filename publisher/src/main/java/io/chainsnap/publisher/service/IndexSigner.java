package io.chainsnap.publisher.service;

import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.archive.signing.Ed25519Keys;
import io.chainsnap.archive.signing.IndexSignature;
import io.chainsnap.archive.signing.PublishedKeys;
import io.chainsnap.archive.signing.SignatureCheckException;
import io.chainsnap.archive.signing.SigningKey;
import io.chainsnap.publisher.config.SigningConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Issues indexes: stamps {@code issuedAt}/{@code expiresAt} and signs the exact bytes with every
 * configured key ({@code publisher.signing.key-file}, and {@code next-key-file} during a rotation).
 * Without a key the indexes are written unsigned (no {@code expiresAt}), with a warning at
 * start-up. Keys are read once, at start-up; a key that cannot be read stops the start.
 */
@ApplicationScoped
public class IndexSigner {
  private static final Logger LOG = Logger.getLogger(IndexSigner.class);

  private final List<SigningKey> keys;
  private final Duration validity;

  /** An index as it is written: its bytes and, when signed, {@code index.json.sig}. */
  public record Issued(SnapshotIndex index, byte[] bytes, Optional<byte[]> signature) {}

  @Inject
  public IndexSigner(SigningConfig config) {
    this(load(config), config.validity());
    if (config.checkInterval().isNegative()
        || config.checkInterval().isZero()
        || config.checkInterval().compareTo(config.validity().dividedBy(2)) >= 0) {
      throw new IllegalArgumentException(
          "publisher.signing.check-interval ("
              + config.checkInterval()
              + ") must be positive and less than half of publisher.signing.validity ("
              + config.validity()
              + ")");
    }
    if (keys.isEmpty()) {
      LOG.warn(
          "index signing is OFF: no publisher.signing.key-file, index.json is published UNSIGNED"
              + " and clients must pass --allow-unsigned to read it. Generate a key with"
              + " 'chainsnap keygen' (see docs/runbook.md).");
    } else {
      for (SigningKey k : keys) {
        LOG.infof("signing index.json with key %s (valid %s per issue)", k.keyId(), validity);
      }
    }
  }

  /** A signer with {@code keys} (none: unsigned) whose indexes are valid for {@code validity}. */
  public IndexSigner(List<SigningKey> keys, Duration validity) {
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException(
          "publisher.signing.validity must be positive, not " + validity);
    }
    this.keys = List.copyOf(keys);
    this.validity = validity;
  }

  /** A signer that signs nothing. */
  public static IndexSigner unsigned() {
    return new IndexSigner(List.of(), Duration.ofDays(7));
  }

  private static List<SigningKey> load(SigningConfig config) {
    if (config.keyFile().isEmpty() && config.nextKeyFile().isPresent()) {
      throw new IllegalArgumentException(
          "publisher.signing.next-key-file is set without publisher.signing.key-file");
    }
    List<SigningKey> keys = new ArrayList<>();
    config.keyFile().ifPresent(p -> keys.add(read("publisher.signing.key-file", p)));
    config.nextKeyFile().ifPresent(p -> keys.add(read("publisher.signing.next-key-file", p)));
    if (keys.size() == 2 && keys.get(0).keyId().equals(keys.get(1).keyId())) {
      throw new IllegalArgumentException(
          "publisher.signing.key-file and next-key-file are the same key " + keys.get(0).keyId());
    }
    return keys;
  }

  private static SigningKey read(String property, Path file) {
    try {
      return SigningKey.of(Ed25519Keys.readPrivateKey(file));
    } catch (IOException | SignatureCheckException e) {
      throw new IllegalArgumentException(
          property + ": cannot read " + file + ": " + e.getMessage());
    }
  }

  /** Whether indexes are signed. */
  public boolean enabled() {
    return !keys.isEmpty();
  }

  /** The signing keys (none when unsigned). */
  public List<SigningKey> keys() {
    return keys;
  }

  /** How long an index is valid once issued. */
  public Duration validity() {
    return validity;
  }

  /**
   * {@code index} issued at {@code now}: valid until {@code now} + validity when signed, with the
   * signature of its exact bytes.
   */
  public Issued issue(SnapshotIndex index, Instant now) {
    if (!enabled()) {
      SnapshotIndex unsigned = index.issued(index.sequence(), now, null);
      return new Issued(unsigned, unsigned.toJson(), Optional.empty());
    }
    SnapshotIndex stamped = index.issued(index.sequence(), now, now.plus(validity));
    byte[] bytes = stamped.toJson();
    byte[] sig = IndexSignature.sign(bytes, stamped.sequence(), keys).toJson();
    return new Issued(stamped, bytes, Optional.of(sig));
  }

  /**
   * Whether {@code index} must be re-issued at {@code now}: signing is on and the index is
   * unsigned, or less than half of its validity is left.
   */
  public boolean due(SnapshotIndex index, Instant now) {
    if (!enabled()) {
      return false;
    }
    if (index.expiresAt() == null) {
      return true;
    }
    return !now.isBefore(index.expiresAt().minus(validity.dividedBy(2)));
  }

  /** {@code keys.json} of the signing keys. */
  public byte[] keysJson() {
    return PublishedKeys.of(keys.stream().map(SigningKey::publicKey).toList()).toJson();
  }
}
