package io.chainsnap.archive.restore;

import io.chainsnap.domain.Sha256;
import java.security.MessageDigest;

/** The whole-archive SHA-256, resumable ({@link Sha256Midstate}) or not (the plain JDK digest). */
abstract class WholeHash {

  abstract void update(byte[] b, int off, int len);

  /** The state to resume from, or {@code null} when not resumable. */
  abstract String export();

  abstract String hex();

  /** Bytes hashed so far (-1 if unknown). */
  long length() {
    return -1;
  }

  /** A fresh hash; resumable ones can export their state after each chunk. */
  static WholeHash create(boolean resumable) {
    if (resumable) {
      return new Resumable(Sha256Midstate.create());
    }
    return new Plain(Sha256.newDigest());
  }

  /** A hash continuing from an exported state. */
  static WholeHash resume(String state) {
    return new Resumable(Sha256Midstate.restore(state));
  }

  private static final class Resumable extends WholeHash {
    private final Sha256Midstate digest;

    Resumable(Sha256Midstate digest) {
      this.digest = digest;
    }

    @Override
    void update(byte[] b, int off, int len) {
      digest.update(b, off, len);
    }

    @Override
    String export() {
      return digest.export();
    }

    @Override
    String hex() {
      return digest.hex();
    }

    @Override
    long length() {
      return digest.length();
    }
  }

  private static final class Plain extends WholeHash {
    private final MessageDigest digest;

    Plain(MessageDigest digest) {
      this.digest = digest;
    }

    @Override
    void update(byte[] b, int off, int len) {
      digest.update(b, off, len);
    }

    @Override
    String export() {
      return null;
    }

    @Override
    String hex() {
      return Sha256.toHex(digest);
    }
  }
}
