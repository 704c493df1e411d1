package io.chainsnap.chain;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Deterministic block hashes for fixtures, printed the way each chain prints them: 32 bytes from
 * SHA-256 of a seed, as lower/upper-case hex, {@code 0x} hex, base58 (NEAR) or base58check with a
 * prefix (Tezos {@code B...}).
 */
public final class FixtureHashes {
  private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

  /** Tezos' base58check prefix of block hashes: 32 bytes become {@code B} + 50 characters. */
  public static final byte[] TEZOS_BLOCK = {1, 52};

  private FixtureHashes() {}

  public static byte[] bytes(String seed) {
    return sha256(seed.getBytes(StandardCharsets.UTF_8));
  }

  public static String hex(String seed) {
    return HexFormat.of().formatHex(bytes(seed));
  }

  /** Base58 (Bitcoin alphabet), leading zero bytes as {@code 1}. */
  public static String base58(byte[] data) {
    StringBuilder text = new StringBuilder();
    BigInteger value = new BigInteger(1, data);
    BigInteger base = BigInteger.valueOf(58);
    while (value.signum() > 0) {
      BigInteger[] divided = value.divideAndRemainder(base);
      text.append(BASE58.charAt(divided[1].intValue()));
      value = divided[0];
    }
    for (int i = 0; i < data.length && data[i] == 0; i++) {
      text.append('1');
    }
    return text.reverse().toString();
  }

  /** Base58 of prefix + payload + the first 4 bytes of double SHA-256 (Tezos' encoding). */
  public static String base58check(byte[] prefix, byte[] payload) {
    byte[] data = new byte[prefix.length + payload.length];
    System.arraycopy(prefix, 0, data, 0, prefix.length);
    System.arraycopy(payload, 0, data, prefix.length, payload.length);
    byte[] check = Arrays.copyOf(sha256(sha256(data)), 4);
    byte[] all = Arrays.copyOf(data, data.length + 4);
    System.arraycopy(check, 0, all, data.length, 4);
    return base58(all);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
