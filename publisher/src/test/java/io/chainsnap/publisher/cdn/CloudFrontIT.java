package io.chainsnap.publisher.cdn;

import static io.chainsnap.publisher.cdn.CloudFrontSignatures.cannedPolicy;
import static io.chainsnap.publisher.cdn.CloudFrontSignatures.query;
import static io.chainsnap.publisher.cdn.CloudFrontSignatures.resource;
import static io.chainsnap.publisher.cdn.CloudFrontSignatures.verifies;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.archive.ArchiveManifest;
import io.chainsnap.archive.ArchiveWriter;
import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.QuiesceStrategy;
import io.chainsnap.domain.Sha256;
import io.chainsnap.events.ArchiveRef;
import io.chainsnap.events.CloudEventAttributes;
import io.chainsnap.events.EventCodec;
import io.chainsnap.events.EventType;
import io.chainsnap.events.SnapshotCreated;
import io.chainsnap.events.SnapshotTarget;
import io.chainsnap.events.SnapshotUploaded;
import io.chainsnap.testsupport.IpfsResource;
import io.chainsnap.testsupport.KafkaResource;
import io.chainsnap.testsupport.KafkaTestClient;
import io.chainsnap.testsupport.S3Resource;
import io.chainsnap.testsupport.StaticFileServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The publisher (in-process, real Kafka, s3proxy, js-ipfs) with CloudFront configured: public URLs
 * on the distribution's domain, signed URLs in the index entries of the non-public
 * litecoin/regtest, and an invalidation of the index objects after the index changes, sent by the
 * real SDK client to {@link RecordingCloudFront} in place of the CloudFront API.
 */
@QuarkusTest
@TestProfile(CloudFrontIT.Profile.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(S3Resource.class)
@QuarkusTestResource(IpfsResource.class)
class CloudFrontIT {
  static final SnapshotTarget TARGET = new SnapshotTarget("litecoin", "regtest", Mode.FULL);
  static final String HASH = "91280346e339bbc6614a0baf04b1a257da8b197b0b55ced010ad075270eac7cb";
  static final Duration WAIT = Duration.ofSeconds(90);

  /** CloudFront settings from {@link RecordingCloudFrontResource}, for this test only. */
  public static class Profile implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(RecordingCloudFrontResource.class));
    }
  }

  static Path stagingRoot;
  static StaticFileServer staging;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startStaging() throws Exception {
    stagingRoot = Files.createTempDirectory("chainsnap-staging-").toRealPath();
    staging = new StaticFileServer(stagingRoot);
  }

  @AfterAll
  static void stopStaging() {
    staging.close();
  }

  /** Stages a real format-v1 archive of random data and returns its event. */
  SnapshotCreated stage(String id, long height) throws Exception {
    Path data = Files.createTempDirectory("chainsnap-data-");
    byte[] block = new byte[1 << 20];
    new Random(height).nextBytes(block);
    Files.createDirectories(data.resolve("blocks"));
    Files.write(data.resolve("blocks/blk00000.dat"), block);
    Path dir = Files.createDirectories(stagingRoot.resolve(id));
    ArchiveManifest manifest =
        ArchiveWriter.builder()
            .chunkSize(1 << 18)
            .build()
            .write(data, dir.resolve("snapshot.tar.zst"));
    SnapshotMetadata metadata =
        new SnapshotMetadata(
            1,
            id,
            "litecoin",
            "regtest",
            Mode.FULL,
            "/LitecoinCore:0.21.2.1/",
            height,
            HASH,
            Instant.now(),
            QuiesceStrategy.STOP,
            1000,
            manifest);
    byte[] json = metadata.toJson();
    Files.write(dir.resolve("snapshot.json"), json);
    return new SnapshotCreated(
        id,
        TARGET,
        height,
        HASH,
        "/LitecoinCore:0.21.2.1/",
        metadata.takenAt(),
        QuiesceStrategy.STOP,
        1000,
        new ArchiveRef(
            staging.url(id + "/snapshot.tar.zst"),
            staging.url(id + "/snapshot.json"),
            manifest.sha256(),
            Sha256.hex(json),
            manifest.compressedSize(),
            manifest.contentSize(),
            manifest.fileCount(),
            manifest.chunks().size(),
            manifest.formatVersion()));
  }

  /** The index as stored in the bucket (read from s3proxy: no CloudFront edge exists here). */
  Optional<SnapshotIndex> storedIndex() throws Exception {
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        S3Resource.server().endpoint()
                            + "/chainsnap-test/litecoin/regtest/index.json"))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    return response.statusCode() == 200
        ? Optional.of(SnapshotIndex.read(response.body()))
        : Optional.empty();
  }

  @Test
  void indexChangesInvalidateAndNonPublicLinksAreSigned() throws Exception {
    SnapshotCreated created = stage("litecoin-regtest-full-cf-300", 300);
    KafkaTestClient kafka = new KafkaTestClient(KafkaResource.bootstrapServers());
    kafka.produce(
        EventType.SNAPSHOT_CREATED.topic(),
        created.key(),
        EventCodec.encode(created),
        CloudEventAttributes.of("/test", created).toHeaders());
    ConsumerRecord<String, String> record =
        kafka
            .await(
                EventType.SNAPSHOT_UPLOADED.topic(),
                r -> created.snapshotId().equals(r.key()),
                WAIT)
            .get(0);
    SnapshotUploaded uploaded = EventCodec.decode(EventType.SNAPSHOT_UPLOADED, record.value());

    // public URLs are on the distribution's domain
    String prefix = "https://" + RecordingCloudFrontResource.DOMAIN + "/";
    assertEquals(prefix + uploaded.archiveKey(), uploaded.archiveUrl());
    assertEquals(prefix + uploaded.manifestKey(), uploaded.manifestUrl());

    // the index lists the snapshot, and an invalidation names that index's sequence
    RecordingCloudFront cloudfront = RecordingCloudFrontResource.server();
    Instant deadline = Instant.now().plus(WAIT);
    SnapshotIndex index = null;
    RecordingCloudFront.Request invalidation = null;
    while (Instant.now().isBefore(deadline) && invalidation == null) {
      Optional<SnapshotIndex> stored = storedIndex();
      if (stored.isPresent()
          && stored.get().snapshots().stream()
              .anyMatch(e -> e.snapshotId().equals(created.snapshotId()))) {
        index = stored.get();
        String reference = "chainsnap:litecoin/regtest@" + index.sequence();
        invalidation =
            cloudfront.requests().stream()
                .filter(r -> reference.equals(r.callerReference()))
                .findFirst()
                .orElse(null);
      }
      if (invalidation == null) {
        Thread.sleep(200);
      }
    }
    assertNotNull(index, "the index lists " + created.snapshotId());
    assertNotNull(
        invalidation,
        "an invalidation for index sequence "
            + index.sequence()
            + "; got "
            + cloudfront.requests());
    assertEquals("POST", invalidation.method());
    assertEquals(
        "/2020-05-31/distribution/" + RecordingCloudFrontResource.DISTRIBUTION + "/invalidation",
        invalidation.path());
    assertEquals(
        List.of(
            "/litecoin/regtest/index.json",
            "/litecoin/regtest/index.json.sig",
            "/litecoin/regtest/index.html",
            "/litecoin/regtest/feed.atom",
            "/litecoin/regtest/keys.json"),
        invalidation.paths());
    String authorization = invalidation.header("Authorization");
    assertNotNull(authorization);
    assertTrue(
        authorization.startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
            && authorization.contains("/us-east-1/cloudfront/aws4_request"),
        authorization);
    // every index write was followed by an invalidation with a reference of its own
    List<String> references =
        cloudfront.requests().stream().map(RecordingCloudFront.Request::callerReference).toList();
    assertEquals(references.size(), references.stream().distinct().count(), references.toString());

    // the entry's CloudFront links are signed (canned policy, this test's key), the others plain
    SnapshotIndex.Entry entry =
        index.snapshots().stream()
            .filter(e -> e.snapshotId().equals(created.snapshotId()))
            .findFirst()
            .orElseThrow();
    for (String name : List.of("https", "manifest")) {
      String url = entry.sources().get(name);
      Map<String, String> query = query(url);
      assertEquals(RecordingCloudFrontResource.KEY_PAIR_ID, query.get("Key-Pair-Id"), url);
      long expires = Long.parseLong(query.get("Expires"));
      long lifetime = expires - index.generatedAt().getEpochSecond();
      assertTrue(Math.abs(lifetime - 3600) <= 5, "valid PT1H from the index: " + lifetime);
      assertTrue(
          verifies(
              RecordingCloudFrontResource.keys().getPublic(),
              cannedPolicy(resource(url), expires),
              query.get("Signature")),
          url);
    }
    assertEquals(prefix + uploaded.archiveKey(), resource(entry.sources().get("https")));
    assertEquals("s3://chainsnap-test/" + uploaded.archiveKey(), entry.sources().get("s3"));
  }
}
