package io.chainsnap.publisher.service;

import io.chainsnap.domain.Sha256;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * A stream that hashes (SHA-256) and counts what passes through it, so no second pass is needed.
 */
final class HashingInputStream extends FilterInputStream {
  private final MessageDigest digest = Sha256.newDigest();
  private long count;

  HashingInputStream(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      digest.update((byte) b);
      count++;
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      digest.update(buffer, offset, n);
      count += n;
    }
    return n;
  }

  /** Hex SHA-256 of everything read so far (ends the digest: call once, at the end). */
  String hex() {
    return Sha256.toHex(digest);
  }

  /** Bytes read so far. */
  long count() {
    return count;
  }
}
