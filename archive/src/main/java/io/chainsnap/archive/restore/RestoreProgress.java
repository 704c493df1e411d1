package io.chainsnap.archive.restore;

import java.time.Duration;

/**
 * A progress report.
 *
 * @param archiveBytes size of {@code snapshot.tar.zst}
 * @param doneBytes archive bytes done (fetched in this run, plus those of earlier runs)
 * @param resumedBytes archive bytes an earlier run had already applied (not fetched again)
 * @param chunks chunks in the archive
 * @param chunksDone chunks applied (restore) or stored (download) or checked (verify)
 * @param bytesPerSecond recent transfer rate of this run
 * @param eta estimated time left, or {@code null} when unknown
 * @param elapsed time since this run started
 */
public record RestoreProgress(
    long archiveBytes,
    long doneBytes,
    long resumedBytes,
    int chunks,
    int chunksDone,
    double bytesPerSecond,
    Duration eta,
    Duration elapsed) {

  /** Fraction done, 0 to 1. */
  public double fraction() {
    return archiveBytes <= 0 ? 1 : Math.min(1.0, (double) doneBytes / archiveBytes);
  }
}
