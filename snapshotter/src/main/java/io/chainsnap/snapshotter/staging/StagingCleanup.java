package io.chainsnap.snapshotter.staging;

import io.chainsnap.archive.FileTrees;
import io.chainsnap.snapshotter.config.SnapshotterConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Frees staging: a snapshot's staged files are deleted once it is published or rejected, never
 * before; and a staged snapshot that was never settled is deleted after {@code
 * snapshotter.staging.retention} (checked hourly), counting from its newest file.
 */
@ApplicationScoped
public class StagingCleanup {
  private static final Logger LOG = Logger.getLogger(StagingCleanup.class);
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

  private final Path staging;
  private final Duration retention;
  private final MeterRegistry metrics;

  public StagingCleanup(SnapshotterConfig config, MeterRegistry metrics) {
    this.staging = config.staging().dir();
    this.retention = config.staging().retention();
    this.metrics = metrics;
  }

  /** {@code snapshotId} is settled ({@code published} or {@code rejected}): free its staging. */
  public void settled(String snapshotId, String how) {
    if (snapshotId == null || !ID.matcher(snapshotId).matches() || snapshotId.contains("..")) {
      return;
    }
    Path dir = staging.resolve(snapshotId);
    if (!Files.isDirectory(dir)) {
      return; // another agent's snapshot, or already cleaned
    }
    FileTrees.delete(dir);
    metrics.counter("chainsnap.snapshot.staging.cleaned", "how", how).increment();
    LOG.infof("staging of %s freed (%s)", snapshotId, how);
  }

  /** Hourly (and once a minute after start): deletes staged snapshots older than the retention. */
  @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void expireHourly() {
    expire(Instant.now());
  }

  /**
   * Deletes every staged snapshot whose newest file is older than the retention at {@code now}.
   * Hidden entries (the schedule records, restart markers, checkpoints) and loose files are left
   * alone.
   *
   * @return the snapshot ids deleted
   */
  public List<String> expire(Instant now) {
    List<String> expired = expired(staging, retention, now);
    for (String id : expired) {
      FileTrees.delete(staging.resolve(id));
      metrics.counter("chainsnap.snapshot.staging.cleaned", "how", "expired").increment();
      LOG.warnf(
          "staging of %s deleted unsettled after the retention of %s: no snapshot-published or"
              + " snapshot-rejected arrived for it (check the publisher and the dead-letter topic)",
          id, retention);
    }
    return expired;
  }

  /** The staged snapshot directories under {@code staging} whose newest file is too old. */
  static List<String> expired(Path staging, Duration retention, Instant now) {
    List<String> expired = new ArrayList<>();
    if (!Files.isDirectory(staging)) {
      return expired;
    }
    Instant cutoff = now.minus(retention);
    try (Stream<Path> entries = Files.list(staging)) {
      for (Path dir : entries.sorted().toList()) {
        String name = dir.getFileName().toString();
        if (!ID.matcher(name).matches() || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        if (newest(dir).toInstant().isBefore(cutoff)) {
          expired.add(name);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list staging " + staging, e);
    }
    return expired;
  }

  private static FileTime newest(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      FileTime newest = Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS);
      for (Path p : files.toList()) {
        FileTime t = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
        if (t.compareTo(newest) > 0) {
          newest = t;
        }
      }
      return newest;
    }
  }
}
