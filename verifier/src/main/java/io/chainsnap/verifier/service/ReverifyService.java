package io.chainsnap.verifier.service;

import io.chainsnap.archive.ArchiveException;
import io.chainsnap.archive.ChunkInfo;
import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.domain.RejectionStage;
import io.chainsnap.domain.VerificationStatus;
import io.chainsnap.events.EventData;
import io.chainsnap.events.SnapshotRejected;
import io.chainsnap.events.SnapshotTarget;
import io.chainsnap.events.SnapshotUploaded;
import io.chainsnap.verifier.config.VerifierConfig;
import io.chainsnap.verifier.messaging.VerdictSender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Re-checks every verified snapshot of the published indexes on a schedule ({@code
 * verifier.reverify.*}): a cheap pass (HEAD of the archive and manifest, size and {@code
 * x-amz-meta-sha256}, the IPFS CID retrievable through the gateway), a sampled pass (random chunks
 * re-downloaded with range requests and hashed against {@code snapshot.json}), and a full pass
 * (restore and boot again through {@link VerifyService#reverify}). A snapshot that fails a re-check
 * by its own fault gets one {@code snapshot-rejected} at stage {@code reverify}; the publisher then
 * shows it rejected and {@code latest} falls back to the previous verified snapshot. The verifier's
 * own trouble (network errors, 5xx, timeouts) rejects nothing: it counts as a failure of the pass
 * (metric {@code chainsnap.verifier.reverify.failures}, {@code kind=error}) and the next pass tries
 * again.
 */
@ApplicationScoped
public class ReverifyService {
  private static final Logger LOG = Logger.getLogger(ReverifyService.class);
  static final String LAST_SUCCESS = "chainsnap.verifier.reverify.last.success.timestamp";
  static final String LAST_RUN = "chainsnap.verifier.reverify.last.run.timestamp";
  static final String FAILURES = "chainsnap.verifier.reverify.failures";

  /** The three passes, cheapest first. */
  public enum Pass {
    CHEAP,
    SAMPLE,
    FULL;

    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A re-check found the published snapshot at fault: the reason, and the URL that showed it. */
  private static final class Problem extends Exception {
    final String url;

    Problem(String url, String message) {
      super(message, null, false, false);
      this.url = url;
    }
  }

  private final VerifierConfig.Reverify config;
  private final VerifyService verifier;
  private final VerdictSender sender;
  private final MeterRegistry metrics;
  private final Set<String> indexUrls = Collections.synchronizedSet(new LinkedHashSet<>());
  // ids this instance rejected: never rejected twice (the index shows them rejected afterwards)
  private final Set<String> rejected = ConcurrentHashMap.newKeySet();
  private final Map<Pass, Instant> due = new EnumMap<>(Pass.class);
  private final Map<Pass, AtomicLong> lastRun = new EnumMap<>(Pass.class);
  private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NORMAL)
          .build();

  public ReverifyService(
      VerifierConfig config, VerifyService verifier, VerdictSender sender, MeterRegistry metrics) {
    this.config = config.reverify();
    this.verifier = verifier;
    this.sender = sender;
    this.metrics = metrics;
    config.reverify().indexUrls().ifPresent(indexUrls::addAll);
    Instant now = Instant.now();
    // the cheap pass at once; the costlier ones one period after start, not at every restart
    due.put(Pass.CHEAP, now);
    due.put(Pass.SAMPLE, now.plus(this.config.sampleEvery()));
    due.put(Pass.FULL, now.plus(this.config.fullEvery()));
    for (Pass pass : Pass.values()) {
      AtomicLong value = new AtomicLong();
      lastRun.put(pass, value);
      Gauge.builder(LAST_RUN, value, AtomicLong::get)
          .description(
              "When the re-verification pass last ran to its end over every known index (Unix"
                  + " time; 0: not yet)")
          .baseUnit("seconds")
          .tag("pass", pass.tag())
          .register(metrics);
    }
  }

  /** Adds an index to re-check (from a {@code snapshot-published} event). */
  public void learn(String indexUrl) {
    if (indexUrl != null && indexUrls.add(indexUrl)) {
      LOG.infof("re-verification will check %s", indexUrl);
    }
  }

  /** The indexes re-checked. */
  public List<String> indexUrls() {
    synchronized (indexUrls) {
      return List.copyOf(indexUrls);
    }
  }

  @Scheduled(
      every = "${verifier.reverify.tick}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Disabled.class)
  void tick() {
    Instant now = Instant.now();
    // the costliest pass due runs (it covers what the cheaper ones check); the others move on
    Pass run = null;
    for (Pass pass : Pass.values()) {
      if (!now.isBefore(due.get(pass))) {
        run = pass;
      }
    }
    if (run == null) {
      return;
    }
    for (Pass pass : Pass.values()) {
      if (pass.ordinal() <= run.ordinal() && !now.isBefore(due.get(pass))) {
        due.put(pass, now.plus(every(pass)));
      }
    }
    runPass(run);
  }

  /** Skips the scheduled re-checks when {@code verifier.reverify.enabled} is false. */
  @jakarta.inject.Singleton
  public static class Disabled implements Scheduled.SkipPredicate {
    private final boolean enabled;

    public Disabled(VerifierConfig config) {
      this.enabled = config.reverify().enabled();
    }

    @Override
    public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
      return !enabled;
    }
  }

  private Duration every(Pass pass) {
    return switch (pass) {
      case CHEAP -> config.cheapEvery();
      case SAMPLE -> config.sampleEvery();
      case FULL -> config.fullEvery();
    };
  }

  /** Runs {@code pass} over every verified snapshot of every known index; returns rejections. */
  public int runPass(Pass pass) {
    int rejections = 0;
    for (String indexUrl : indexUrls()) {
      SnapshotIndex index;
      try {
        index = SnapshotIndex.read(get(indexUrl));
      } catch (IOException | RuntimeException e) {
        LOG.warnf("re-verification (%s) cannot read %s: %s", pass.tag(), indexUrl, e.getMessage());
        continue;
      }
      // per target (mode), whether every verified snapshot passed
      Map<SnapshotTarget, Boolean> passed = new LinkedHashMap<>();
      for (SnapshotIndex.Entry entry : index.snapshots()) {
        if (entry.verification().status() != VerificationStatus.VERIFIED
            || rejected.contains(entry.snapshotId())) {
          continue;
        }
        SnapshotTarget target = new SnapshotTarget(index.chain(), index.network(), entry.mode());
        passed.putIfAbsent(target, true);
        MDC.put("snapshotId", entry.snapshotId());
        try {
          check(pass, index, entry, target);
          LOG.debugf("%s passed the %s re-check", entry.snapshotId(), pass.tag());
        } catch (Problem p) {
          passed.put(target, false);
          rejections++;
          failures(target, pass, "rejected").increment();
          reject(pass, entry, target, p);
        } catch (RuntimeException | IOException e) {
          passed.put(target, false);
          failures(target, pass, "error").increment();
          LOG.warnf(
              "%s re-check of %s could not be done (not the snapshot's fault, tried again next"
                  + " pass): %s",
              pass.tag(), entry.snapshotId(), e.toString());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return rejections;
        } finally {
          MDC.remove("snapshotId");
        }
      }
      long now = Instant.now().getEpochSecond();
      passed.forEach(
          (target, ok) -> {
            failures(target, pass, "rejected"); // both series exist from the first pass
            failures(target, pass, "error");
            if (ok) {
              lastSuccess(target, pass).set(now);
            }
          });
    }
    lastRun.get(pass).set(Instant.now().getEpochSecond());
    return rejections;
  }

  private void reject(
      Pass pass, SnapshotIndex.Entry entry, SnapshotTarget target, Problem problem) {
    String reason = pass.tag() + " re-check: " + problem.getMessage();
    LOG.warnf("REJECTED %s at reverify: %s", entry.snapshotId(), reason);
    EventData event =
        new SnapshotRejected(
            entry.snapshotId(),
            target,
            problem.url,
            RejectionStage.REVERIFY,
            reason,
            Instant.now());
    sender.send(event);
    rejected.add(entry.snapshotId());
  }

  private void check(Pass pass, SnapshotIndex index, SnapshotIndex.Entry entry, SnapshotTarget t)
      throws Problem, IOException, InterruptedException {
    String https = entry.sources().get("https");
    if (https == null) {
      throw new IllegalStateException(entry.snapshotId() + " has no https source in the index");
    }
    switch (pass) {
      case CHEAP -> cheap(entry, https);
      case SAMPLE -> {
        cheap(entry, https);
        sample(entry, https);
      }
      case FULL -> full(index, entry, t, https);
    }
  }

  /** HEAD of the archive (size, metadata SHA-256) and manifest; the CID through the gateway. */
  private void cheap(SnapshotIndex.Entry entry, String https)
      throws Problem, IOException, InterruptedException {
    HttpResponse<Void> head = head(https);
    long size = head.headers().firstValueAsLong("Content-Length").orElse(-1);
    if (size != entry.compressedSize()) {
      throw new Problem(
          https,
          "HEAD " + https + " says " + size + " bytes, the index says " + entry.compressedSize());
    }
    Optional<String> sha256 = head.headers().firstValue("x-amz-meta-sha256");
    if (sha256.isPresent() && !sha256.get().equalsIgnoreCase(entry.sha256())) {
      throw new Problem(
          https,
          "the object's metadata sha256 is " + sha256.get() + ", the index says " + entry.sha256());
    }
    String manifest = entry.sources().get("manifest");
    if (manifest != null) {
      head(manifest);
    }
    String gateway = entry.sources().get("ipfs-gateway");
    if (gateway != null) {
      firstByte(gateway);
    }
  }

  /** Random chunks (or all) re-downloaded with range requests, each hashed against the manifest. */
  private void sample(SnapshotIndex.Entry entry, String https)
      throws Problem, IOException, InterruptedException {
    String manifestUrl = entry.sources().get("manifest");
    if (manifestUrl == null) {
      throw new IllegalStateException(entry.snapshotId() + " has no manifest source in the index");
    }
    SnapshotMetadata metadata;
    try {
      metadata = SnapshotMetadata.read(get(manifestUrl));
    } catch (ArchiveException e) {
      throw new Problem(manifestUrl, "snapshot.json refused: " + e.getMessage());
    }
    if (!metadata.archive().sha256().equalsIgnoreCase(entry.sha256())
        || metadata.archive().compressedSize() != entry.compressedSize()) {
      throw new Problem(
          manifestUrl,
          "snapshot.json says sha256 "
              + metadata.archive().sha256()
              + " and "
              + metadata.archive().compressedSize()
              + " bytes, the index says "
              + entry.sha256()
              + " and "
              + entry.compressedSize());
    }
    List<ChunkInfo> chunks = new ArrayList<>(metadata.archive().chunks());
    Collections.shuffle(chunks, ThreadLocalRandom.current());
    List<ChunkInfo> sample = chunks.subList(0, Math.min(config.sampledChunks(), chunks.size()));
    for (ChunkInfo chunk : sample) {
      String actual = rangeSha256(https, chunk.offset(), chunk.compressedLength());
      if (!actual.equalsIgnoreCase(chunk.sha256())) {
        throw new Problem(
            https,
            "chunk "
                + chunk.index()
                + " (bytes "
                + chunk.offset()
                + "-"
                + (chunk.end() - 1)
                + ") of "
                + https
                + " hashes "
                + actual
                + ", snapshot.json says "
                + chunk.sha256());
      }
    }
    LOG.infof(
        "%s: %d of %d chunks re-downloaded, hashes match",
        entry.snapshotId(), sample.size(), chunks.size());
  }

  /** Restore and boot again, as at the first verification. */
  private void full(
      SnapshotIndex index, SnapshotIndex.Entry entry, SnapshotTarget target, String https)
      throws Problem {
    String s3 = entry.sources().getOrDefault("s3", "");
    String bucket = "";
    String key = "";
    if (s3.startsWith("s3://") && s3.indexOf('/', 5) > 0) {
      bucket = s3.substring(5, s3.indexOf('/', 5));
      key = s3.substring(s3.indexOf('/', 5) + 1);
    }
    SnapshotUploaded claimed =
        new SnapshotUploaded(
            entry.snapshotId(),
            target,
            entry.height(),
            entry.blockHash(),
            bucket,
            key,
            "",
            https,
            entry.sources().get("manifest"),
            entry.sha256(),
            entry.compressedSize(),
            entry.takenAt());
    EventData result = verifier.reverify(claimed);
    if (result instanceof SnapshotRejected r) {
      throw new Problem(https, "restore and boot failed at " + r.stage() + ": " + r.reason());
    }
  }

  private HttpResponse<Void> head(String url) throws Problem, IOException, InterruptedException {
    HttpResponse<Void> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMinutes(1))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding());
    status(url, "HEAD", response.statusCode(), 200);
    return response;
  }

  /** GET of the first byte (a range): the CID is still retrievable through the gateway. */
  private void firstByte(String url) throws Problem, IOException, InterruptedException {
    HttpResponse<InputStream> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMinutes(2))
                .header("Range", "bytes=0-0")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      status(url, "GET (range 0-0)", response.statusCode(), 200, 206);
      if (body.read() < 0) {
        throw new Problem(url, "GET " + url + " answered no byte");
      }
    }
  }

  private String rangeSha256(String url, long offset, long length)
      throws Problem, IOException, InterruptedException {
    HttpResponse<InputStream> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMinutes(10))
                .header("Range", "bytes=" + offset + "-" + (offset + length - 1))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      status(url, "GET (range)", response.statusCode(), 206);
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      long read = 0;
      int n;
      while (read < length
          && (n = body.read(buffer, 0, (int) Math.min(buffer.length, length - read))) > 0) {
        digest.update(buffer, 0, n);
        read += n;
      }
      if (read != length) {
        throw new Problem(
            url,
            "range " + offset + "+" + length + " of " + url + " ended after " + read + " bytes");
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] get(String url) throws IOException {
    HttpResponse<byte[]> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(1)).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (response.statusCode() != 200) {
      throw new IOException("GET " + url + " answered HTTP " + response.statusCode());
    }
    return response.body();
  }

  /**
   * A 4xx (missing, not public) is the snapshot's {@link Problem}; any other unexpected status
   * (5xx, a gateway timeout) is the verifier's trouble.
   */
  private static void status(String url, String what, int status, int... expected)
      throws Problem, IOException {
    for (int ok : expected) {
      if (status == ok) {
        return;
      }
    }
    if (status >= 400 && status < 500 && status != 408 && status != 429) {
      throw new Problem(url, what + " " + url + " answered HTTP " + status);
    }
    throw new IOException(what + " " + url + " answered HTTP " + status);
  }

  private Counter failures(SnapshotTarget target, Pass pass, String kind) {
    return Counter.builder(FAILURES)
        .description(
            "Re-checks of verified snapshots that failed, per target and pass; kind=rejected: the"
                + " snapshot's fault (snapshot-rejected at reverify), kind=error: the check could"
                + " not be done")
        .tags(VerifyService.targetTags(target).and("pass", pass.tag(), "kind", kind))
        .register(metrics);
  }

  private AtomicLong lastSuccess(SnapshotTarget target, Pass pass) {
    Tags tags = VerifyService.targetTags(target).and("pass", pass.tag());
    return lastSuccess.computeIfAbsent(
        tags.toString(),
        k -> {
          AtomicLong value = new AtomicLong();
          Gauge.builder(LAST_SUCCESS, value, AtomicLong::get)
              .description(
                  "When every verified snapshot of the target last passed this re-verification"
                      + " pass (Unix time)")
              .baseUnit("seconds")
              .tags(tags)
              .register(metrics);
          return value;
        });
  }
}
