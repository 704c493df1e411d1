package io.chainsnap.archive.signing;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/**
 * A private Ed25519 key with its public key and key id ({@link Ed25519Keys#fingerprint}).
 *
 * @param privateKey signs
 * @param publicKey verifies, published in {@code keys.json}
 * @param keyId the public key's fingerprint
 */
public record SigningKey(PrivateKey privateKey, PublicKey publicKey, String keyId) {

  /** The key of {@code privateKey}, its public key derived from it. */
  public static SigningKey of(PrivateKey privateKey) {
    PublicKey pub = Ed25519Keys.publicKeyOf(privateKey);
    return new SigningKey(privateKey, pub, Ed25519Keys.fingerprint(pub));
  }

  /** The Ed25519 signature of {@code bytes}. */
  public byte[] sign(byte[] bytes) {
    try {
      Signature s = Signature.getInstance(Ed25519Keys.ALGORITHM);
      s.initSign(privateKey);
      s.update(bytes);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "SigningKey[" + keyId + "]"; // never the private key
  }
}
