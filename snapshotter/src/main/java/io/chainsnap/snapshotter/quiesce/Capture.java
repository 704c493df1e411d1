package io.chainsnap.snapshotter.quiesce;

import io.chainsnap.archive.ArchiveManifest;

/**
 * What a quiesce strategy produced.
 *
 * @param manifest the archive written
 * @param downtimeMillis how long the node did not serve (stopped, or frozen)
 */
public record Capture(ArchiveManifest manifest, long downtimeMillis) {}
