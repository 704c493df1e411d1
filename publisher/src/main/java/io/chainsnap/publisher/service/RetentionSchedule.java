package io.chainsnap.publisher.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Runs retention every {@code publisher.retention.every} (first after {@code initial-delay}) when
 * {@code publisher.retention.enabled}; a run still going when the next is due skips that one.
 */
@ApplicationScoped
public class RetentionSchedule {
  private final RetentionService retention;

  public RetentionSchedule(RetentionService retention) {
    this.retention = retention;
  }

  @Scheduled(
      identity = "retention",
      every = "${publisher.retention.every:1h}",
      delayed = "${publisher.retention.initial-delay:5m}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void run() {
    if (retention.enabled()) {
      retention.run(Instant.now()); // logs and goes on when one chain/network fails
    }
  }
}
