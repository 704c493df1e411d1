package io.chainsnap.snapshotter.service;

import io.chainsnap.events.SnapshotSkipped;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs snapshots in the background for the REST trigger, the schedule and request events, and
 * remembers the latest run of each target. A target already running refuses a second run.
 */
@ApplicationScoped
public class SnapshotRunner {
  private static final Logger LOG = Logger.getLogger(SnapshotRunner.class);

  private final SnapshotService service;
  private final Targets targets;
  private final SnapshotEvents events;
  private final MeterRegistry metrics;
  private final ExecutorService executor =
      Executors.newCachedThreadPool(
          runnable -> {
            Thread thread = new Thread(runnable, "snapshot-run");
            thread.setDaemon(true);
            return thread;
          });
  private final Map<String, RunStatus> latest = new ConcurrentHashMap<>();

  public SnapshotRunner(
      SnapshotService service, Targets targets, SnapshotEvents events, MeterRegistry metrics) {
    this.service = service;
    this.targets = targets;
    this.events = events;
    this.metrics = metrics;
  }

  /** A refusal is an event, not a silent no-op (besides the metric and the log line). */
  private void skipped(String target, String trigger, SnapshotRefusedException e) {
    targets
        .get(target)
        .ifPresent(
            node -> {
              try {
                events.skipped(
                    new SnapshotSkipped(
                        target, node.target(), trigger, e.reason(), e.getMessage(), Instant.now()));
              } catch (RuntimeException failure) {
                LOG.warnf(
                    "could not emit snapshot-skipped for %s: %s", target, failure.getMessage());
              }
            });
  }

  /**
   * Starts a snapshot of {@code target} in the background; throws {@link SnapshotRefusedException}
   * at once when the target is unknown or busy.
   */
  public RunStatus submit(String target, String trigger) {
    if (targets.get(target).isEmpty()) {
      throw new SnapshotRefusedException("unknown-target", "no target named '" + target + "'");
    }
    RunStatus running =
        new RunStatus(target, "running", trigger, Instant.now(), null, null, null, null);
    RunStatus previous =
        latest.compute(
            target,
            (name, current) ->
                current != null && current.state().equals("running") ? current : running);
    if (previous != running) {
      SnapshotRefusedException busy =
          new SnapshotRefusedException(
              "busy",
              "a snapshot of " + target + " is already running since " + previous.startedAt());
      metrics.counter("chainsnap.snapshot.refused", "target", target, "reason", "busy").increment();
      LOG.warnf("snapshot of %s (%s) refused: %s", target, trigger, busy.getMessage());
      skipped(target, trigger, busy);
      throw busy;
    }
    executor.submit(() -> run(running));
    return running;
  }

  private void run(RunStatus running) {
    String target = running.target();
    try {
      SnapshotResult result = service.snapshot(target, running.trigger());
      latest.put(
          target,
          new RunStatus(
              target,
              "succeeded",
              running.trigger(),
              running.startedAt(),
              Instant.now(),
              result.event().snapshotId(),
              result.event().height(),
              null));
    } catch (SnapshotRefusedException e) {
      latest.put(target, finished(running, "refused", e.getMessage()));
      skipped(target, running.trigger(), e);
    } catch (RuntimeException | Error e) {
      LOG.errorf(e, "snapshot of %s failed", target);
      latest.put(target, finished(running, "failed", String.valueOf(e.getMessage())));
    }
  }

  private static RunStatus finished(RunStatus running, String state, String error) {
    return new RunStatus(
        running.target(),
        state,
        running.trigger(),
        running.startedAt(),
        Instant.now(),
        null,
        null,
        error);
  }

  /** The latest run of {@code target}, if any. */
  public Optional<RunStatus> latest(String target) {
    return Optional.ofNullable(latest.get(target));
  }

  void onStop(@Observes ShutdownEvent event) throws InterruptedException {
    executor.shutdown();
    // a run in progress restarts its node in a finally block: give it the chance to
    if (!executor.awaitTermination(5, TimeUnit.MINUTES)) {
      LOG.warn("snapshot runs still going at shutdown");
    }
  }
}
