package io.chainsnap.archive.signing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * {@code keys.json} beside {@code index.json}: the public keys the publisher signs with. It is not
 * a trust anchor: a reader accepts from it only keys whose fingerprint it has pinned ({@link
 * #matching}); a key's {@code keyId} is recomputed from its bytes, never taken as written.
 *
 * @param formatVersion version of this document, {@value #FORMAT_VERSION}
 * @param keys the signing keys (two during a rotation)
 */
public record PublishedKeys(int formatVersion, List<Key> keys) {

  /** The version of {@code keys.json} this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  /** The file name beside {@code index.json}. */
  public static final String FILE_NAME = "keys.json";

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  /**
   * One public key.
   *
   * @param keyId its fingerprint
   * @param algorithm {@value IndexSignature#ALGORITHM}
   * @param publicKey base64 of its X.509 SubjectPublicKeyInfo DER (the body of its PEM)
   */
  public record Key(String keyId, String algorithm, String publicKey) {}

  /** The document of {@code keys}. */
  public static PublishedKeys of(Collection<PublicKey> keys) {
    List<Key> list = new ArrayList<>();
    for (PublicKey k : keys) {
      list.add(
          new Key(
              Ed25519Keys.fingerprint(k),
              IndexSignature.ALGORITHM,
              Base64.getEncoder().encodeToString(k.getEncoded())));
    }
    return new PublishedKeys(FORMAT_VERSION, List.copyOf(list));
  }

  /** Indented JSON, UTF-8. */
  public byte[] toJson() {
    try {
      return MAPPER.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise " + FILE_NAME, e);
    }
  }

  /** Reads {@code keys.json}, refusing unknown versions. */
  public static PublishedKeys read(byte[] json) {
    try {
      JsonNode tree = MAPPER.readTree(json);
      if (tree == null || !tree.isObject()) {
        throw malformed("is not a JSON object");
      }
      JsonNode v = tree.get("formatVersion");
      if (v == null || !v.isIntegralNumber() || v.intValue() != FORMAT_VERSION) {
        throw malformed("has unsupported formatVersion " + tree.path("formatVersion"));
      }
      PublishedKeys keys = MAPPER.treeToValue(tree, PublishedKeys.class);
      if (keys.keys() == null) {
        throw malformed("has no keys list");
      }
      return keys;
    } catch (IOException e) {
      throw malformed("cannot be read: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  /**
   * The keys of this document whose fingerprint, computed from the key bytes, is one of {@code
   * fingerprints}; entries that are not Ed25519 keys are skipped.
   */
  public List<PublicKey> matching(Set<String> fingerprints) {
    List<PublicKey> out = new ArrayList<>();
    for (Key k : keys) {
      if (k == null || k.publicKey() == null || !IndexSignature.ALGORITHM.equals(k.algorithm())) {
        continue;
      }
      PublicKey key;
      try {
        key = Ed25519Keys.publicKey(Base64.getDecoder().decode(k.publicKey()), FILE_NAME + " key");
      } catch (IllegalArgumentException | SignatureCheckException e) {
        continue;
      }
      if (fingerprints.contains(Ed25519Keys.fingerprint(key))) {
        out.add(key);
      }
    }
    return out;
  }

  private static SignatureCheckException malformed(String what) {
    return new SignatureCheckException(
        SignatureCheckException.Reason.MALFORMED, FILE_NAME + " " + what);
  }
}
