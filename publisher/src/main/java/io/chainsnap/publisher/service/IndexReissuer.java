package io.chainsnap.publisher.service;

import io.chainsnap.publisher.config.SigningConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Re-issues signed indexes before they expire, even when nothing changed ({@link
 * IndexService#reissueDue}): at start-up and then every {@code publisher.signing.check-interval}. A
 * failed round (storage down) is logged and tried again at the next interval; an index stays valid
 * for half its validity after it became due, so many rounds can fail before a client sees it
 * expire. A single daemon thread, not the Quarkus scheduler extension (one fixed-rate task needs no
 * new dependency).
 */
@ApplicationScoped
public class IndexReissuer {
  private static final Logger LOG = Logger.getLogger(IndexReissuer.class);

  private final IndexService indexes;
  private final IndexSigner signer;
  private final SigningConfig config;
  private ScheduledExecutorService timer;

  @Inject
  public IndexReissuer(IndexService indexes, IndexSigner signer, SigningConfig config) {
    this.indexes = indexes;
    this.signer = signer;
    this.config = config;
  }

  void onStart(@Observes StartupEvent event) {
    if (!signer.enabled()) {
      return;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "index-reissue");
              t.setDaemon(true);
              return t;
            });
    long every = config.checkInterval().toMillis();
    timer.scheduleWithFixedDelay(this::round, 0, every, TimeUnit.MILLISECONDS);
  }

  void onStop(@Observes ShutdownEvent event) {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  private void round() {
    try {
      List<String> done = indexes.reissueDue(Instant.now());
      if (!done.isEmpty()) {
        LOG.infof("re-issued %d index(es): %s", done.size(), done);
      }
    } catch (RuntimeException e) {
      LOG.warnf(e, "re-issuing indexes failed (retried in %s)", config.checkInterval());
    }
  }
}
