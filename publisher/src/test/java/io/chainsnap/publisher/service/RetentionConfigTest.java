package io.chainsnap.publisher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.domain.Mode;
import io.chainsnap.events.SnapshotTarget;
import io.chainsnap.publisher.config.PublisherConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The configured policies are checked at start-up, with the offending key named. */
class RetentionConfigTest {

  record Policy(
      int keepLast, int keepDaily, int keepWeekly, int keepMonthly, Optional<Duration> maxAge)
      implements PublisherConfig.Retention.Policy {}

  static Policy last(int n) {
    return new Policy(n, 0, 0, 0, Optional.empty());
  }

  @Test
  void validPoliciesAreKeyedByTarget() {
    Map<SnapshotTarget, RetentionPolicy.Rules> policies =
        RetentionService.policies(
            Map.of(
                "litecoin/mainnet/pruned",
                last(3),
                "litecoin/mainnet/full",
                new Policy(0, 7, 4, 0, Optional.of(Duration.ofDays(2)))));
    assertEquals(
        "keep-last 3",
        policies.get(new SnapshotTarget("litecoin", "mainnet", Mode.PRUNED)).describe());
    assertEquals(
        "keep-daily 7, keep-weekly 4, max-age PT48H",
        policies.get(new SnapshotTarget("litecoin", "mainnet", Mode.FULL)).describe());
  }

  @Test
  void badKeysModesAndEmptyPoliciesAreRefusedNamingTheKey() {
    for (String key : new String[] {"litecoin/mainnet", "Litecoin/mainnet/full", "a/b/c/d"}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> RetentionService.policies(Map.of(key, last(1))));
      assertTrue(e.getMessage().contains("\"" + key + "\""), e.getMessage());
    }
    IllegalArgumentException mode =
        assertThrows(
            IllegalArgumentException.class,
            () -> RetentionService.policies(Map.of("litecoin/mainnet/light", last(1))));
    assertTrue(mode.getMessage().contains("unknown mode 'light'"), mode.getMessage());
    IllegalArgumentException empty =
        assertThrows(
            IllegalArgumentException.class,
            () -> RetentionService.policies(Map.of("litecoin/mainnet/full", last(0))));
    assertTrue(empty.getMessage().contains("no rule set"), empty.getMessage());
  }
}
