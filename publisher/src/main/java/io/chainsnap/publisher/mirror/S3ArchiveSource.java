package io.chainsnap.publisher.mirror;

import io.chainsnap.archive.restore.RangeSource;
import io.chainsnap.archive.restore.SourceNotFoundException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The published {@code snapshot.tar.zst} in the main bucket as a {@link RangeSource}: ranged {@code
 * GetObject}s with the publisher's own credentials (the bucket stays private behind the CDN), a
 * body that breaks off retried up to 3 times with backoff.
 */
final class S3ArchiveSource implements RangeSource {
  private static final int ATTEMPTS = 4;

  private final S3Client s3;
  private final String bucket;
  private final String key;

  S3ArchiveSource(S3Client s3, String bucket, String key) {
    this.s3 = s3;
    this.bucket = bucket;
    this.key = key;
  }

  @Override
  public long size() throws IOException {
    try {
      return s3.headObject(b -> b.bucket(bucket).key(key)).contentLength();
    } catch (NoSuchKeyException e) {
      throw new SourceNotFoundException(describe() + " does not exist");
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw new SourceNotFoundException(describe() + " does not exist");
      }
      throw new IOException(describe() + ": " + e.getMessage(), e);
    } catch (SdkClientException e) {
      throw new IOException(describe() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void read(long offset, byte[] buffer, int bufferOffset, int length, Transfer transfer)
      throws IOException {
    String range = "bytes=" + offset + "-" + (offset + length - 1);
    IOException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try (ResponseInputStream<GetObjectResponse> in =
          s3.getObject(b -> b.bucket(bucket).key(key).range(range))) {
        copy(in, buffer, bufferOffset, length, transfer);
        return;
      } catch (NoSuchKeyException e) {
        throw new SourceNotFoundException(describe() + " does not exist");
      } catch (InterruptedIOException e) {
        throw e;
      } catch (S3Exception e) {
        if (e.statusCode() == 404) {
          throw new SourceNotFoundException(describe() + " does not exist");
        }
        if (e.statusCode() == 416) {
          throw new EOFException(describe() + ": " + range + " beyond the end (HTTP 416)");
        }
        last = new IOException(describe() + " " + range + ": " + e.getMessage(), e);
        if (e.statusCode() < 500 && e.statusCode() != 429) {
          throw last;
        }
      } catch (SdkClientException | IOException e) {
        last = new IOException(describe() + " " + range + ": " + e.getMessage(), e);
      }
      try {
        Thread.sleep(500L << attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted");
      }
    }
    throw last;
  }

  private void copy(InputStream in, byte[] buffer, int offset, int length, Transfer transfer)
      throws IOException {
    int done = 0;
    while (done < length) {
      int n = in.read(buffer, offset + done, Math.min(1 << 16, length - done));
      if (n < 0) {
        throw new EOFException(describe() + ": body ended after " + done + " of " + length);
      }
      done += n;
      transfer.arrived(n);
    }
  }

  @Override
  public String describe() {
    return "s3://" + bucket + "/" + key;
  }

  @Override
  public void close() {
    // the client belongs to the mirror publisher
  }
}
