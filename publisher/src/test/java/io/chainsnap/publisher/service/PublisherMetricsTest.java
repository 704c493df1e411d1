package io.chainsnap.publisher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.VerificationStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gauges of the latest verified snapshot, and a description on every publisher metric. */
class PublisherMetricsTest {
  static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final PublisherMetrics metrics = new PublisherMetrics(registry, Clock.fixed(NOW, ZoneOffset.UTC));

  static SnapshotIndex.Entry entry(String id, Mode mode, long height, Instant takenAt) {
    return new SnapshotIndex.Entry(
        id,
        mode,
        height,
        "00".repeat(32),
        "/LitecoinCore:0.21.2.1/",
        takenAt,
        10,
        20,
        1,
        "ab".repeat(32),
        Map.of(),
        new SnapshotIndex.Verification(VerificationStatus.VERIFIED, takenAt, null));
  }

  static SnapshotIndex index(Map<String, String> latest, SnapshotIndex.Entry... entries) {
    return new SnapshotIndex(1, "litecoin", "mainnet", 1, NOW, latest, List.of(entries));
  }

  Gauge gauge(String name, Mode mode) {
    return registry
        .find(name)
        .tags("chain", "litecoin", "network", "mainnet", "mode", mode.wireName())
        .gauge();
  }

  @Test
  void theGaugesFollowTheLatestVerifiedSnapshotPerMode() {
    SnapshotIndex.Entry full = entry("f-2", Mode.FULL, 2_000, NOW.minusSeconds(3600));
    SnapshotIndex.Entry older = entry("f-1", Mode.FULL, 1_000, NOW.minusSeconds(7200));
    metrics.indexed(index(Map.of("full", "f-2"), full, older));

    assertEquals(2_000, gauge("chainsnap.publisher.latest.height", Mode.FULL).value());
    assertEquals(3600, gauge("chainsnap.publisher.latest.age", Mode.FULL).value());
    assertNull(gauge("chainsnap.publisher.latest.height", Mode.PRUNED), "no latest, no gauge");

    // the newest is rejected later: latest goes back to the older one
    metrics.indexed(index(Map.of("full", "f-1"), full, older));
    assertEquals(1_000, gauge("chainsnap.publisher.latest.height", Mode.FULL).value());
    assertEquals(7200, gauge("chainsnap.publisher.latest.age", Mode.FULL).value());

    // none verified any more
    metrics.indexed(index(Map.of(), full, older));
    assertTrue(Double.isNaN(gauge("chainsnap.publisher.latest.height", Mode.FULL).value()));
    assertTrue(Double.isNaN(gauge("chainsnap.publisher.latest.age", Mode.FULL).value()));
  }

  @Test
  void theStaleAfterGaugeGivesTheAllowanceOfTheChainAndNetwork() {
    SimpleMeterRegistry withPolicy = new SimpleMeterRegistry();
    PublisherMetrics withStale =
        new PublisherMetrics(
            withPolicy,
            Clock.fixed(NOW, ZoneOffset.UTC),
            java.util.Optional.of(
                new io.chainsnap.publisher.page.StalePolicy(
                    java.time.Duration.ofHours(36),
                    Map.of("litecoin/mainnet", java.time.Duration.ofHours(12)))));
    withStale.indexed(
        index(Map.of("full", "f-2"), entry("f-2", Mode.FULL, 2, NOW.minusSeconds(60))));
    Gauge staleAfter =
        withPolicy
            .find("chainsnap.publisher.latest.stale.after")
            .tags("chain", "litecoin", "network", "mainnet", "mode", "full")
            .gauge();
    assertEquals(12 * 3600, staleAfter.value());
    assertNull(
        registry.find("chainsnap.publisher.latest.stale.after").gauge(), "no policy, no gauge");
  }

  @Test
  void everyMetricHasADescription() {
    metrics.indexed(index(Map.of("full", "f-2"), entry("f-2", Mode.FULL, 2, NOW)));
    List<Meter> meters = registry.getMeters();
    assertEquals(8, meters.size(), meters.toString());
    for (Meter meter : meters) {
      String description = meter.getId().getDescription();
      assertFalse(
          description == null || description.isBlank(), meter.getId() + " has no description");
    }
  }
}
