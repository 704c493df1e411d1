package io.chainsnap.snapshotter.staging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which staged snapshots the retention expires: by their newest file, snapshot dirs only. */
class StagingRetentionTest {
  static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
  static final Duration RETENTION = Duration.ofDays(8);

  @TempDir Path staging;

  Path staged(String id, Instant... fileTimes) throws Exception {
    Path dir = Files.createDirectories(staging.resolve(id));
    for (int i = 0; i < fileTimes.length; i++) {
      Path f = Files.writeString(dir.resolve("file-" + i), "x");
      Files.setLastModifiedTime(f, FileTime.from(fileTimes[i]));
    }
    Files.setLastModifiedTime(dir, FileTime.from(fileTimes[0]));
    return dir;
  }

  @Test
  void onlySnapshotsWhoseNewestFileIsOlderThanTheRetentionExpire() throws Exception {
    Instant old = NOW.minus(Duration.ofDays(9));
    staged("ltc-regtest-full-20261101t000000000z-100", old, old);
    staged("ltc-regtest-full-20261120t000000000z-200", NOW.minus(Duration.ofDays(2)));
    // an old snapshot with one file written recently (a run still writing) is kept
    staged("ltc-regtest-full-20261102t000000000z-300", old, NOW.minus(Duration.ofMinutes(1)));
    // what is not a snapshot dir stays: schedule records, restart markers, loose files
    Path schedule = Files.createDirectories(staging.resolve(".schedule"));
    Files.setLastModifiedTime(schedule, FileTime.from(old));
    Path log = Files.writeString(staging.resolve("watchdog.log"), "x");
    Files.setLastModifiedTime(log, FileTime.from(old));

    assertEquals(
        List.of("ltc-regtest-full-20261101t000000000z-100"),
        StagingCleanup.expired(staging, RETENTION, NOW));
  }

  @Test
  void aMissingStagingDirExpiresNothing() {
    assertEquals(List.of(), StagingCleanup.expired(staging.resolve("absent"), RETENTION, NOW));
  }
}
