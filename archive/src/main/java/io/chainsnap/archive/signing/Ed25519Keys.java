package io.chainsnap.archive.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ed25519 keys as files and fingerprints. Private keys are PKCS#8 PEM ({@code -----BEGIN PRIVATE
 * KEY-----}, as {@code openssl genpkey -algorithm ed25519} writes them), public keys X.509
 * SubjectPublicKeyInfo PEM ({@code -----BEGIN PUBLIC KEY-----}).
 *
 * <p>A key's fingerprint (its key id) is {@code ed25519:} followed by the lower-case hex of the
 * first 16 bytes of the SHA-256 of its SubjectPublicKeyInfo DER: {@code openssl pkey -pubin -in
 * key.pub -outform DER | sha256sum | cut -c1-32} gives the same hex.
 */
public final class Ed25519Keys {

  /** The JCA algorithm name. */
  public static final String ALGORITHM = "Ed25519";

  /** The prefix of every fingerprint. */
  public static final String FINGERPRINT_PREFIX = "ed25519:";

  /** Bytes of the SHA-256 of the SPKI DER kept in a fingerprint. */
  public static final int FINGERPRINT_BYTES = 16;

  /** A fingerprint: the prefix and 32 lower-case hex digits. */
  public static final Pattern FINGERPRINT =
      Pattern.compile("ed25519:[0-9a-f]{" + 2 * FINGERPRINT_BYTES + "}");

  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

  private Ed25519Keys() {}

  /** A new key pair. */
  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no Ed25519: " + e.getMessage(), e);
    }
  }

  /** The fingerprint of {@code key}: {@code ed25519:} and 32 hex digits. */
  public static String fingerprint(PublicKey key) {
    try {
      byte[] sha = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
      return FINGERPRINT_PREFIX + HexFormat.of().formatHex(sha, 0, FINGERPRINT_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether {@code text} is a fingerprint (case-insensitive hex). */
  public static boolean isFingerprint(String text) {
    return text != null && FINGERPRINT.matcher(text.strip().toLowerCase(Locale.ROOT)).matches();
  }

  /**
   * The public key of an Ed25519 private key. The JDK has no direct call for it, but its key pair
   * generator derives the public key from 32 random bytes, the private key itself: given exactly
   * those bytes it yields this key's pair.
   */
  public static PublicKey publicKeyOf(PrivateKey key) {
    if (!(key instanceof EdECPrivateKey ed)
        || !ALGORITHM.equalsIgnoreCase(ed.getParams().getName())) {
      throw new SignatureCheckException(
          SignatureCheckException.Reason.MALFORMED, "not an Ed25519 private key");
    }
    byte[] seed =
        ed.getBytes()
            .orElseThrow(
                () ->
                    new SignatureCheckException(
                        SignatureCheckException.Reason.MALFORMED, "the private key has no bytes"));
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(ALGORITHM);
      g.initialize(NamedParameterSpec.ED25519, new SeedRandom(seed));
      byte[] expected = seed.clone();
      KeyPair pair = g.generateKeyPair();
      byte[] derived = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElse(new byte[0]);
      boolean same = Arrays.equals(derived, expected);
      Arrays.fill(expected, (byte) 0);
      Arrays.fill(derived, (byte) 0);
      if (!same) {
        throw new IllegalStateException("cannot derive the Ed25519 public key on this JVM");
      }
      return pair.getPublic();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no Ed25519: " + e.getMessage(), e);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /** Hands out the given bytes instead of random ones (for {@link #publicKeyOf} only). */
  private static final class SeedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final transient byte[] seed;

    SeedRandom(byte[] seed) {
      this.seed = seed;
    }

    @Override
    public void nextBytes(byte[] bytes) {
      if (bytes.length != seed.length) {
        throw new IllegalStateException("unexpected request for " + bytes.length + " bytes");
      }
      System.arraycopy(seed, 0, bytes, 0, bytes.length);
    }
  }

  /** PKCS#8 PEM of a private key. */
  public static String privatePem(PrivateKey key) {
    return pem("PRIVATE KEY", key.getEncoded());
  }

  /** SubjectPublicKeyInfo PEM of a public key. */
  public static String publicPem(PublicKey key) {
    return pem("PUBLIC KEY", key.getEncoded());
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  /** Reads a PKCS#8 PEM private key file. */
  public static PrivateKey readPrivateKey(Path file) throws IOException {
    return privateKey(pemBody(read(file), "PRIVATE KEY", file.toString()), file.toString());
  }

  /** Reads a SubjectPublicKeyInfo PEM public key file. */
  public static PublicKey readPublicKey(Path file) throws IOException {
    return publicKeyPem(read(file), file.toString());
  }

  /** A public key from PEM text; {@code what} names it in errors. */
  public static PublicKey publicKeyPem(String pem, String what) {
    return publicKey(pemBody(pem, "PUBLIC KEY", what), what);
  }

  /** A public key from its SubjectPublicKeyInfo DER; {@code what} names it in errors. */
  public static PublicKey publicKey(byte[] der, String what) {
    try {
      PublicKey key = KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
      return key;
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new SignatureCheckException(
          SignatureCheckException.Reason.MALFORMED, what + " is not an Ed25519 public key", e);
    }
  }

  private static PrivateKey privateKey(byte[] der, String what) {
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new SignatureCheckException(
          SignatureCheckException.Reason.MALFORMED,
          what + " is not an Ed25519 private key (PKCS#8 PEM, BEGIN PRIVATE KEY)",
          e);
    }
  }

  private static String read(Path file) throws IOException {
    try {
      if (Files.size(file) > 64 * 1024) {
        throw new SignatureCheckException(
            SignatureCheckException.Reason.MALFORMED, file + " is too large for a PEM key file");
      }
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file + ": no such key file");
    } catch (java.nio.charset.MalformedInputException e) {
      throw new SignatureCheckException(
          SignatureCheckException.Reason.MALFORMED, file + " is not a PEM file (not ASCII)");
    }
  }

  private static byte[] pemBody(String text, String type, String what) {
    Matcher m = PEM.matcher(text);
    while (m.find()) {
      if (m.group(1).equals(type)) {
        try {
          return Base64.getMimeDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
          throw new SignatureCheckException(
              SignatureCheckException.Reason.MALFORMED, what + ": bad base64 in the PEM block");
        }
      }
    }
    throw new SignatureCheckException(
        SignatureCheckException.Reason.MALFORMED,
        what + " holds no '-----BEGIN " + type + "-----' block");
  }
}
