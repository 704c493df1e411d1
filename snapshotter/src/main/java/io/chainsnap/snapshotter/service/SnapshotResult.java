package io.chainsnap.snapshotter.service;

import io.chainsnap.events.SnapshotCreated;
import java.nio.file.Path;

/**
 * A finished snapshot.
 *
 * @param event the event that announced it
 * @param stagingDir where its files are
 * @param durationMillis the whole run
 */
public record SnapshotResult(SnapshotCreated event, Path stagingDir, long durationMillis) {}
