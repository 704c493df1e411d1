package io.chainsnap.snapshotter.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.snapshotter.schedule.ScheduleLedger.StartAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up decision of the schedule: first start, up to date, or missed (fire once). */
class ScheduleLedgerTest {
  static final ZoneId UTC = ZoneOffset.UTC;
  static final String HOURLY = "0 0 * * * ?";
  static final Instant NOW = Instant.parse("2026-11-22T10:20:30Z");

  @TempDir Path staging;

  @Test
  void aTargetNeverScheduledHereMissedNothing() {
    ScheduleLedger ledger = new ScheduleLedger(staging);
    assertEquals(StartAction.FIRST_START, ledger.atStart("ltc", HOURLY, NOW, UTC));
  }

  @Test
  void manyMissedSlotsAreOneDecisionAndRecordingItSettlesThem() {
    ScheduleLedger ledger = new ScheduleLedger(staging);
    ledger.record("ltc", NOW.minus(Duration.ofDays(10))); // 240 hourly slots ago
    assertEquals(StartAction.MISSED, ledger.atStart("ltc", HOURLY, NOW, UTC));
    ledger.record("ltc", NOW); // what the scheduler does when it fires the catch-up
    assertEquals(StartAction.UP_TO_DATE, ledger.atStart("ltc", HOURLY, NOW, UTC));
    assertEquals(
        StartAction.UP_TO_DATE,
        ledger.atStart("ltc", HOURLY, NOW.plus(Duration.ofMinutes(30)), UTC),
        "a restart before the next slot has nothing to catch up");
    assertEquals(
        StartAction.MISSED,
        ledger.atStart("ltc", HOURLY, NOW.plus(Duration.ofMinutes(45)), UTC),
        "11:00 passed unhandled");
  }

  @Test
  void theSlotJustHandledIsNotMissed() {
    ScheduleLedger ledger = new ScheduleLedger(staging);
    ledger.record("ltc", Instant.parse("2026-11-22T10:00:00Z")); // the 10:00 slot fired
    assertEquals(StartAction.UP_TO_DATE, ledger.atStart("ltc", HOURLY, NOW, UTC));
  }

  @Test
  void recordsAreKeptPerTargetAndSurviveANewLedger() {
    new ScheduleLedger(staging).record("ltc", NOW);
    ScheduleLedger reopened = new ScheduleLedger(staging);
    assertEquals(NOW, reopened.read("ltc").orElseThrow());
    assertTrue(reopened.read("xmr").isEmpty());
    assertTrue(Files.isRegularFile(staging.resolve(".schedule/ltc.last")));
  }

  @Test
  void anUnreadableRecordCountsAsAFirstStart() throws Exception {
    Files.createDirectories(staging.resolve(".schedule"));
    Files.writeString(staging.resolve(".schedule/ltc.last"), "yesterday-ish");
    assertEquals(
        StartAction.FIRST_START, new ScheduleLedger(staging).atStart("ltc", HOURLY, NOW, UTC));
  }

  @Test
  void quartzSyntaxIsWhatIsAccepted() {
    ScheduleLedger.parse("0 0 */6 * * ?");
    ScheduleLedger.parse("0/5 * * * * ?");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ScheduleLedger.parse("every hour"));
    assertTrue(!e.getMessage().isBlank());
    assertEquals(
        Instant.parse("2026-11-22T06:00:00Z"),
        ScheduleLedger.lastSlot("0 0 */6 * * ?", NOW, UTC).orElseThrow());
  }
}
