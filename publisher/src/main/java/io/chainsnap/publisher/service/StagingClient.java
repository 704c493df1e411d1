package io.chainsnap.publisher.service;

import io.chainsnap.events.PermanentFailureException;
import io.chainsnap.publisher.config.PublisherConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Fetches staged files from the snapshotter by the URLs in {@code snapshot-created}. */
@ApplicationScoped
public class StagingClient {
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NORMAL)
          .build();
  private final Duration timeout;

  public StagingClient(PublisherConfig config) {
    this.timeout = config.stagingTimeout();
  }

  /** Opens a stream of the file at {@code url}; a 404 is permanent, other failures transient. */
  public InputStream open(String url) {
    HttpResponse<InputStream> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot fetch " + url + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted fetching " + url, e);
    }
    if (response.statusCode() == 200) {
      return response.body();
    }
    try (InputStream body = response.body()) {
      body.readNBytes(4096);
    } catch (IOException ignored) {
      // the status says enough
    }
    if (response.statusCode() == 404 || response.statusCode() == 410) {
      throw new PermanentFailureException(
          "staged file " + url + " is gone (HTTP " + response.statusCode() + ")");
    }
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      throw new PermanentFailureException(
          "staging refused "
              + url
              + " (HTTP "
              + response.statusCode()
              + "): its signature expired"
              + " or the snapshotter's staging.url-secret changed");
    }
    throw new UncheckedIOException(
        new IOException("staging answered HTTP " + response.statusCode() + " for " + url));
  }

  /** Reads a small staged file whole. */
  public byte[] read(String url) {
    try (InputStream in = open(url)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + url, e);
    }
  }
}
