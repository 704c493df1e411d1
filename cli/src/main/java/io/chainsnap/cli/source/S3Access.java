package io.chainsnap.cli.source;

import io.chainsnap.cli.CliException;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** One lazily built S3 client for a command (building one costs about a second). */
public final class S3Access implements AutoCloseable {

  private final S3Settings settings;
  private S3Client client;

  public S3Access(S3Settings settings) {
    this.settings = settings;
  }

  public S3Settings settings() {
    return settings;
  }

  /** The client, built on first use. */
  public synchronized S3Client client() {
    if (client == null) {
      S3ClientBuilder b =
          S3Client.builder()
              .httpClient(
                  UrlConnectionHttpClient.builder()
                      .connectionTimeout(Duration.ofSeconds(15))
                      .socketTimeout(Duration.ofSeconds(60))
                      .build())
              .region(region())
              .forcePathStyle(settings.pathStyle())
              .credentialsProvider(
                  settings.anonymous()
                      ? AnonymousCredentialsProvider.create()
                      : DefaultCredentialsProvider.builder().build());
      if (settings.endpoint() != null && !settings.endpoint().isBlank()) {
        try {
          b.endpointOverride(URI.create(settings.endpoint()));
        } catch (IllegalArgumentException e) {
          throw CliException.usage(
              "--s3-endpoint " + settings.endpoint() + " is not a URL: " + e.getMessage());
        }
      }
      client = b.build();
    }
    return client;
  }

  private Region region() {
    if (settings.region() != null && !settings.region().isBlank()) {
      return Region.of(settings.region());
    }
    try {
      return DefaultAwsRegionProviderChain.builder().build().getRegion();
    } catch (RuntimeException e) {
      return Region.US_EAST_1;
    }
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
      client = null;
    }
  }
}
