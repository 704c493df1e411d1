package io.chainsnap.snapshotter.service;

import io.chainsnap.domain.SkipReason;
import io.chainsnap.snapshotter.quiesce.Capture;
import io.chainsnap.snapshotter.targets.SourceNode;
import io.chainsnap.snapshotter.targets.Targets;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The snapshot metrics of every target, in one place: created, refused, failed per stage. */
@ApplicationScoped
public class SnapshotMetrics {
  private final MeterRegistry metrics;
  private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();

  public SnapshotMetrics(MeterRegistry metrics, Targets targets) {
    this.metrics = metrics;
    for (SourceNode node : targets.all()) {
      lastSuccess.put(
          node.name(),
          metrics.gauge(
              "chainsnap.snapshot.last.success.timestamp",
              Tags.of("target", node.name()),
              new AtomicLong()));
    }
  }

  /** A snapshot was staged and announced. */
  void created(SourceNode node, Capture capture, long durationMillis) {
    Tags tags = Tags.of("target", node.name());
    metrics.timer("chainsnap.snapshot.duration", tags).record(Duration.ofMillis(durationMillis));
    metrics
        .timer(
            "chainsnap.snapshot.node.downtime",
            tags.and("strategy", node.config().quiesce().wireName()))
        .record(Duration.ofMillis(capture.downtimeMillis()));
    metrics
        .summary("chainsnap.snapshot.compressed.bytes", tags)
        .record(capture.manifest().compressedSize());
    metrics.counter("chainsnap.snapshot.created", tags).increment();
    lastSuccess.get(node.name()).set(Instant.now().getEpochSecond());
  }

  /** A due snapshot was not taken. */
  void refused(String target, SkipReason reason) {
    metrics
        .counter("chainsnap.snapshot.refused", "target", target, "reason", reason.wireName())
        .increment();
  }

  /**
   * A run failed at {@code stage} ({@code archive}, {@code emit}; {@code restart} is counted by the
   * resumer).
   */
  void failed(SourceNode node, String stage) {
    metrics.counter("chainsnap.snapshot.failed", "target", node.name(), "stage", stage).increment();
  }
}
