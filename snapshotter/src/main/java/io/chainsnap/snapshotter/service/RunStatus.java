package io.chainsnap.snapshotter.service;

import java.time.Instant;

/**
 * The latest run of one target, as shown by the REST API.
 *
 * @param target target name
 * @param state {@code running}, {@code succeeded}, {@code refused} or {@code failed}
 * @param trigger what started it: {@code rest}, {@code schedule}, {@code event}
 * @param startedAt when it started
 * @param finishedAt when it ended, null while running
 * @param snapshotId the snapshot made, when it succeeded
 * @param height its height, when it succeeded
 * @param error why it was refused or failed
 */
public record RunStatus(
    String target,
    String state,
    String trigger,
    Instant startedAt,
    Instant finishedAt,
    String snapshotId,
    Long height,
    String error) {}
