package io.chainsnap.snapshotter.service;

import io.chainsnap.domain.SkipReason;
import io.chainsnap.domain.Trigger;
import io.chainsnap.events.SnapshotSkipped;
import io.chainsnap.snapshotter.messaging.SnapshotEvents;
import io.chainsnap.snapshotter.targets.SourceNode;
import io.chainsnap.snapshotter.targets.Targets;
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
 * The one entry of every snapshot (REST trigger, schedule, request events): refuses an unknown or
 * busy target, runs the snapshot in the background, remembers the latest run of each target, and
 * turns every refusal of a configured target into a {@code snapshot-skipped} event and a metric.
 */
@ApplicationScoped
public class SnapshotRunner {
  private static final Logger LOG = Logger.getLogger(SnapshotRunner.class);

  private final SnapshotService service;
  private final Targets targets;
  private final SnapshotEvents events;
  private final SnapshotMetrics metrics;
  private final ExecutorService executor =
      Executors.newCachedThreadPool(
          runnable -> {
            Thread thread = new Thread(runnable, "snapshot-run");
            thread.setDaemon(true);
            return thread;
          });
  private final Map<String, RunStatus> latest = new ConcurrentHashMap<>();

  public SnapshotRunner(
      SnapshotService service, Targets targets, SnapshotEvents events, SnapshotMetrics metrics) {
    this.service = service;
    this.targets = targets;
    this.events = events;
    this.metrics = metrics;
  }

  /**
   * Starts a snapshot of {@code target} in the background; throws {@link SnapshotRefusedException}
   * at once when the target is unknown or busy.
   */
  public RunStatus submit(String target, Trigger trigger) {
    SourceNode node =
        targets
            .get(target)
            .orElseThrow(
                () ->
                    new SnapshotRefusedException(
                        SkipReason.UNKNOWN_TARGET, "no target named '" + target + "'"));
    RunStatus running = RunStatus.running(target, trigger);
    RunStatus current =
        latest.compute(
            target,
            (name, previous) ->
                previous != null && previous.state() == RunStatus.State.RUNNING
                    ? previous
                    : running);
    if (current != running) {
      SnapshotRefusedException busy =
          new SnapshotRefusedException(
              SkipReason.BUSY,
              "a snapshot of " + target + " is already running since " + current.startedAt());
      LOG.warnf("snapshot of %s (%s) refused: %s", target, trigger, busy.getMessage());
      skipped(node, trigger, busy);
      throw busy;
    }
    executor.submit(() -> run(node, running));
    return running;
  }

  private void run(SourceNode node, RunStatus running) {
    try {
      SnapshotResult result = service.snapshot(node, running.trigger());
      latest.put(
          node.name(), running.succeeded(result.event().snapshotId(), result.event().height()));
    } catch (SnapshotRefusedException e) {
      latest.put(node.name(), running.ended(RunStatus.State.REFUSED, e.getMessage()));
      skipped(node, running.trigger(), e);
    } catch (RuntimeException | Error e) {
      LOG.errorf(e, "snapshot of %s failed", node.name());
      latest.put(
          node.name(), running.ended(RunStatus.State.FAILED, String.valueOf(e.getMessage())));
    }
  }

  /** A refusal is an event and a metric, not a silent no-op. */
  private void skipped(SourceNode node, Trigger trigger, SnapshotRefusedException e) {
    metrics.refused(node.name(), e.reason());
    try {
      events.skipped(
          new SnapshotSkipped(
              node.name(), node.target(), trigger, e.reason(), e.getMessage(), Instant.now()));
    } catch (RuntimeException failure) {
      LOG.warnf("could not emit snapshot-skipped for %s: %s", node.name(), failure.getMessage());
    }
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
