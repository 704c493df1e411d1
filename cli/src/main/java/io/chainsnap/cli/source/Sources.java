package io.chainsnap.cli.source;

import io.chainsnap.archive.restore.FileRangeSource;
import io.chainsnap.archive.restore.HttpRangeSource;
import io.chainsnap.archive.restore.RangeSource;
import io.chainsnap.archive.restore.RetryPolicy;
import io.chainsnap.archive.restore.SourceNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.RequestPayer;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Opens archives as {@link RangeSource}s and reads small documents (index.json, snapshot.json). */
public final class Sources implements AutoCloseable {

  /**
   * Largest document read (an index of thousands of snapshots is far smaller): a longer body is
   * refused as soon as it passes this size, never buffered whole.
   */
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
      case FILE -> FileRangeSource.open(location.path()); // refuses devices, FIFOs, directories
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
      case FILE -> readFile(location);
      case HTTP -> retry.run("GET " + location, () -> readHttp(location.uri()));
      case S3 -> retry.run("GET " + location, () -> readS3(location));
    };
  }

  /** A local document: a regular file (never a device or FIFO, which could be endless). */
  private static byte[] readFile(Location location) throws IOException {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(location.path(), BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new SourceNotFoundException("no such file: " + location);
    } catch (AccessDeniedException e) {
      throw new IOException(location + ": permission denied");
    }
    if (!attrs.isRegularFile()) {
      throw new IOException(
          location + " is not a regular file (a directory, device or FIFO): refusing to read it");
    }
    if (attrs.size() > MAX_DOCUMENT) {
      throw new IOException(location + " is larger than " + MAX_DOCUMENT + " bytes");
    }
    try (InputStream in = Files.newInputStream(location.path())) {
      return readCapped(in, location.toString());
    } catch (AccessDeniedException e) {
      throw new IOException(location + ": permission denied");
    }
  }

  /**
   * Reads a stream to its end, failing as soon as it passes {@link #MAX_DOCUMENT} bytes (so a
   * hostile or endless body costs at most that much memory).
   */
  static byte[] readCapped(InputStream in, String what) throws IOException {
    byte[] bytes = in.readNBytes(MAX_DOCUMENT + 1);
    if (bytes.length > MAX_DOCUMENT) {
      throw new RetryPolicy.Permanent(
          new IOException(what + " is larger than " + MAX_DOCUMENT + " bytes: not read further"));
    }
    return bytes;
  }

  private byte[] readHttp(URI uri) throws IOException {
    HttpResponse<InputStream> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(uri)
                  .GET()
                  .timeout(Duration.ofSeconds(60))
                  .header("User-Agent", "chainsnap")
                  .header("Cache-Control", "no-cache")
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted: GET " + uri);
    } catch (IOException e) {
      if (e.getMessage() == null || e.getMessage().isBlank()) {
        // java.net.ConnectException and friends often carry no message
        String what =
            e instanceof java.net.ConnectException
                ? "connection refused"
                : e instanceof java.net.http.HttpTimeoutException
                    ? "timed out"
                    : e.getClass().getSimpleName();
        throw new IOException(uri + ": " + what, e);
      }
      throw e;
    }
    try (InputStream body = response.body()) {
      int status = response.statusCode();
      if (status == 200) {
        long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (declared > MAX_DOCUMENT) {
          throw new RetryPolicy.Permanent(
              new IOException(
                  uri + " is " + declared + " bytes, larger than " + MAX_DOCUMENT + ": not read"));
        }
        return readCapped(body, uri.toString());
      }
      return failed(uri, status);
    }
  }

  private static byte[] failed(URI uri, int status) throws IOException {
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
    try (ResponseInputStream<GetObjectResponse> in = s3.client().getObject(b.build())) {
      Long declared = in.response().contentLength();
      if (declared != null && declared > MAX_DOCUMENT) {
        in.abort();
        throw new RetryPolicy.Permanent(
            new IOException(
                location
                    + " is "
                    + declared
                    + " bytes, larger than "
                    + MAX_DOCUMENT
                    + ": not read"));
      }
      return readCapped(in, location.toString());
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
      throw S3Errors.of(location.toString(), e);
    }
  }

  @Override
  public void close() {
    s3.close();
  }
}
