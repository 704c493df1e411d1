/**
 * Quiesce strategies ({@code Quiescer}: {@code StopQuiescer}, {@code PauseCheckpointQuiescer}) and
 * what keeps a node safe through them: the checkpoint, the pause watchdog process, the restart
 * marker and the resumer. Whatever fails, the node is resumed before the failure propagates.
 */
package io.chainsnap.snapshotter.quiesce;
