package io.chainsnap.bench;

import io.chainsnap.archive.ArchiveManifest;
import io.chainsnap.archive.ArchiveWriter;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.domain.ByteSize;
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
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Publisher upload against {@code aws s3 cp} (issue 12): the publisher's production artifact
 * ({@code publisher/target/quarkus-app/quarkus-run.jar}, run by {@link ServiceProcess}) uploads a
 * staged archive because a {@code snapshot-created} event says so, exactly as in production
 * (staging fetched over HTTP, hashed, multipart upload with per-part SHA-256, hash check,
 * completion, {@code snapshot.json}, {@code SHA256SUMS}, catalog, {@code index.json}, then {@code
 * snapshot-uploaded}); Debian's {@code /usr/bin/aws s3 cp} uploads the same file from disk to the
 * same s3proxy. Both alternate; the candidate's time is from producing the event to reading {@code
 * snapshot-uploaded} (its own archive-upload timer is printed beside it), the baseline's the
 * command's wall time. Prints throughput, the ratio publisher/aws per pair and the publisher's peak
 * RSS ({@code VmHWM}).
 */
public final class UploadBench {
  private static final SnapshotTarget TARGET = new SnapshotTarget("litecoin", "regtest", Mode.FULL);
  private static final String HASH =
      "91280346e339bbc6614a0baf04b1a257da8b197b0b55ced010ad075270eac7cb";
  private static final String BUCKET = "chainsnap-bench";
  private static final String AWS = "/usr/bin/aws";

  private final Path work;
  private final Path cache;
  private final long size;
  private final long seed;
  private final int reps;
  private final Map<String, String> publisherProps;
  private final HttpClient http = HttpClient.newHttpClient();

  private KafkaBroker kafka;
  private S3ProxyServer s3;
  private StaticFileServer staging;
  private ServiceProcess publisher;
  private Path archive;
  private SnapshotMetadata template;
  private Path results;

  private UploadBench(
      Path work, Path cache, long size, long seed, int reps, Map<String, String> publisherProps) {
    this.work = work;
    this.cache = cache;
    this.size = size;
    this.seed = seed;
    this.reps = reps;
    this.publisherProps = publisherProps;
  }

  /** One timed upload. */
  record Sample(String variant, int rep, double seconds, double innerSeconds, long rssKib) {}

  public static void main(String[] args) {
    Path work = null;
    Path cache = null;
    long size = 2L << 30;
    long seed = 42;
    int reps = 3;
    boolean keep = false;
    Path results = null;
    Map<String, String> props = new TreeMap<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--work" -> work = Path.of(args[++i]);
        case "--cache" -> cache = Path.of(args[++i]);
        case "--size" -> size = ByteSize.of(args[++i]).bytes();
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--reps" -> reps = Integer.parseInt(args[++i]);
        case "--part-size" -> props.put("publisher.s3.part-size", args[++i]);
        case "--parallel-parts" -> props.put("publisher.s3.parallel-parts", args[++i]);
        case "--keep" -> keep = true;
        case "--results" -> results = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (work == null || cache == null) {
      throw new IllegalArgumentException("usage: UploadBench --work DIR --cache DIR [options]");
    }
    UploadBench bench =
        new UploadBench(work.toAbsolutePath(), cache.toAbsolutePath(), size, seed, reps, props);
    bench.results = results;
    int status = 0;
    try {
      bench.run();
    } catch (Exception | AssertionError e) {
      System.out.println("BROKEN RUN: " + e);
      e.printStackTrace(System.out);
      status = 2;
    } finally {
      bench.close();
      if (!keep) {
        Components.deleteRecursively(bench.work);
      }
    }
    System.exit(status);
  }

  private void run() throws Exception {
    Components.deleteRecursively(work);
    Files.createDirectories(work);
    ensureArchive();
    long t0 = System.nanoTime();
    kafka = KafkaBroker.startInJvm(work.resolve("kafka"));
    kafka.createTopics(
        Topics.SNAPSHOT_CREATED,
        EventType.SNAPSHOT_UPLOADED.topic(),
        EventType.SNAPSHOT_PINNED.topic(),
        Topics.DEAD_LETTER);
    s3 = S3ProxyServer.start(Files.createDirectories(work.resolve("s3")), 0);
    staging = new StaticFileServer(Files.createDirectories(work.resolve("staging")));
    Map<String, String> props = new TreeMap<>();
    props.put("kafka.bootstrap.servers", kafka.bootstrapServers());
    props.put("publisher.s3.bucket", BUCKET);
    props.put("publisher.s3.endpoint", s3.endpoint());
    props.put("publisher.s3.access-key", S3ProxyServer.ACCESS_KEY);
    props.put("publisher.s3.secret-key", S3ProxyServer.SECRET_KEY);
    props.put("publisher.s3.region", S3ProxyServer.REGION);
    props.put("publisher.s3.path-style", "true");
    props.put("publisher.s3.create-bucket", "true");
    props.put("publisher.ipfs.enabled", "false");
    props.putAll(publisherProps);
    publisher =
        ServiceProcess.start(
            "publisher",
            Ports.free(),
            props,
            Map.of("CHAINSNAP_JSON_LOGS", "false"),
            work,
            work.resolve("publisher.log"));
    System.out.printf(
        Locale.ROOT,
        "setup: kafka %s, s3proxy %s, publisher pid %d (%s), in %.1f s%n",
        kafka.bootstrapServers(),
        s3.endpoint(),
        publisher.pid(),
        publisherProps.isEmpty() ? "default part size and parallel parts" : publisherProps,
        (System.nanoTime() - t0) / 1e9);
    System.out.printf(
        Locale.ROOT,
        "archive: %s, %d bytes (%.2f GiB), sha256 %s%n",
        archive,
        Files.size(archive),
        Files.size(archive) / (double) (1L << 30),
        template.archive().sha256());
    System.out.println("aws: " + awsVersion());

    List<Sample> samples = new ArrayList<>();
    for (int rep = 0; rep <= reps; rep++) {
      List<String> order =
          rep % 2 == 1 ? List.of("publisher", "aws-s3-cp") : List.of("aws-s3-cp", "publisher");
      for (String variant : order) {
        Sample s = variant.equals("publisher") ? publisherUpload(rep) : awsUpload(rep);
        samples.add(s);
        record(s);
        System.out.printf(
            Locale.ROOT,
            "  upload   %-10s rep %d: %7.2f s  %7.1f MiB/s%s  rss %5d MiB%n",
            variant,
            rep,
            s.seconds(),
            mibPerSecond(s.seconds()),
            s.innerSeconds() > 0
                ? String.format(
                    Locale.ROOT,
                    " (archive upload timer %.2f s, %.1f MiB/s)",
                    s.innerSeconds(),
                    mibPerSecond(s.innerSeconds()))
                : "",
            s.rssKib() / 1024);
      }
    }
    summarize(samples);
  }

  /** Appends {@code s} to the run's raw figures (run.sh's TSV: phase, variant, rep, wall, rss). */
  private void record(Sample s) throws IOException {
    if (results == null) {
      return;
    }
    String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    Files.writeString(
        results,
        String.format(
            Locale.ROOT,
            "upload\t%s\t%d\t%.3f\t%d\t\t\t%s%n",
            s.variant(),
            s.rep(),
            s.seconds(),
            s.rssKib(),
            load),
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }

  private double mibPerSecond(double seconds) {
    return archiveBytes() / (double) (1 << 20) / seconds;
  }

  private long archiveBytes() {
    try {
      return Files.size(archive);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A real format-v1 archive of {@code size} bytes of random data (compressed, it stays about that
   * size), made once with {@link ArchiveWriter} and cached with its {@code snapshot.json}.
   */
  private void ensureArchive() throws IOException {
    Path dir = cache.resolve("upload-archive-" + size + "-seed" + seed + "-v1");
    Path marker = dir.resolve("complete");
    archive = dir.resolve("snapshot.tar.zst");
    if (Files.exists(marker)) {
      template = SnapshotMetadata.read(Files.readAllBytes(dir.resolve("snapshot.json")));
      System.out.println("archive: reusing " + dir);
      return;
    }
    Components.deleteRecursively(dir);
    Path data = Files.createDirectories(work.resolve("data/blocks"));
    long t0 = System.nanoTime();
    Random random = new Random(seed);
    byte[] block = new byte[1 << 20];
    long fileSize = 128L << 20;
    int file = 0;
    for (long written = 0; written < size; file++) {
      try (OutputStream out =
          Files.newOutputStream(data.resolve(String.format("blk%05d.dat", file)))) {
        for (long inFile = 0; inFile < fileSize && written < size; inFile += block.length) {
          random.nextBytes(block);
          int n = (int) Math.min(block.length, size - written);
          out.write(block, 0, n);
          written += n;
        }
      }
    }
    Files.createDirectories(dir);
    ArchiveManifest manifest = ArchiveWriter.builder().build().write(data.getParent(), archive);
    Components.deleteRecursively(data.getParent());
    template =
        new SnapshotMetadata(
            1,
            "litecoin-regtest-full-bench-0",
            "litecoin",
            "regtest",
            Mode.FULL,
            "/LitecoinCore:0.21.2.1/",
            1000,
            HASH,
            Instant.now(),
            QuiesceStrategy.STOP,
            1000,
            manifest);
    Files.write(dir.resolve("snapshot.json"), template.toJson());
    Files.writeString(marker, "made in " + (System.nanoTime() - t0) / 1_000_000 + " ms\n");
    System.out.printf(
        Locale.ROOT,
        "archive: made %s (%d files of random data) in %.1f s%n",
        dir,
        file,
        (System.nanoTime() - t0) / 1e9);
  }

  /** Stages the archive as a new snapshot, announces it, waits for snapshot-uploaded. */
  private Sample publisherUpload(int rep) throws Exception {
    String id = "litecoin-regtest-full-bench-" + rep;
    Path dir = Files.createDirectories(work.resolve("staging").resolve(id));
    Files.createLink(dir.resolve("snapshot.tar.zst"), archive);
    SnapshotMetadata metadata =
        new SnapshotMetadata(
            1,
            id,
            template.chain(),
            template.network(),
            template.mode(),
            template.clientVersion(),
            1000 + rep,
            HASH,
            Instant.now(),
            QuiesceStrategy.STOP,
            1000,
            template.archive());
    byte[] json = metadata.toJson();
    Files.write(dir.resolve("snapshot.json"), json);
    ArchiveManifest manifest = template.archive();
    SnapshotCreated created =
        new SnapshotCreated(
            id,
            TARGET,
            metadata.height(),
            HASH,
            metadata.clientVersion(),
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
    KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers());
    double timerBefore = metric("chainsnap_publisher_upload_duration_seconds_sum");
    sync();
    long t0 = System.nanoTime();
    client.produce(
        Topics.SNAPSHOT_CREATED,
        created.key(),
        EventCodec.encode(created),
        CloudEventAttributes.of("/bench", created).toHeaders());
    SnapshotUploaded uploaded =
        EventCodec.decode(
            EventType.SNAPSHOT_UPLOADED,
            client
                .await(
                    EventType.SNAPSHOT_UPLOADED.topic(),
                    r -> id.equals(r.key()),
                    Duration.ofMinutes(30))
                .get(0)
                .value());
    double seconds = (System.nanoTime() - t0) / 1e9;
    double inner = metric("chainsnap_publisher_upload_duration_seconds_sum") - timerBefore;
    if (!uploaded.sha256().equals(manifest.sha256())
        || uploaded.compressedSize() != archiveBytes()) {
      throw new AssertionError("snapshot-uploaded does not describe the archive: " + uploaded);
    }
    checkStored(uploaded.archiveKey());
    aws(
        "s3",
        "rm",
        "--recursive",
        "--only-show-errors",
        "s3://" + BUCKET + "/" + TARGET.path() + "/" + id + "/");
    Components.deleteRecursively(dir);
    return new Sample("publisher", rep, seconds, inner, vmHwmKib(publisher.pid()));
  }

  /** {@code aws s3 cp} of the same file to the same server, timed with GNU time. */
  private Sample awsUpload(int rep) throws Exception {
    String key = "baseline/rep-" + rep + ".tar.zst";
    Path timeFile = work.resolve("time-" + rep + ".txt");
    sync();
    long t0 = System.nanoTime();
    run(
        List.of(
            "/usr/bin/time",
            "-v",
            "-o",
            timeFile.toString(),
            AWS,
            "--endpoint-url",
            s3.endpoint(),
            "s3",
            "cp",
            "--no-progress",
            "--only-show-errors",
            archive.toString(),
            "s3://" + BUCKET + "/" + key));
    double seconds = (System.nanoTime() - t0) / 1e9;
    long rss =
        Files.readAllLines(timeFile).stream()
            .filter(l -> l.contains("Maximum resident set size"))
            .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(':') + 1).trim()))
            .findFirst()
            .orElse(-1);
    checkStored(key);
    aws("s3", "rm", "--only-show-errors", "s3://" + BUCKET + "/" + key);
    return new Sample("aws-s3-cp", rep, seconds, 0, rss);
  }

  /** The object is there with the archive's size. */
  private void checkStored(String key) throws Exception {
    String length =
        aws(
                "s3api",
                "head-object",
                "--bucket",
                BUCKET,
                "--key",
                key,
                "--query",
                "ContentLength",
                "--output",
                "text")
            .strip();
    if (Long.parseLong(length) != archiveBytes()) {
      throw new AssertionError(key + " holds " + length + " bytes, not " + archiveBytes());
    }
  }

  private String awsVersion() throws Exception {
    return aws("--version").strip();
  }

  private String aws(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(AWS);
    if (!args[0].startsWith("--")) {
      command.add("--endpoint-url");
      command.add(s3.endpoint());
    }
    command.addAll(List.of(args));
    return run(command);
  }

  private String run(List<String> command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
    builder.environment().put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
    builder.environment().put("AWS_DEFAULT_REGION", S3ProxyServer.REGION);
    builder.environment().put("AWS_CONFIG_FILE", "/dev/null");
    builder.environment().put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    int status = process.waitFor();
    if (status != 0) {
      throw new IllegalStateException(command + " exited with " + status + ": " + output);
    }
    return output;
  }

  /** Flushes dirty pages (the previous upload's s3proxy files) before a timed run. */
  private static void sync() throws Exception {
    new ProcessBuilder("sync").inheritIO().start().waitFor();
  }

  private double metric(String name) throws Exception {
    String body =
        http.send(
                HttpRequest.newBuilder(URI.create(publisher.url("/q/metrics"))).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return body.lines()
        .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** Peak resident set size of a process since it started ({@code VmHWM}), KiB. */
  static long vmHwmKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  private void summarize(List<Sample> samples) throws IOException {
    List<Sample> timed = samples.stream().filter(s -> s.rep() > 0).toList();
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "== summary: upload of %.2f GiB to s3proxy, %d reps after a warm-up ==%n",
        archiveBytes() / (double) (1L << 30),
        reps);
    for (String variant : List.of("aws-s3-cp", "publisher")) {
      double[] t =
          timed.stream()
              .filter(s -> s.variant().equals(variant))
              .mapToDouble(Sample::seconds)
              .sorted()
              .toArray();
      long rss =
          samples.stream()
              .filter(s -> s.variant().equals(variant))
              .mapToLong(Sample::rssKib)
              .max()
              .orElse(-1);
      System.out.printf(
          Locale.ROOT,
          "  %-10s wall min %6.2f s, median %6.2f s; throughput median %6.1f MiB/s; peak RSS %d MiB%n",
          variant,
          t[0],
          median(t),
          mibPerSecond(median(t)),
          rss / 1024);
    }
    double[] inner =
        timed.stream()
            .filter(s -> s.variant().equals("publisher"))
            .mapToDouble(Sample::innerSeconds)
            .sorted()
            .toArray();
    System.out.printf(
        Locale.ROOT,
        "  publisher archive-upload timer (staging to completed object) median %.2f s, %.1f MiB/s%n",
        median(inner),
        mibPerSecond(median(inner)));
    List<Double> ratios = new ArrayList<>();
    for (int rep = 1; rep <= reps; rep++) {
      int r = rep;
      double aws =
          timed.stream()
              .filter(s -> s.rep() == r && s.variant().equals("aws-s3-cp"))
              .findFirst()
              .orElseThrow()
              .seconds();
      double pub =
          timed.stream()
              .filter(s -> s.rep() == r && s.variant().equals("publisher"))
              .findFirst()
              .orElseThrow()
              .seconds();
      ratios.add(aws / pub);
    }
    double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.printf(
        Locale.ROOT,
        "  throughput ratio publisher / aws s3 cp per pair %s, median %.3f (goal >= 1.0: %s)%n",
        ratios.stream().map(d -> String.format(Locale.ROOT, "%.3f", d)).toList(),
        median(sorted),
        median(sorted) >= 1.0 ? "MET" : "NOT MET");
    System.out.printf(
        Locale.ROOT,
        "  publisher peak RSS (VmHWM, whole process since start, -Xmx384m): %d MiB%n",
        vmHwmKib(publisher.pid()) / 1024);
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private void close() {
    if (publisher != null) {
      publisher.close();
    }
    if (staging != null) {
      staging.close();
    }
    if (s3 != null) {
      s3.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }
}
