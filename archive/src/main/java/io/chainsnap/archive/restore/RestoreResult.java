package io.chainsnap.archive.restore;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * What a successful restore (or download, or remote verification) did.
 *
 * @param snapshotId the snapshot
 * @param target the restored directory, downloaded file, or {@code null} for a verification
 * @param sha256 the whole-archive SHA-256, checked
 * @param archiveBytes size of {@code snapshot.tar.zst}
 * @param fetchedBytes bytes read from the source by this run (retries included)
 * @param chunks chunks in the archive
 * @param resumedChunks chunks an earlier run had done (not fetched again)
 * @param files regular files in the snapshot
 * @param contentBytes bytes of file data in the snapshot
 * @param elapsed wall time of this run
 * @param alreadyRestoredAt when an earlier run finished restoring this snapshot into the
 *     destination, if this run found it there and did nothing; {@code null} otherwise
 */
public record RestoreResult(
    String snapshotId,
    Path target,
    String sha256,
    long archiveBytes,
    long fetchedBytes,
    int chunks,
    int resumedChunks,
    long files,
    long contentBytes,
    Duration elapsed,
    Instant alreadyRestoredAt) {

  /** A result of a run that did the work. */
  public RestoreResult(
      String snapshotId,
      Path target,
      String sha256,
      long archiveBytes,
      long fetchedBytes,
      int chunks,
      int resumedChunks,
      long files,
      long contentBytes,
      Duration elapsed) {
    this(
        snapshotId,
        target,
        sha256,
        archiveBytes,
        fetchedBytes,
        chunks,
        resumedChunks,
        files,
        contentBytes,
        elapsed,
        null);
  }

  /** Whether the destination already held this snapshot, restored by an earlier run. */
  public boolean alreadyRestored() {
    return alreadyRestoredAt != null;
  }

  /** Bytes fetched per second of this run. */
  public double bytesPerSecond() {
    double s = elapsed.toNanos() / 1e9;
    return s <= 0 ? 0 : fetchedBytes / s;
  }
}
