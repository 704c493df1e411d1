package io.chainsnap.archive.restore;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link RangeSource} on an HTTP(S) URL: a CDN, the gateway, an S3 public URL, an IPFS gateway
 * ({@code https://gateway/ipfs/<cid>}). Each read is one {@code GET} with a {@code Range} header,
 * answered by {@code 206 Partial Content} whose {@code Content-Range} must match; the body is
 * copied straight into the caller's buffer. HTTP/1.1, so parallel reads use parallel connections
 * (what CDNs reward).
 *
 * <p>Connection failures, resets, a body that stops short or stalls for {@code readTimeout}, {@code
 * 408}, {@code 429} and {@code 5xx} are retried with backoff ({@link RetryPolicy}, honouring {@code
 * Retry-After}); {@code 404}/{@code 410} (and {@code 401}/{@code 403}, which is how S3 and CDNs
 * answer for a missing object when listing is not allowed) is a {@link SourceNotFoundException};
 * {@code 416} (range beyond the end) an {@link EOFException}; other statuses fail at once.
 */
public final class HttpRangeSource implements RangeSource {

  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
  private static final String USER_AGENT = "chainsnap";

  private final URI uri;
  private final HttpClient client;
  private final RetryPolicy retry;
  private final Duration readTimeout;

  private HttpRangeSource(Builder b) {
    this.uri = b.uri;
    this.retry = b.retry;
    this.readTimeout = b.readTimeout;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(b.connectTimeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /** A source with the default timeouts and retries. */
  public static HttpRangeSource of(URI uri) {
    return builder(uri).build();
  }

  /** A builder for {@code uri} (http or https). */
  public static Builder builder(URI uri) {
    return new Builder(uri);
  }

  @Override
  public long size() throws IOException {
    return retry.run("HEAD " + uri, this::sizeOnce);
  }

  private long sizeOnce() throws IOException {
    HttpResponse<Void> head =
        send(
            HttpRequest.newBuilder(uri)
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .timeout(readTimeout)
                .header("User-Agent", USER_AGENT)
                .build());
    int status = head.statusCode();
    if (status == 200) {
      OptionalLong length = head.headers().firstValueAsLong("Content-Length");
      if (length.isPresent()) {
        return length.getAsLong();
      }
    } else {
      checkStatus(status, head.headers(), "HEAD");
    }
    // HEAD refused or without a length: ask for the first byte and read the total from the range
    HttpResponse<Void> first =
        send(
            HttpRequest.newBuilder(uri)
                .GET()
                .timeout(readTimeout)
                .header("User-Agent", USER_AGENT)
                .header("Range", "bytes=0-0")
                .build());
    if (first.statusCode() == 206) {
      Matcher m = CONTENT_RANGE.matcher(first.headers().firstValue("Content-Range").orElse(""));
      if (m.matches() && !m.group(3).equals("*")) {
        return Long.parseLong(m.group(3));
      }
    }
    checkStatus(first.statusCode(), first.headers(), "GET");
    throw new RetryPolicy.Permanent(
        new IOException(uri + " tells neither Content-Length nor Content-Range"));
  }

  private HttpResponse<Void> send(HttpRequest request) throws IOException {
    try {
      return client.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted: " + request.method() + " " + uri);
    }
  }

  @Override
  public void read(long offset, byte[] buffer, int bufferOffset, int length, Transfer transfer)
      throws IOException {
    Objects.checkFromIndexSize(bufferOffset, length, buffer.length);
    if (length < 1) {
      throw new IllegalArgumentException("length must be >= 1");
    }
    long last = offset + length - 1;
    retry.run(
        "GET " + uri + " bytes " + offset + "-" + last,
        () -> readOnce(offset, buffer, bufferOffset, length, transfer));
  }

  private Void readOnce(long offset, byte[] buffer, int bufferOffset, int length, Transfer transfer)
      throws IOException {
    long last = offset + length - 1;
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .GET()
            .timeout(readTimeout)
            .header("User-Agent", USER_AGENT)
            .header("Accept-Encoding", "identity")
            .header("Range", "bytes=" + offset + "-" + last)
            .build();
    CopySubscriber copy = new CopySubscriber(buffer, bufferOffset, length, transfer);
    CompletableFuture<HttpResponse<Void>> future =
        client.sendAsync(
            request,
            info -> {
              int status = info.statusCode();
              boolean whole = status == 200 && offset == 0;
              if (status == 206 || whole) {
                return copy;
              }
              return HttpResponse.BodySubscribers.replacing(null);
            });
    HttpResponse<Void> response = await(future, copy, transfer);
    int status = response.statusCode();
    if (status == 206) {
      String range = response.headers().firstValue("Content-Range").orElse("");
      Matcher m = CONTENT_RANGE.matcher(range);
      if (!m.matches()
          || Long.parseLong(m.group(1)) != offset
          || Long.parseLong(m.group(2)) != last) {
        throw new RetryPolicy.Permanent(
            new IOException(
                uri
                    + " answered Content-Range '"
                    + range
                    + "' to a request for bytes "
                    + offset
                    + "-"
                    + last));
      }
    } else if (status != 200 || offset != 0) {
      checkStatus(status, response.headers(), "GET");
      throw new RetryPolicy.Permanent(
          new IOException(
              uri + " answered HTTP " + status + " to a range request (ranges not supported?)"));
    }
    if (copy.received != length) {
      throw new IOException(
          uri
              + ": body of bytes "
              + offset
              + "-"
              + last
              + " ended after "
              + copy.received
              + " of "
              + length
              + " bytes");
    }
    return null;
  }

  /** Waits for the response, abandoning it when the body stalls or the transfer is cancelled. */
  private HttpResponse<Void> await(
      CompletableFuture<HttpResponse<Void>> future, CopySubscriber copy, Transfer transfer)
      throws IOException {
    long stallNanos = readTimeout.toNanos();
    while (true) {
      try {
        return future.get(250, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        if (copy.failure != null) {
          future.cancel(true);
          copy.cancel();
          throw copy.failure;
        }
        try {
          transfer.arrived(0); // lets the caller cancel while nothing arrives
        } catch (IOException cancelled) {
          future.cancel(true);
          copy.cancel();
          throw cancelled;
        }
        if (System.nanoTime() - copy.lastProgress > stallNanos) {
          future.cancel(true);
          copy.cancel();
          throw new IOException(
              uri + ": no data for " + readTimeout.toSeconds() + " s (stalled connection)");
        }
      } catch (InterruptedException e) {
        future.cancel(true);
        copy.cancel();
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading " + uri);
      } catch (ExecutionException e) {
        copy.cancel();
        if (copy.failure != null) {
          throw copy.failure;
        }
        Throwable cause = e.getCause();
        if (cause instanceof IOException io) {
          throw io;
        }
        throw new IOException(uri + ": " + cause, cause);
      }
    }
  }

  private void checkStatus(int status, HttpHeaders headers, String method) throws IOException {
    if (status == 404 || status == 410) {
      throw new SourceNotFoundException(uri + " answered HTTP " + status);
    }
    if (status == 401 || status == 403) {
      // S3 and CDNs answer 403 for a missing key when listing is not allowed
      throw new SourceNotFoundException(
          uri + " answered HTTP " + status + " (access denied: missing or not public)");
    }
    if (status == 416) {
      throw new RetryPolicy.Permanent(
          new EOFException(
              uri + " answered HTTP 416: the object is shorter than the requested range"));
    }
    if (status == 408 || status == 429 || status >= 500) {
      Duration delay =
          headers
              .firstValue("Retry-After")
              .filter(v -> v.matches("\\d{1,6}"))
              .map(v -> Duration.ofSeconds(Long.parseLong(v)))
              .orElse(null);
      throw new RetryPolicy.RetryAfter(uri + " answered HTTP " + status + " to " + method, delay);
    }
    if (status >= 300) {
      throw new RetryPolicy.Permanent(
          new IOException(uri + " answered HTTP " + status + " to " + method));
    }
  }

  @Override
  public String describe() {
    return uri.toString();
  }

  @Override
  public void close() {
    // java.net.http.HttpClient releases its connections when unreachable (no close() in Java 17)
  }

  /** Copies a body into the caller's buffer as it arrives; refuses more bytes than requested. */
  private final class CopySubscriber implements HttpResponse.BodySubscriber<Void> {
    private final byte[] buffer;
    private final int offset;
    private final int length;
    private final Transfer transfer;
    private final CompletableFuture<Void> body = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;
    private volatile IOException failure;
    volatile int received;
    volatile long lastProgress = System.nanoTime();

    CopySubscriber(byte[] buffer, int offset, int length, Transfer transfer) {
      this.buffer = buffer;
      this.offset = offset;
      this.length = length;
      this.transfer = transfer;
    }

    @Override
    public CompletionStage<Void> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      try {
        int got = 0;
        for (ByteBuffer b : items) {
          int n = b.remaining();
          if (received + n > length) {
            throw new RetryPolicy.Permanent(
                new IOException(uri + " sent more bytes than the requested range"));
          }
          b.get(buffer, offset + received, n);
          received += n;
          got += n;
        }
        lastProgress = System.nanoTime();
        transfer.arrived(got);
        subscription.request(1);
      } catch (IOException e) {
        failure = e;
        subscription.cancel();
        body.completeExceptionally(e);
      }
    }

    @Override
    public void onError(Throwable t) {
      body.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      body.complete(null);
    }

    void cancel() {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
    }
  }

  /** Builder of {@link HttpRangeSource}. */
  public static final class Builder {
    private final URI uri;
    private RetryPolicy retry = RetryPolicy.DEFAULT;
    private Duration connectTimeout = Duration.ofSeconds(15);
    private Duration readTimeout = Duration.ofSeconds(60);

    private Builder(URI uri) {
      this.uri = Objects.requireNonNull(uri, "uri");
      String scheme = uri.getScheme();
      if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
        throw new IllegalArgumentException("not an http(s) URL: " + uri);
      }
    }

    /** Retries of transient failures (default {@link RetryPolicy#DEFAULT}). */
    public Builder retry(RetryPolicy retry) {
      this.retry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    /** Longest wait for a connection (default 15 s). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Longest wait for response headers, and longest silence within a body (default 60 s). */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Builds the source. */
    public HttpRangeSource build() {
      return new HttpRangeSource(this);
    }
  }
}
