package io.chainsnap.publisher.cdn;

import io.chainsnap.publisher.config.PublisherConfig;
import io.chainsnap.publisher.service.IndexWritten;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.CloudFrontClientBuilder;

/**
 * Invalidates the index objects on CloudFront after every index the publisher writes ({@link
 * IndexWritten}), when {@code publisher.cloudfront.distribution-id} is set and {@code
 * publisher.cloudfront.invalidation.enabled} is on (the default).
 */
@Startup
@ApplicationScoped
public class CloudFrontInvalidation {
  private static final Logger LOG = Logger.getLogger(CloudFrontInvalidation.class);

  private final Optional<CloudFrontInvalidator> invalidator;

  @Inject
  public CloudFrontInvalidation(PublisherConfig config, MeterRegistry registry) {
    PublisherConfig.CloudFront cloudfront = config.cloudfront();
    if (cloudfront.distributionId().isEmpty() || !cloudfront.invalidation().enabled()) {
      invalidator = Optional.empty();
      return;
    }
    if (cloudfront.invalidation().coalesce().isNegative()) {
      throw new IllegalArgumentException(
          "invalid configuration publisher.cloudfront.invalidation.coalesce: negative");
    }
    invalidator =
        Optional.of(
            new CloudFrontInvalidator(
                client(cloudfront),
                cloudfront.distributionId().get(),
                cloudfront.invalidation().coalesce(),
                registry));
    LOG.infof(
        "invalidating index objects on CloudFront distribution %s%s",
        cloudfront.distributionId().get(),
        cloudfront.endpointOverride().map(e -> " at " + e + " (endpoint override)").orElse(""));
  }

  /** The CloudFront API client of {@code config}. */
  static CloudFrontClient client(PublisherConfig.CloudFront config) {
    CloudFrontClientBuilder builder =
        CloudFrontClient.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .region(Region.of(config.region()));
    config.endpointOverride().ifPresent(e -> builder.endpointOverride(URI.create(e)));
    if (config.accessKey().isPresent()) {
      builder.credentialsProvider(
          StaticCredentialsProvider.create(
              AwsBasicCredentials.create(config.accessKey().get(), config.secretKey().orElse(""))));
    } else {
      builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
    }
    return builder.build();
  }

  void onIndexWritten(@Observes IndexWritten written) {
    try {
      invalidator.ifPresent(
          i -> i.indexChanged(written.chain(), written.network(), written.sequence()));
    } catch (RuntimeException e) {
      LOG.warnf("could not schedule the CloudFront invalidation of %s: %s", written.key(), e);
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    invalidator.ifPresent(CloudFrontInvalidator::close);
  }
}
