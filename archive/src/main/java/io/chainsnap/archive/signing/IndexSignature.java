package io.chainsnap.archive.signing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code index.json.sig}: detached Ed25519 signatures over the exact bytes of {@code index.json},
 * one per signing key (two during a key rotation), with the SHA-256 of those bytes so that a reader
 * tells an index and signature of different versions (read during an update: read both again) from
 * a forged signature.
 *
 * @param formatVersion version of this document, {@value #FORMAT_VERSION}
 * @param indexSha256 hex SHA-256 of the signed {@code index.json} bytes
 * @param sequence the {@code sequence} of the signed index (informative; the signed value is the
 *     one inside the index)
 * @param signatures one per key, at least one
 */
public record IndexSignature(
    int formatVersion, String indexSha256, long sequence, List<Entry> signatures) {

  /** The version of {@code index.json.sig} this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  /** The file name beside {@code index.json}. */
  public static final String FILE_NAME = "index.json.sig";

  /** The {@code algorithm} of every signature. */
  public static final String ALGORITHM = "ed25519";

  /** Largest signature document read (a few hundred bytes per signature). */
  public static final int MAX_BYTES = 64 * 1024;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  /**
   * One signature.
   *
   * @param keyId fingerprint of the public key that verifies it ({@link Ed25519Keys#fingerprint})
   * @param algorithm {@value IndexSignature#ALGORITHM}
   * @param signature base64 (standard alphabet, padded) of the 64-byte Ed25519 signature
   */
  public record Entry(String keyId, String algorithm, String signature) {}

  /** Signs {@code index} (the exact bytes published) with every key of {@code keys}. */
  public static IndexSignature sign(byte[] index, long sequence, List<SigningKey> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no signing key");
    }
    List<Entry> entries = new ArrayList<>();
    for (SigningKey key : keys) {
      entries.add(
          new Entry(key.keyId(), ALGORITHM, Base64.getEncoder().encodeToString(key.sign(index))));
    }
    return new IndexSignature(FORMAT_VERSION, sha256(index), sequence, List.copyOf(entries));
  }

  /** Indented JSON, UTF-8. */
  public byte[] toJson() {
    try {
      return MAPPER.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise " + FILE_NAME, e);
    }
  }

  /** Reads a signature document, refusing unknown versions and malformed signatures. */
  public static IndexSignature read(byte[] json) {
    if (json.length > MAX_BYTES) {
      throw malformed("is larger than " + MAX_BYTES + " bytes");
    }
    IndexSignature doc;
    try {
      JsonNode tree = MAPPER.readTree(json);
      if (tree == null || !tree.isObject()) {
        throw malformed("is not a JSON object");
      }
      JsonNode version = tree.get("formatVersion");
      if (version == null
          || !version.isIntegralNumber()
          || !version.canConvertToInt()
          || version.intValue() != FORMAT_VERSION) {
        throw malformed(
            "has unsupported formatVersion "
                + tree.path("formatVersion")
                + " (this reader knows only "
                + FORMAT_VERSION
                + "); upgrade chainsnap");
      }
      doc = MAPPER.treeToValue(tree, IndexSignature.class);
    } catch (IOException e) {
      throw malformed(
          "cannot be read: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
    if (doc.indexSha256() == null || !doc.indexSha256().matches("[0-9a-f]{64}")) {
      throw malformed("has no indexSha256 (64 lower-case hex digits)");
    }
    if (doc.signatures() == null || doc.signatures().isEmpty()) {
      throw malformed("holds no signatures");
    }
    for (int i = 0; i < doc.signatures().size(); i++) {
      Entry e = doc.signatures().get(i);
      if (e == null || e.keyId() == null || e.signature() == null) {
        throw malformed("signatures[" + i + "] lacks keyId or signature");
      }
      if (!ALGORITHM.equals(e.algorithm())) {
        throw malformed("signatures[" + i + "] has unknown algorithm '" + e.algorithm() + "'");
      }
      try {
        if (Base64.getDecoder().decode(e.signature()).length != 64) {
          throw malformed("signatures[" + i + "] is not 64 bytes");
        }
      } catch (IllegalArgumentException x) {
        throw malformed("signatures[" + i + "] is not base64");
      }
    }
    return doc;
  }

  /**
   * Verifies {@code index} (the bytes read) against the signature document {@code signatureJson}
   * and returns the key id of the trusted key whose signature verifies.
   *
   * @throws SignatureCheckException {@link SignatureCheckException.Reason#MALFORMED} for an
   *     unreadable document, {@code MISMATCH} when it signs other bytes, {@code UNTRUSTED} when no
   *     signature is by a trusted key, {@code INVALID} when a trusted key's signature fails
   */
  public static String verify(byte[] index, byte[] signatureJson, Collection<PublicKey> trusted) {
    IndexSignature doc = read(signatureJson);
    String actual = sha256(index);
    if (!doc.indexSha256().equals(actual)) {
      throw new SignatureCheckException(
          SignatureCheckException.Reason.MISMATCH,
          FILE_NAME
              + " signs other bytes (index sequence "
              + doc.sequence()
              + ", SHA-256 "
              + doc.indexSha256()
              + ") than the index.json read (SHA-256 "
              + actual
              + "): the index was changed after signing, or was being updated");
    }
    Map<String, PublicKey> byId = new LinkedHashMap<>();
    for (PublicKey key : trusted) {
      byId.put(Ed25519Keys.fingerprint(key), key);
    }
    List<String> present = new ArrayList<>();
    boolean trustedSigned = false;
    for (Entry e : doc.signatures()) {
      present.add(e.keyId());
      PublicKey key = byId.get(e.keyId());
      if (key == null) {
        continue;
      }
      trustedSigned = true;
      if (verifies(key, index, Base64.getDecoder().decode(e.signature()))) {
        return e.keyId();
      }
    }
    if (trustedSigned) {
      throw new SignatureCheckException(
          SignatureCheckException.Reason.INVALID,
          "the signature of index.json by trusted key "
              + String.join(", ", present.stream().filter(byId::containsKey).toList())
              + " does not verify: the index or its signature was altered");
    }
    throw new SignatureCheckException(
        SignatureCheckException.Reason.UNTRUSTED,
        "index.json is signed by "
            + String.join(", ", present)
            + ", none of them a trusted key ("
            + (byId.isEmpty() ? "none" : String.join(", ", byId.keySet()))
            + ")");
  }

  private static boolean verifies(PublicKey key, byte[] data, byte[] signature) {
    try {
      Signature s = Signature.getInstance(Ed25519Keys.ALGORITHM);
      s.initVerify(key);
      s.update(data);
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // a malformed signature value is a failed signature
    }
  }

  /** Lower-case hex SHA-256 of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static SignatureCheckException malformed(String what) {
    return new SignatureCheckException(
        SignatureCheckException.Reason.MALFORMED, FILE_NAME + " " + what);
  }
}
