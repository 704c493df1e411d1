/**
 * Staging: signed URLs of staged files, the free-space check before a run, and the cleanup of
 * settled or abandoned snapshots.
 */
package io.chainsnap.snapshotter.staging;
