package io.chainsnap.domain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256, the one digest of chainsnap's formats: new digests and lower-case hex. */
public final class Sha256 {
  /** 64 lower-case hex digits, as every format writes a SHA-256. */
  public static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  private Sha256() {}

  /** A fresh SHA-256 digest (every Java runtime has one). */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java runtime has no SHA-256", e);
    }
  }

  /** The SHA-256 of {@code bytes}, lower-case hex. */
  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(newDigest().digest(bytes));
  }

  /** Lower-case hex of a finished digest. */
  public static String toHex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }
}
