package io.chainsnap.publisher.cdn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;

/**
 * {@link CloudFrontInvalidator} with the real SDK client against {@link RecordingCloudFront}: what
 * goes over the wire (method, path, XML batch, caller reference, SigV4), coalescing, and failures
 * that are counted and never thrown.
 */
class CloudFrontInvalidatorTest {
  static final String DISTRIBUTION = "EDFDVBD6EXAMPLE";

  RecordingCloudFront cloudfront;
  MeterRegistry registry;

  @BeforeEach
  void start() {
    cloudfront = new RecordingCloudFront();
    registry = new SimpleMeterRegistry();
  }

  @AfterEach
  void stop() {
    cloudfront.close();
  }

  CloudFrontInvalidator invalidator(Duration coalesce) {
    CloudFrontClient client =
        CloudFrontClient.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .region(Region.US_EAST_1)
            .endpointOverride(URI.create(cloudfront.endpoint()))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("AKIDEXAMPLE", "secret-example")))
            .build();
    return new CloudFrontInvalidator(client, DISTRIBUTION, coalesce, registry);
  }

  double count(String outcome) {
    return registry
        .get("chainsnap.publisher.cdn.invalidations")
        .tag("outcome", outcome)
        .counter()
        .count();
  }

  void awaitCount(String outcome, double expected) throws InterruptedException {
    for (int i = 0; i < 200 && count(outcome) < expected; i++) {
      Thread.sleep(25);
    }
  }

  @Test
  void sendsASignedCreateInvalidationForTheIndexObjects() throws Exception {
    try (CloudFrontInvalidator invalidator = invalidator(Duration.ofMillis(100))) {
      invalidator.indexChanged("litecoin", "regtest", 42);
      List<RecordingCloudFront.Request> requests = cloudfront.await(1, Duration.ofSeconds(10));

      assertEquals(1, requests.size());
      RecordingCloudFront.Request request = requests.get(0);
      assertEquals("POST", request.method());
      assertEquals("/2020-05-31/distribution/" + DISTRIBUTION + "/invalidation", request.path());
      assertEquals(
          List.of(
              "/litecoin/regtest/index.json",
              "/litecoin/regtest/index.json.sig",
              "/litecoin/regtest/index.html",
              "/litecoin/regtest/feed.atom",
              "/litecoin/regtest/keys.json"),
          request.paths());
      assertEquals(5, request.quantity());
      assertEquals("chainsnap:litecoin/regtest@42", request.callerReference());
      String authorization = request.header("Authorization");
      assertNotNull(authorization, "SigV4 signed");
      assertTrue(
          authorization.startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"), authorization);
      assertTrue(authorization.contains("/us-east-1/cloudfront/aws4_request"), authorization);
      assertTrue(authorization.contains("SignedHeaders=") && authorization.contains("Signature="));
      assertNotNull(request.header("X-Amz-Date"));
      awaitCount("created", 1.0); // counted once the answer is read
      assertEquals(1.0, count("created"));
      assertEquals(0.0, count("failed"));
    }
  }

  @Test
  void coalescesABurstIntoOneInvalidation() throws Exception {
    try (CloudFrontInvalidator invalidator = invalidator(Duration.ofMillis(500))) {
      invalidator.indexChanged("litecoin", "regtest", 7);
      invalidator.indexChanged("litecoin", "regtest", 8);
      invalidator.indexChanged("monero", "stagenet", 3);
      List<RecordingCloudFront.Request> requests = cloudfront.await(1, Duration.ofSeconds(10));
      Thread.sleep(700); // nothing more comes for the same burst
      requests = cloudfront.requests();

      assertEquals(1, requests.size(), "one call for the burst");
      RecordingCloudFront.Request request = requests.get(0);
      assertEquals("chainsnap:litecoin/regtest@8,monero/stagenet@3", request.callerReference());
      assertEquals(10, request.paths().size());
      assertTrue(request.paths().contains("/monero/stagenet/index.json"));
      assertTrue(request.paths().contains("/litecoin/regtest/feed.atom"));

      invalidator.indexChanged("litecoin", "regtest", 9); // a later change: a call of its own
      requests = cloudfront.await(2, Duration.ofSeconds(10));
      assertEquals(2, requests.size());
      assertEquals("chainsnap:litecoin/regtest@9", requests.get(1).callerReference());
    }
  }

  @Test
  void aFailureIsCountedNotThrownAndRetriesKeepTheCallerReference() throws Exception {
    cloudfront.failWith(503);
    try (CloudFrontInvalidator invalidator = invalidator(Duration.ofHours(1))) {
      invalidator.indexChanged("litecoin", "regtest", 5);
      assertFalse(invalidator.flush(), "failed, not thrown");

      List<RecordingCloudFront.Request> requests = cloudfront.requests();
      assertTrue(requests.size() > 1, "the SDK retried a 503: " + requests.size());
      assertTrue(
          requests.stream()
              .allMatch(r -> "chainsnap:litecoin/regtest@5".equals(r.callerReference())),
          "every attempt is the same request, so CloudFront makes one invalidation");
      assertEquals(1.0, count("failed"));
      assertEquals(0.0, count("created"));

      cloudfront.failWith(0);
      invalidator.indexChanged("litecoin", "regtest", 6);
      assertTrue(invalidator.flush());
      assertEquals(1.0, count("created"));
      assertFalse(invalidator.flush(), "nothing pending");
    }
  }

  @Test
  void longBatchesGetAHashedCallerReferenceWithinCloudFrontsLimit() {
    Map<String, Long> batch = new TreeMap<>();
    for (int i = 0; i < 20; i++) {
      batch.put("chain" + i + "/network" + i, 1000L + i);
    }
    String reference = CloudFrontInvalidator.callerReference(batch);
    assertTrue(reference.startsWith("chainsnap:sha256:"), reference);
    assertTrue(reference.length() <= CloudFrontInvalidator.MAX_CALLER_REFERENCE);
    assertEquals(reference, CloudFrontInvalidator.callerReference(new TreeMap<>(batch)));
    batch.put("chain0/network0", 1001L);
    assertFalse(reference.equals(CloudFrontInvalidator.callerReference(batch)));
  }
}
