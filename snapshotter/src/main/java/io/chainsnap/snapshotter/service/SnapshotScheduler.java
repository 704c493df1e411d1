package io.chainsnap.snapshotter.service;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Schedules each target's cron at start-up. A run still going when the next one is due is skipped
 * (the runner refuses a busy target), and missed runs are not caught up: at most one fires.
 */
@ApplicationScoped
public class SnapshotScheduler {
  private static final Logger LOG = Logger.getLogger(SnapshotScheduler.class);

  void schedule(
      @Observes StartupEvent event, Scheduler scheduler, Targets targets, SnapshotRunner runner) {
    for (SourceNode node : targets.all()) {
      String cron = node.config().cron().strip();
      if (cron.equals("off")) {
        continue;
      }
      scheduler
          .newJob("snapshot-" + node.name())
          .setCron(cron)
          .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
          .setTask(
              execution -> {
                try {
                  runner.submit(node.name(), "schedule");
                } catch (SnapshotRefusedException e) {
                  LOG.warnf("scheduled snapshot of %s skipped: %s", node.name(), e.getMessage());
                }
              })
          .schedule();
      LOG.infof("target %s: snapshots on cron '%s'", node.name(), cron);
    }
  }
}
