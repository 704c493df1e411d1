package io.chainsnap.snapshotter.service;

import io.chainsnap.domain.QuiesceStrategy;
import io.chainsnap.domain.SkipReason;
import io.chainsnap.snapshotter.quiesce.Capture;
import io.chainsnap.snapshotter.targets.SourceNode;
import io.chainsnap.snapshotter.targets.Targets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The snapshotter's metrics in one place: each one registered here at start-up with its description
 * (the {@code # HELP} line of {@code /q/metrics}) and, where its tags are known, for every target
 * and tag value at 0. Call sites elsewhere ({@code NodeResumer}, {@code Checkpointer}, {@code
 * StagingCleanup}, {@code SnapshotRequestListener}) look the same meters up by name and tags.
 *
 * <p>Timers keep their {@code _max} for a few minutes only; the {@code last} gauges keep the value
 * of the last snapshot until the next one (NaN before the first snapshot since start), so that an
 * alert can read it at any time.
 */
@Startup
@ApplicationScoped
public class SnapshotMetrics {
  static final String CREATED = "chainsnap.snapshot.created";
  static final String DURATION = "chainsnap.snapshot.duration";
  static final String DOWNTIME = "chainsnap.snapshot.node.downtime";
  static final String COMPRESSED = "chainsnap.snapshot.compressed.bytes";
  static final String REFUSED = "chainsnap.snapshot.refused";
  static final String FAILED = "chainsnap.snapshot.failed";

  /** Stages of {@link #FAILED}: {@code restart} is counted by {@code NodeResumer}. */
  static final List<String> FAILED_STAGES = List.of("archive", "restart", "emit");

  private final MeterRegistry metrics;
  private final Map<String, Last> last = new ConcurrentHashMap<>();

  public SnapshotMetrics(MeterRegistry metrics, Targets targets) {
    this.metrics = metrics;
    for (SourceNode node : targets.all()) {
      Tags tags = Tags.of("target", node.name());
      Tags withStrategy = tags.and("strategy", node.config().quiesce().wireName());
      Last holder = new Last();
      last.put(node.name(), holder);
      Gauge.builder("chainsnap.snapshot.last.success.timestamp", holder, h -> h.successEpochSecond)
          .description(
              "Epoch seconds of the last successful snapshot of the target; 0 after every start")
          .tags(tags)
          .strongReference(true)
          .register(metrics);
      Gauge.builder("chainsnap.snapshot.last.downtime", holder, h -> h.downtimeSeconds)
          .description(
              "Node downtime of the last successful snapshot of the target (stop: node down;"
                  + " pause-checkpoint: node frozen); NaN before the first one since start")
          .baseUnit("seconds")
          .tags(withStrategy)
          .strongReference(true)
          .register(metrics);
      Gauge.builder("chainsnap.snapshot.last.duration", holder, h -> h.durationSeconds)
          .description(
              "Whole run of the last successful snapshot of the target; NaN before the first one"
                  + " since start")
          .baseUnit("seconds")
          .tags(tags)
          .strongReference(true)
          .register(metrics);
      Counter.builder(CREATED)
          .description("Snapshots staged and announced in snapshot-created")
          .tags(tags)
          .register(metrics);
      Timer.builder(DURATION)
          .description("Whole snapshot runs, health gate to snapshot-created")
          .tags(tags)
          .register(metrics);
      Timer.builder(DOWNTIME)
          .description(
              "Node downtime per snapshot (stop: node down; pause-checkpoint: node frozen); the"
                  + " _max decays a few minutes after a snapshot, see"
                  + " chainsnap_snapshot_last_downtime_seconds")
          .tags(withStrategy)
          .register(metrics);
      DistributionSummary.builder(COMPRESSED)
          .description("Archive size in bytes (compressed) per snapshot")
          .tags(tags)
          .register(metrics);
      if (node.config().quiesce() == QuiesceStrategy.PAUSE_CHECKPOINT) {
        Counter.builder("chainsnap.snapshot.checkpoint.copied.bytes")
            .description(
                "Bytes copied (not hard-linked) into the pause checkpoint while the node was frozen")
            .tags(tags)
            .register(metrics);
      }
      for (SkipReason reason : SkipReason.values()) {
        if (reason != SkipReason.BUSY && reason != SkipReason.UNKNOWN_TARGET) {
          Counter.builder(REFUSED)
              .description("Snapshot runs refused before touching the node, by reason")
              .tags(tags.and("reason", reason.wireName()))
              .register(metrics);
        }
      }
      for (String stage : FAILED_STAGES) {
        Counter.builder(FAILED)
            .description(
                "Snapshot runs that failed, by stage (archive, restart: the node did not start"
                    + " again, emit)")
            .tags(tags.and("stage", stage))
            .register(metrics);
      }
    }
    for (String outcome : List.of("started", "stale", "other-agent", "refused")) {
      Counter.builder("chainsnap.snapshot.requests")
          .description("snapshot-requested events handled, by outcome")
          .tags("outcome", outcome)
          .register(metrics);
    }
    for (String how : List.of("published", "rejected", "expired")) {
      Counter.builder("chainsnap.snapshot.staging.cleaned")
          .description(
              "Staged snapshots deleted: settled (published, rejected) or unsettled past the"
                  + " retention (expired)")
          .tags("how", how)
          .register(metrics);
    }
  }

  /** A snapshot was staged and announced. */
  void created(SourceNode node, Capture capture, long durationMillis) {
    Tags tags = Tags.of("target", node.name());
    metrics.timer(DURATION, tags).record(Duration.ofMillis(durationMillis));
    metrics
        .timer(DOWNTIME, tags.and("strategy", node.config().quiesce().wireName()))
        .record(Duration.ofMillis(capture.downtimeMillis()));
    metrics.summary(COMPRESSED, tags).record(capture.manifest().compressedSize());
    metrics.counter(CREATED, tags).increment();
    Last holder = last.get(node.name());
    holder.downtimeSeconds = capture.downtimeMillis() / 1000.0;
    holder.durationSeconds = durationMillis / 1000.0;
    holder.successEpochSecond = Instant.now().getEpochSecond();
  }

  /** A due snapshot was not taken. */
  void refused(String target, SkipReason reason) {
    metrics.counter(REFUSED, "target", target, "reason", reason.wireName()).increment();
  }

  /**
   * A run failed at {@code stage} ({@code archive}, {@code emit}; {@code restart} is counted by the
   * resumer).
   */
  void failed(SourceNode node, String stage) {
    metrics.counter(FAILED, "target", node.name(), "stage", stage).increment();
  }

  /** What the {@code last} gauges of one target read. */
  private static final class Last {
    volatile double successEpochSecond;
    volatile double downtimeSeconds = Double.NaN;
    volatile double durationSeconds = Double.NaN;
  }
}
