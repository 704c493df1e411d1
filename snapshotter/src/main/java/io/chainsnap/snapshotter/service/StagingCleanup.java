package io.chainsnap.snapshotter.service;

import io.chainsnap.archive.FileTrees;
import io.chainsnap.snapshotter.config.SnapshotterConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/** Deletes a snapshot's staged files once it is published or rejected, never before. */
@ApplicationScoped
public class StagingCleanup {
  private static final Logger LOG = Logger.getLogger(StagingCleanup.class);
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

  private final Path staging;
  private final MeterRegistry metrics;

  public StagingCleanup(SnapshotterConfig config, MeterRegistry metrics) {
    this.staging = config.staging().dir();
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
}
