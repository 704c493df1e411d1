package io.chainsnap.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SnapshotIdTest {
  @Test
  void madeIdsNameTargetTimeAndHeightInLowerCase() {
    assertEquals(
        "litecoin-regtest-full-20261121t223300123z-503",
        SnapshotId.of(
            "litecoin", "regtest", Mode.FULL, Instant.parse("2026-11-21T22:33:00.123Z"), 503));
    assertEquals(
        "btc-main-pruned-20260101t000000000z-0",
        SnapshotId.of("BTC", "Main", Mode.PRUNED, Instant.parse("2026-01-01T00:00:00Z"), 0));
  }

  @Test
  void madeIdsSortByTime() {
    String earlier = SnapshotId.of("c", "n", Mode.FULL, Instant.parse("2026-11-21T09:00:00Z"), 999);
    String later = SnapshotId.of("c", "n", Mode.FULL, Instant.parse("2026-11-21T10:00:00Z"), 1);
    assertTrue(earlier.compareTo(later) < 0);
  }

  @Test
  void validIdsAreLettersDigitsDotsDashesUnderscores() {
    assertTrue(SnapshotId.isValid("a"));
    assertTrue(SnapshotId.isValid("Litecoin_mainnet.v2-20261121"));
    assertTrue(SnapshotId.isValid("x".repeat(200)));
    for (String bad :
        new String[] {
          "", "../../tmp/x", "-leading-dash", ".hidden", "a/b", "a b", "x".repeat(201), "é"
        }) {
      assertFalse(SnapshotId.isValid(bad), bad);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> SnapshotId.require(bad));
      assertTrue(e.getMessage().contains("invalid snapshot id"), e.getMessage());
    }
    assertFalse(SnapshotId.isValid(null));
  }
}
