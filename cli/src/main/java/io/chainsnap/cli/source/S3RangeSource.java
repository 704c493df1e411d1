package io.chainsnap.cli.source;

import io.chainsnap.archive.restore.RangeSource;
import io.chainsnap.archive.restore.RetryPolicy;
import io.chainsnap.archive.restore.SourceNotFoundException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.RequestPayer;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A {@link RangeSource} on an S3 object: ranged {@code GetObject} (one per chunk, in parallel),
 * with the requester-pays header when asked. The SDK retries throttling and 5xx on the request;
 * this class also retries a body that breaks off mid-way ({@link RetryPolicy}).
 */
public final class S3RangeSource implements RangeSource {

  private static final int SLICE = 1 << 16;

  private final S3Access s3;
  private final String bucket;
  private final String key;
  private final RetryPolicy retry;

  public S3RangeSource(S3Access s3, String bucket, String key, RetryPolicy retry) {
    this.s3 = s3;
    this.bucket = bucket;
    this.key = key;
    this.retry = retry;
  }

  @Override
  public long size() throws IOException {
    return retry.run(
        "HEAD " + describe(),
        () ->
            call(
                () -> {
                  HeadObjectRequest.Builder b = HeadObjectRequest.builder().bucket(bucket).key(key);
                  if (s3.settings().requesterPays()) {
                    b.requestPayer(RequestPayer.REQUESTER);
                  }
                  return s3.client().headObject(b.build()).contentLength();
                }));
  }

  @Override
  public void read(long offset, byte[] buffer, int bufferOffset, int length, Transfer transfer)
      throws IOException {
    long last = offset + length - 1;
    retry.run(
        "GET " + describe() + " bytes " + offset + "-" + last,
        () -> {
          GetObjectRequest.Builder b =
              GetObjectRequest.builder()
                  .bucket(bucket)
                  .key(key)
                  .range("bytes=" + offset + "-" + last);
          if (s3.settings().requesterPays()) {
            b.requestPayer(RequestPayer.REQUESTER);
          }
          try (ResponseInputStream<GetObjectResponse> in =
              call(() -> s3.client().getObject(b.build()))) {
            Long declared = in.response().contentLength();
            if (declared != null && declared != length) {
              throw new RetryPolicy.Permanent(
                  new EOFException(
                      describe()
                          + " answered "
                          + declared
                          + " bytes to a request for bytes "
                          + offset
                          + "-"
                          + last
                          + " (object shorter than expected?)"));
            }
            copy(in, buffer, bufferOffset, length, transfer);
          }
          return null;
        });
  }

  private void copy(InputStream in, byte[] buffer, int offset, int length, Transfer transfer)
      throws IOException {
    int done = 0;
    while (done < length) {
      int n = in.read(buffer, offset + done, Math.min(SLICE, length - done));
      if (n < 0) {
        throw new IOException(
            describe() + ": body ended after " + done + " of " + length + " bytes");
      }
      done += n;
      transfer.arrived(n);
    }
  }

  /** An SDK call with its exceptions mapped to the source's contract. */
  private <T> T call(SdkCall<T> call) throws IOException {
    try {
      return call.run();
    } catch (NoSuchKeyException | NoSuchBucketException e) {
      throw new SourceNotFoundException(describe() + ": " + e.awsErrorDetails().errorMessage());
    } catch (S3Exception e) {
      int status = e.statusCode();
      if (status == 404 || status == 403) {
        throw new SourceNotFoundException(
            describe() + " answered HTTP " + status + (status == 403 ? " (access denied)" : ""));
      }
      if (status == 416) {
        throw new RetryPolicy.Permanent(
            new EOFException(describe() + ": range beyond the end of the object (HTTP 416)"));
      }
      if (status >= 500 || status == 429 || status == 408) {
        throw new IOException(describe() + ": " + e.getMessage(), e);
      }
      throw new RetryPolicy.Permanent(new IOException(describe() + ": " + e.getMessage(), e));
    } catch (SdkClientException e) {
      throw S3Errors.of(describe(), e);
    }
  }

  @FunctionalInterface
  private interface SdkCall<T> {
    T run() throws IOException;
  }

  @Override
  public String describe() {
    return "s3://" + bucket + "/" + key;
  }

  @Override
  public void close() {
    // the S3 client belongs to the command (S3Access)
  }
}
