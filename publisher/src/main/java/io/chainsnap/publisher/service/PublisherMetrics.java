package io.chainsnap.publisher.service;

import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.domain.Mode;
import io.chainsnap.publisher.config.PublisherConfig;
import io.chainsnap.publisher.page.StalePolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The publisher's metrics, each with its description (the {@code # HELP} line of {@code
 * /q/metrics}). The counters and the timer exist from the start (at 0); the gauges of the latest
 * verified snapshot appear per chain, network and mode with the first index written after a start.
 */
@Startup
@ApplicationScoped
public class PublisherMetrics {
  private final MeterRegistry registry;
  private final Clock clock;
  private final Counter uploadSkipped;
  private final Counter uploadRejected;
  private final Counter uploadBytes;
  private final Timer uploadDuration;
  private final Counter pinSkipped;
  private final Counter pinBytes;
  private final Map<Latest.Key, Latest> latest = new ConcurrentHashMap<>();
  private final Optional<StalePolicy> stale;

  @Inject
  public PublisherMetrics(MeterRegistry registry, PublisherConfig config) {
    this(registry, Clock.systemUTC(), Optional.of(StalePolicy.of(config.page())));
  }

  /** Metrics in {@code registry}, ages measured with the system clock; no stale-after gauge. */
  public PublisherMetrics(MeterRegistry registry) {
    this(registry, Clock.systemUTC(), Optional.empty());
  }

  /** Metrics in {@code registry}, ages measured with {@code clock}; no stale-after gauge. */
  public PublisherMetrics(MeterRegistry registry, Clock clock) {
    this(registry, clock, Optional.empty());
  }

  /**
   * Metrics in {@code registry}, ages measured with {@code clock}, and with {@code stale} the gauge
   * of each latest snapshot's allowed age ({@code chainsnap_publisher_latest_stale_after_seconds},
   * which the staleness alerts compare the age with).
   */
  public PublisherMetrics(MeterRegistry registry, Clock clock, Optional<StalePolicy> stale) {
    this.registry = registry;
    this.clock = clock;
    this.stale = stale;
    uploadSkipped =
        Counter.builder("chainsnap.publisher.upload.skipped")
            .description(
                "Uploads skipped: the archive key already holds an object with the announced"
                    + " SHA-256 and size")
            .register(registry);
    uploadRejected =
        Counter.builder("chainsnap.publisher.upload.rejected")
            .description(
                "Uploads aborted before completion: the staged archive did not hash to the SHA-256"
                    + " that snapshot-created announced")
            .register(registry);
    uploadBytes =
        Counter.builder("chainsnap.publisher.upload.bytes")
            .description("Archive bytes uploaded to S3")
            .register(registry);
    uploadDuration =
        Timer.builder("chainsnap.publisher.upload.duration")
            .description(
                "Archive uploads: staging to S3 multipart upload, hash check and completion")
            .register(registry);
    pinSkipped =
        Counter.builder("chainsnap.publisher.pin.skipped")
            .description("Pins skipped: the catalog already records the snapshot as pinned")
            .register(registry);
    pinBytes =
        Counter.builder("chainsnap.publisher.pin.bytes")
            .description("Archive bytes added to IPFS")
            .register(registry);
  }

  /** An upload was not done: the object is already stored. */
  public void uploadSkipped() {
    uploadSkipped.increment();
  }

  /** An upload was aborted: the staged archive is not the announced one. */
  void uploadRejected() {
    uploadRejected.increment();
  }

  /** An archive of {@code bytes} was uploaded in {@code duration}. */
  void uploaded(Duration duration, long bytes) {
    uploadDuration.record(duration);
    uploadBytes.increment(bytes);
  }

  /** A pin was not done: already recorded. */
  public void pinSkipped() {
    pinSkipped.increment();
  }

  /** An archive of {@code bytes} was added to IPFS. */
  void pinned(long bytes) {
    pinBytes.increment(bytes);
  }

  /**
   * {@code index} was written: the gauges of its latest verified snapshot per mode follow it (NaN
   * for a mode that had a latest snapshot in this process and has none any more).
   */
  void indexed(SnapshotIndex index) {
    for (Mode mode : Mode.values()) {
      Latest.Key key = new Latest.Key(index.chain(), index.network(), mode);
      Optional<SnapshotIndex.Entry> entry =
          index
              .latest(mode)
              .flatMap(
                  id ->
                      index.snapshots().stream()
                          .filter(e -> e.snapshotId().equals(id))
                          .findFirst());
      if (entry.isPresent()) {
        latest.computeIfAbsent(key, this::register).set(entry.get());
      } else {
        Latest known = latest.get(key);
        if (known != null) {
          known.clear();
        }
      }
    }
  }

  private Latest register(Latest.Key key) {
    Latest holder = new Latest();
    Tags tags =
        Tags.of("chain", key.chain(), "network", key.network(), "mode", key.mode().wireName());
    Gauge.builder("chainsnap.publisher.latest.height", holder, Latest::height)
        .description(
            "Block height of the latest verified snapshot in index.json, per chain, network and"
                + " mode")
        .tags(tags)
        .strongReference(true)
        .register(registry);
    Gauge.builder("chainsnap.publisher.latest.age", holder, h -> h.ageSeconds(clock.instant()))
        .description(
            "Seconds since the latest verified snapshot in index.json was taken (its takenAt), per"
                + " chain, network and mode")
        .baseUnit("seconds")
        .tags(tags)
        .strongReference(true)
        .register(registry);
    stale.ifPresent(
        policy ->
            Gauge.builder(
                    "chainsnap.publisher.latest.stale.after",
                    policy,
                    p -> p.staleAfter(key.chain(), key.network()).toMillis() / 1000.0)
                .description(
                    "Age past which the latest verified snapshot counts as stale"
                        + " (publisher.page.stale-after), per chain, network and mode")
                .baseUnit("seconds")
                .tags(tags)
                .strongReference(true)
                .register(registry));
    return holder;
  }

  /** The latest verified snapshot of one chain, network and mode, as the gauges read it. */
  static final class Latest {
    record Key(String chain, String network, Mode mode) {}

    private volatile SnapshotIndex.Entry entry;

    void set(SnapshotIndex.Entry entry) {
      this.entry = entry;
    }

    void clear() {
      this.entry = null;
    }

    double height() {
      SnapshotIndex.Entry current = entry;
      return current == null ? Double.NaN : current.height();
    }

    double ageSeconds(Instant now) {
      SnapshotIndex.Entry current = entry;
      return current == null
          ? Double.NaN
          : Duration.between(current.takenAt(), now).toMillis() / 1000.0;
    }
  }
}
