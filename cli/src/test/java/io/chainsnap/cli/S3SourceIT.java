package io.chainsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.archive.TestTrees;
import io.chainsnap.testsupport.S3ProxyServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Ranged restore from an S3 source: the real s3proxy (SigV4 checked), objects put with the SDK. */
class S3SourceIT {

  static final String BUCKET = "snapshots";

  @TempDir static Path shared;
  static S3ProxyServer s3;
  static Path source;
  static SnapshotMetadata snapshot;

  @TempDir Path dir;

  @BeforeAll
  static void upload() throws IOException {
    s3 = S3ProxyServer.start(Files.createDirectories(shared.resolve("s3")), 0);
    source = shared.resolve("src");
    TestTrees.generate(source);
    Published layout = new Published(Files.createDirectories(shared.resolve("local")));
    snapshot = layout.add("s3-1", "full", source, 1 << 20, 42);
    layout.list(snapshot, "verified", rel -> "s3://" + BUCKET + "/" + rel);
    layout.writeIndex();
    try (S3Client client =
        S3Client.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .endpointOverride(URI.create(s3.endpoint()))
            .region(Region.of(S3ProxyServer.REGION))
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
            .build()) {
      client.createBucket(b -> b.bucket(BUCKET));
      try (Stream<Path> files = Files.walk(layout.root)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          String key = layout.root.relativize(f).toString().replace('\\', '/');
          client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromFile(f));
        }
      }
    }
    // the SDK's default credential chain reads these system properties
    System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
  }

  @AfterAll
  static void stop() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    if (s3 != null) {
      s3.close();
    }
  }

  /** {@code command} with the options reaching s3proxy, then {@code more}. */
  static String[] s3(String command, String... more) {
    return concat(
        new String[] {
          command,
          "--s3-endpoint",
          s3.endpoint(),
          "--s3-region",
          S3ProxyServer.REGION,
          "--s3-path-style"
        },
        more);
  }

  static String[] concat(String[] a, String... b) {
    return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
  }

  @Test
  void restoreFromAnS3ManifestWithRangedGets() throws IOException {
    Path dest = dir.resolve("data");
    Cli.Result r =
        Cli.run(
                s3(
                    "restore",
                    "--manifest",
                    "s3://" + BUCKET + "/litecoin/regtest/full/s3-1/snapshot.json",
                    "--dest",
                    dest.toString(),
                    "--connections",
                    "4",
                    "--requester-pays",
                    "--json"))
            .expect(0);
    TestTrees.assertSameTree(source, dest);
    JsonNode json = r.json();
    assertEquals(snapshot.archive().compressedSize(), json.path("fetchedBytes").asLong());
    assertTrue(snapshot.archive().chunks().size() > 4, "several ranged GETs");
  }

  @Test
  void restoreThroughAnIndexInTheBucket() throws IOException {
    Path dest = dir.resolve("data2");
    Cli.run(
            s3(
                "restore",
                "--allow-unsigned",
                "--index",
                "s3://" + BUCKET + "/litecoin/regtest/index.json",
                "--chain",
                "litecoin",
                "--network",
                "regtest",
                "--latest",
                "--dest",
                dest.toString()))
        .expect(0);
    TestTrees.assertSameTree(source, dest);
    Cli.Result list =
        Cli.run(
                s3(
                    "list",
                    "--allow-unsigned",
                    "--index",
                    "s3://" + BUCKET + "/litecoin/regtest/index.json"))
            .expect(0);
    assertTrue(list.out().contains("* s3-1"), list.out());
  }

  @Test
  void aMissingKeyIsNotFound() {
    Cli.run(
            s3(
                "restore",
                "--manifest",
                "s3://" + BUCKET + "/litecoin/regtest/full/s3-1/snapshot.json",
                "--source",
                "s3://" + BUCKET + "/no/such/key.tar.zst",
                "--dest",
                dir.resolve("x").toString()))
        .expect(ExitCodes.NOT_FOUND);
  }

  @Test
  void withoutCredentialsItFailsAtOnceWithAHint() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(Cli.jar().toString());
    command.addAll(
        List.of(
            s3(
                "info",
                "--manifest",
                "s3://" + BUCKET + "/litecoin/regtest/full/s3-1/snapshot.json")));
    Path out = dir.resolve("out");
    Path err = dir.resolve("err");
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
    pb.environment().put("HOME", home.toString()); // no ~/.aws
    pb.environment().put("AWS_EC2_METADATA_DISABLED", "true"); // no instance metadata here
    long started = System.nanoTime();
    Process p = pb.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "finished");
    double seconds = (System.nanoTime() - started) / 1e9;
    String stderr = Files.readString(err);
    assertEquals(ExitCodes.IO, p.exitValue(), stderr);
    assertTrue(stderr.contains("no AWS credentials found"), stderr);
    assertTrue(stderr.contains("--no-sign-request"), stderr);
    assertFalse(stderr.contains("Provider"), "no SDK provider chain: " + stderr);
    assertFalse(stderr.contains("tries"), "not retried: " + stderr);
    assertEquals(1, stderr.lines().filter(l -> l.startsWith("chainsnap: io:")).count(), stderr);
    assertTrue(seconds < 10, "failed fast: " + seconds + " s");
  }
}
