package io.chainsnap.publisher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.archive.ArchiveManifest;
import io.chainsnap.archive.ArchiveWriter;
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
import io.chainsnap.events.Topics;
import io.chainsnap.testsupport.Components;
import io.chainsnap.testsupport.KafkaBroker;
import io.chainsnap.testsupport.KafkaTestClient;
import io.chainsnap.testsupport.Ports;
import io.chainsnap.testsupport.S3ProxyServer;
import io.chainsnap.testsupport.ServiceProcess;
import io.chainsnap.testsupport.StaticFileServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * Issue 12: the publisher's production artifact ({@code quarkus-run.jar}, a child JVM) killed with
 * SIGKILL in the middle of a multipart upload, then started again, resumes that upload from the
 * parts S3 holds; orphaned uploads of archive keys are aborted, other keys' never. Real Kafka
 * (in-JVM broker), real s3proxy (SigV4, filesystem), staging served over HTTP at a capped rate so
 * that the upload takes long enough to be interrupted.
 */
class UploadResumeIT {
  static final SnapshotTarget TARGET = new SnapshotTarget("litecoin", "regtest", Mode.FULL);
  static final String HASH = "91280346e339bbc6614a0baf04b1a257da8b197b0b55ced010ad075270eac7cb";
  static final String BUCKET = "chainsnap-resume";
  static final long PART = 5L << 20;
  static final Duration WAIT = Duration.ofSeconds(180);

  static Path work;
  static KafkaBroker kafka;
  static S3ProxyServer s3proxy;
  static StaticFileServer staging;
  static S3Client s3;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    work = Files.createTempDirectory("chainsnap-resume-it-").toRealPath();
    kafka = KafkaBroker.startInJvm(work.resolve("kafka"));
    kafka.createTopics(
        Topics.SNAPSHOT_CREATED,
        EventType.SNAPSHOT_UPLOADED.topic(),
        EventType.SNAPSHOT_PINNED.topic(),
        Topics.DEAD_LETTER);
    s3proxy = S3ProxyServer.start(Files.createDirectories(work.resolve("s3")), 0);
    // 40 MB/s: a 200 MiB archive takes about 5 s to go through
    staging = new StaticFileServer(Files.createDirectories(work.resolve("staging")), 40_000_000);
    s3 =
        S3Client.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .endpointOverride(URI.create(s3proxy.endpoint()))
            .region(Region.of(S3ProxyServer.REGION))
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
            .build();
    s3.createBucket(b -> b.bucket(BUCKET));
  }

  @AfterAll
  static void stop() {
    if (s3 != null) {
      s3.close();
    }
    if (staging != null) {
      staging.close();
    }
    if (s3proxy != null) {
      s3proxy.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    if (work != null) {
      Components.deleteRecursively(work);
    }
  }

  static ServiceProcess publisher(String name, Map<String, String> extra) {
    Map<String, String> props = new TreeMap<>();
    props.put("kafka.bootstrap.servers", kafka.bootstrapServers());
    props.put("publisher.s3.bucket", BUCKET);
    props.put("publisher.s3.endpoint", s3proxy.endpoint());
    props.put("publisher.s3.access-key", S3ProxyServer.ACCESS_KEY);
    props.put("publisher.s3.secret-key", S3ProxyServer.SECRET_KEY);
    props.put("publisher.s3.region", S3ProxyServer.REGION);
    props.put("publisher.s3.path-style", "true");
    props.put("publisher.s3.part-size", "5M");
    props.put("publisher.s3.parallel-parts", "2");
    props.put("publisher.ipfs.enabled", "false");
    props.put("publisher.staging-timeout", "PT2M");
    // a killed consumer leaves the group after this, not after the default 45 s
    props.put("mp.messaging.incoming.snapshot-created-upload.session.timeout.ms", "8000");
    props.put("mp.messaging.incoming.snapshot-created-pin.session.timeout.ms", "8000");
    props.putAll(extra);
    return ServiceProcess.start(
        "publisher",
        Ports.free(),
        props,
        Map.of("CHAINSNAP_JSON_LOGS", "false"),
        work,
        work.resolve(name + ".log"));
  }

  /** A real format-v1 archive of {@code bytes} of random data, staged, and its event. */
  SnapshotCreated stage(String id, long height, long bytes) throws Exception {
    Path data = Files.createDirectories(work.resolve("data-" + id + "/blocks"));
    Random random = new Random(height);
    byte[] block = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(data.resolve("blk00000.dat"))) {
      for (long written = 0; written < bytes; written += block.length) {
        random.nextBytes(block);
        out.write(block);
      }
    }
    Path dir = Files.createDirectories(work.resolve("staging").resolve(id));
    ArchiveManifest manifest =
        ArchiveWriter.builder()
            .chunkSize(16 << 20)
            .build()
            .write(data.getParent(), dir.resolve("snapshot.tar.zst"));
    Components.deleteRecursively(data.getParent());
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

  void send(SnapshotCreated event) {
    new KafkaTestClient(kafka.bootstrapServers())
        .produce(
            Topics.SNAPSHOT_CREATED,
            event.key(),
            EventCodec.encode(event),
            CloudEventAttributes.of("/test", event).toHeaders());
  }

  List<MultipartUpload> uploadsInProgress() {
    return s3.listMultipartUploadsPaginator(b -> b.bucket(BUCKET)).uploads().stream().toList();
  }

  List<MultipartUpload> uploadsOf(String key) {
    return uploadsInProgress().stream().filter(u -> key.equals(u.key())).toList();
  }

  List<Part> parts(String key, String uploadId) {
    return s3.listPartsPaginator(b -> b.bucket(BUCKET).key(key).uploadId(uploadId)).parts().stream()
        .toList();
  }

  boolean exists(String key) {
    try {
      s3.headObject(b -> b.bucket(BUCKET).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  double metric(ServiceProcess service, String name) throws Exception {
    String body =
        http.send(
                HttpRequest.newBuilder(URI.create(service.url("/q/metrics"))).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return body.lines()
        .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  static void await(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  static void kill(ServiceProcess service) throws Exception {
    ProcessHandle handle = ProcessHandle.of(service.pid()).orElseThrow();
    assertTrue(handle.destroyForcibly(), "SIGKILL sent");
    handle.onExit().get(30, TimeUnit.SECONDS);
    service.close(); // already dead: only forgets it
  }

  @Test
  void aPublisherKilledMidUploadResumesFromTheStoredPartsAndAnnouncesOnce() throws Exception {
    SnapshotCreated created = stage("litecoin-regtest-full-k-500", 500, 200L << 20);
    String id = created.snapshotId();
    String key = "litecoin/regtest/full/" + id + "/snapshot.tar.zst";
    long size = created.archive().compressedSize();
    int totalParts = (int) ((size + PART - 1) / PART);
    assertTrue(totalParts >= 30, "enough parts to interrupt: " + totalParts);

    ServiceProcess first = publisher("publisher-1", Map.of());
    List<Part> beforeKill;
    try {
      send(created);
      // some parts stored, far from all of them: then SIGKILL, no shutdown hook runs
      await(
          "8 parts stored",
          WAIT,
          () ->
              uploadsOf(key).size() == 1
                  && parts(key, uploadsOf(key).get(0).uploadId()).size() >= 8);
      beforeKill = parts(key, uploadsOf(key).get(0).uploadId());
      kill(first);
    } finally {
      first.close();
    }
    assertFalse(exists(key), "no object yet");
    List<MultipartUpload> interrupted = uploadsOf(key);
    assertEquals(1, interrupted.size(), "the killed publisher's upload is still in progress");
    String uploadId = interrupted.get(0).uploadId();
    List<Part> atKill = parts(key, uploadId);
    assertTrue(atKill.size() >= beforeKill.size() && atKill.size() < totalParts, atKill.toString());
    assertTrue(exists("_uploads/" + key + ".json"), "the upload is recorded");

    // started again with the default orphan age (24 h): the start-up sweep keeps the young upload
    ServiceProcess second = publisher("publisher-2", Map.of());
    try {
      SnapshotUploaded uploaded =
          EventCodec.decode(
              EventType.SNAPSHOT_UPLOADED,
              new KafkaTestClient(kafka.bootstrapServers())
                  .await(EventType.SNAPSHOT_UPLOADED.topic(), r -> id.equals(r.key()), WAIT)
                  .get(0)
                  .value());
      assertEquals(key, uploaded.archiveKey());
      assertEquals(created.archive().sha256(), uploaded.sha256());

      // one complete object, the staged archive byte for byte
      HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key(key));
      assertEquals(size, head.contentLength());
      assertEquals(created.archive().sha256(), head.metadata().get("sha256"));
      MessageDigest digest = Sha256.newDigest();
      try (InputStream in =
          s3.getObject(b -> b.bucket(BUCKET).key(key), ResponseTransformer.toInputStream())) {
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
          digest.update(buffer, 0, n);
        }
      }
      assertEquals(created.archive().sha256(), Sha256.toHex(digest));
      // the composite checksum S3 made from all the parts' SHA-256 (the resumed ones included)
      String composite =
          s3.headObject(
                  b ->
                      b.bucket(BUCKET)
                          .key(key)
                          .checksumMode(
                              software.amazon.awssdk.services.s3.model.ChecksumMode.ENABLED))
              .checksumSHA256();
      assertEquals(
          expectedComposite(work.resolve("staging").resolve(id).resolve("snapshot.tar.zst")),
          composite);

      // the parts stored before the kill were checked and skipped, only the rest was sent
      double resumed = metric(second, "chainsnap_publisher_upload_parts_resumed_total");
      double sent = metric(second, "chainsnap_publisher_upload_parts_uploaded_total");
      System.out.printf(
          "UploadResumeIT: %d parts; killed once %d were listed (%d at the kill); after the"
              + " restart %.0f resumed, %.0f sent%n",
          totalParts, beforeKill.size(), atKill.size(), resumed, sent);
      assertTrue(
          resumed >= beforeKill.size(),
          "parts stored before the kill were not uploaded again: " + resumed + " resumed");
      assertTrue(resumed <= atKill.size(), resumed + " resumed of " + atKill.size() + " stored");
      assertEquals(totalParts, resumed + sent, "every part once: resumed or sent");
      assertEquals(1.0, metric(second, "chainsnap_publisher_upload_resumed_total"));

      // exactly one snapshot-uploaded, no dead letter, nothing left in progress or recorded
      KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers());
      assertEquals(
          1,
          client.readAll(EventType.SNAPSHOT_UPLOADED.topic(), Duration.ofSeconds(3)).stream()
              .filter(r -> id.equals(r.key()))
              .count(),
          "snapshot-uploaded once");
      assertEquals(
          0,
          client.readAll(Topics.DEAD_LETTER, Duration.ofSeconds(2)).stream()
              .filter(r -> id.equals(r.key()))
              .count());
      assertEquals(List.of(), uploadsInProgress(), "no multipart upload left in progress");
      assertFalse(exists("_uploads/" + key + ".json"), "the upload record is gone");
    } finally {
      second.close();
    }
  }

  /** Base64 SHA-256 of the 5 MiB parts' SHA-256 digests, {@code -<parts>}. */
  static String expectedComposite(Path archive) throws Exception {
    MessageDigest composite = Sha256.newDigest();
    int parts = 0;
    try (InputStream in = Files.newInputStream(archive)) {
      for (byte[] part; (part = in.readNBytes((int) PART)).length > 0; parts++) {
        composite.update(Sha256.newDigest().digest(part));
      }
    }
    return java.util.Base64.getEncoder().encodeToString(composite.digest()) + "-" + parts;
  }

  @Test
  void orphanedUploadsOfArchiveKeysAreAbortedAndOtherKeysAreLeftAlone() throws Exception {
    String orphanKey = "litecoin/regtest/full/litecoin-regtest-full-o-600/snapshot.tar.zst";
    String foreignKey = "backups/not-a-snapshot.bin";
    String orphan = startUpload(orphanKey);
    String foreign = startUpload(foreignKey);
    Thread.sleep(5_500); // older than the orphan age below
    ServiceProcess publisher =
        publisher(
            "publisher-orphans",
            Map.of(
                "publisher.s3.orphan-upload-age", "PT5S",
                "publisher.s3.orphan-sweep-interval", "PT1S"));
    try {
      await("the orphan aborted", Duration.ofSeconds(30), () -> uploadsOf(orphanKey).isEmpty());
      // a young upload of an archive key is kept until it is older than the orphan age
      String youngKey = "litecoin/regtest/full/litecoin-regtest-full-o-601/snapshot.tar.zst";
      String young = startUpload(youngKey);
      Thread.sleep(1_500); // at least one sweep
      assertEquals(
          List.of(young), uploadsOf(youngKey).stream().map(MultipartUpload::uploadId).toList());
      await(
          "the young one, once old, aborted",
          Duration.ofSeconds(30),
          () -> uploadsOf(youngKey).isEmpty());
      Thread.sleep(2_000); // more sweeps
      assertEquals(
          List.of(foreign),
          uploadsOf(foreignKey).stream().map(MultipartUpload::uploadId).toList(),
          "an upload of a key that is not an archive's is never aborted");
      assertEquals(2.0, metric(publisher, "chainsnap_publisher_upload_orphans_aborted_total"));
      assertFalse(orphan.equals(foreign));
    } finally {
      publisher.close();
      s3.abortMultipartUpload(b -> b.bucket(BUCKET).key(foreignKey).uploadId(foreign));
    }
  }

  /** Starts a multipart upload of {@code key} with one 5 MiB part; its upload id. */
  String startUpload(String key) {
    String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
    byte[] part = new byte[(int) PART];
    new Random(key.hashCode()).nextBytes(part);
    s3.uploadPart(
        b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1),
        RequestBody.fromBytes(part));
    return uploadId;
  }
}
