package io.chainsnap.snapshotter.service;

import com.fasterxml.jackson.annotation.JsonValue;
import io.chainsnap.domain.Trigger;
import java.time.Instant;

/**
 * The latest run of one target, as shown by the REST API.
 *
 * @param target target name
 * @param state where the run is
 * @param trigger what started it
 * @param startedAt when it started
 * @param finishedAt when it ended, null while running
 * @param snapshotId the snapshot made, when it succeeded
 * @param height its height, when it succeeded
 * @param error why it was refused or failed
 */
public record RunStatus(
    String target,
    State state,
    Trigger trigger,
    Instant startedAt,
    Instant finishedAt,
    String snapshotId,
    Long height,
    String error) {

  /** Where a run is; shown in lower case. */
  public enum State {
    RUNNING,
    SUCCEEDED,
    REFUSED,
    FAILED;

    @JsonValue
    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  static RunStatus running(String target, Trigger trigger) {
    return new RunStatus(target, State.RUNNING, trigger, Instant.now(), null, null, null, null);
  }

  RunStatus succeeded(String snapshotId, long height) {
    return new RunStatus(
        target, State.SUCCEEDED, trigger, startedAt, Instant.now(), snapshotId, height, null);
  }

  RunStatus ended(State state, String error) {
    return new RunStatus(target, state, trigger, startedAt, Instant.now(), null, null, error);
  }
}
