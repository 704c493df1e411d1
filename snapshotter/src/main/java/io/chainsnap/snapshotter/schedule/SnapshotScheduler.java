package io.chainsnap.snapshotter.schedule;

import io.chainsnap.domain.Trigger;
import io.chainsnap.snapshotter.config.SnapshotterConfig;
import io.chainsnap.snapshotter.service.SnapshotRefusedException;
import io.chainsnap.snapshotter.service.SnapshotRunner;
import io.chainsnap.snapshotter.targets.SourceNode;
import io.chainsnap.snapshotter.targets.Targets;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import org.jboss.logging.Logger;

/**
 * Schedules each target's cron at start-up.
 *
 * <ul>
 *   <li>A slot that passed while the agent was not running fires once when it starts, however many
 *       slots were missed (the last handled slot is kept on disk: {@link ScheduleLedger}).
 *   <li>A slot due while the target's previous run is still going is skipped: the runner refuses
 *       the busy target with a {@code snapshot-skipped} event ({@code busy}), and the run in
 *       progress is the fresher snapshot anyway.
 * </ul>
 */
@ApplicationScoped
public class SnapshotScheduler {
  private static final Logger LOG = Logger.getLogger(SnapshotScheduler.class);

  void schedule(
      @Observes StartupEvent event,
      Scheduler scheduler,
      Targets targets,
      SnapshotRunner runner,
      SnapshotterConfig config) {
    ScheduleLedger ledger = new ScheduleLedger(config.staging().dir());
    Clock clock = Clock.systemDefaultZone();
    ZoneId zone = clock.getZone();
    for (SourceNode node : targets.all()) {
      String cron = node.config().cron().strip();
      if (cron.equals("off")) {
        continue;
      }
      String name = node.name();
      scheduler
          .newJob("snapshot-" + name)
          .setCron(cron)
          .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
          .setTask(
              execution -> {
                ledger.record(name, execution.getScheduledFireTime());
                fire(runner, name, "scheduled snapshot");
              })
          .schedule();
      LOG.infof("target %s: snapshots on cron '%s' (%s)", name, cron, zone);
      Instant now = clock.instant();
      switch (ledger.atStart(name, cron, now, zone)) {
        case FIRST_START -> ledger.record(name, now);
        case UP_TO_DATE -> {}
        case MISSED -> {
          LOG.infof(
              "target %s: the slot of %s passed while the agent was down (last handled %s):"
                  + " firing once now",
              name,
              ScheduleLedger.lastSlot(cron, now, zone).orElse(now),
              ledger.read(name).orElse(null));
          ledger.record(name, now);
          fire(runner, name, "missed scheduled snapshot");
        }
      }
    }
  }

  private static void fire(SnapshotRunner runner, String target, String what) {
    try {
      runner.submit(target, Trigger.SCHEDULE);
    } catch (SnapshotRefusedException e) {
      LOG.warnf("%s of %s skipped: %s", what, target, e.getMessage());
    }
  }
}
