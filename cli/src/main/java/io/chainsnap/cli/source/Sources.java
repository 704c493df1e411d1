package io.chainsnap.cli.source;

import io.chainsnap.archive.restore.FileRangeSource;
import io.chainsnap.archive.restore.HttpRangeSource;
import io.chainsnap.archive.restore.RangeSource;
import io.chainsnap.archive.restore.RetryPolicy;
import io.chainsnap.archive.restore.SourceNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.RequestPayer;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Opens archives as {@link RangeSource}s and reads small documents (index.json, snapshot.json). */
public final class Sources implements AutoCloseable {

  /** Largest document read whole (an index of thousands of snapshots is far smaller). */
  static final int MAX_DOCUMENT = 64 << 20;

  private final S3Access s3;
  private final RetryPolicy retry;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(15))
          .followRedirects(HttpClient.Redirect.NORMAL)
          .build();

  public Sources(S3Settings s3, RetryPolicy retry) {
    this.s3 = new S3Access(s3);
    this.retry = retry;
  }

  /** A range source on {@code location} (an archive). */
  public RangeSource open(Location location) throws IOException {
    return switch (location.kind()) {
      case HTTP -> HttpRangeSource.builder(location.uri()).retry(retry).build();
      case FILE -> FileRangeSource.open(location.path());
      case S3 -> new S3RangeSource(s3, location.bucket(), location.key(), retry);
    };
  }

  /**
   * Reads a whole document.
   *
   * @throws SourceNotFoundException when it does not exist
   * @throws IOException when it cannot be read (after retries)
   */
  public byte[] read(Location location) throws IOException {
    return switch (location.kind()) {
      case FILE -> {
        try {
          if (Files.size(location.path()) > MAX_DOCUMENT) {
            throw new IOException(location + " is larger than " + MAX_DOCUMENT + " bytes");
          }
          yield Files.readAllBytes(location.path());
        } catch (NoSuchFileException e) {
          throw new SourceNotFoundException("no such file: " + location);
        }
      }
      case HTTP -> retry.run("GET " + location, () -> readHttp(location.uri()));
      case S3 -> retry.run("GET " + location, () -> readS3(location));
    };
  }

  private byte[] readHttp(URI uri) throws IOException {
    HttpResponse<byte[]> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(uri)
                  .GET()
                  .timeout(Duration.ofSeconds(60))
                  .header("User-Agent", "chainsnap")
                  .header("Cache-Control", "no-cache")
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted: GET " + uri);
    }
    int status = response.statusCode();
    if (status == 200) {
      if (response.body().length > MAX_DOCUMENT) {
        throw new RetryPolicy.Permanent(
            new IOException(uri + " is larger than " + MAX_DOCUMENT + " bytes"));
      }
      return response.body();
    }
    if (status == 404 || status == 410 || status == 401 || status == 403) {
      throw new SourceNotFoundException(uri + " answered HTTP " + status);
    }
    if (status == 408 || status == 429 || status >= 500) {
      throw new IOException(uri + " answered HTTP " + status);
    }
    throw new RetryPolicy.Permanent(new IOException(uri + " answered HTTP " + status));
  }

  private byte[] readS3(Location location) throws IOException {
    GetObjectRequest.Builder b =
        GetObjectRequest.builder().bucket(location.bucket()).key(location.key());
    if (s3.settings().requesterPays()) {
      b.requestPayer(RequestPayer.REQUESTER);
    }
    try {
      ResponseBytes<GetObjectResponse> bytes = s3.client().getObjectAsBytes(b.build());
      return bytes.asByteArray();
    } catch (NoSuchKeyException | NoSuchBucketException e) {
      throw new SourceNotFoundException(location + ": " + e.awsErrorDetails().errorMessage());
    } catch (S3Exception e) {
      if (e.statusCode() == 404 || e.statusCode() == 403) {
        throw new SourceNotFoundException(location + " answered HTTP " + e.statusCode());
      }
      if (e.statusCode() >= 500 || e.statusCode() == 429) {
        throw new IOException(location + ": " + e.getMessage(), e);
      }
      throw new RetryPolicy.Permanent(new IOException(location + ": " + e.getMessage(), e));
    } catch (SdkClientException e) {
      throw new IOException(location + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    s3.close();
  }
}
