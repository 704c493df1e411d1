package io.chainsnap.verifier.messaging;

import io.chainsnap.events.EventData;
import io.chainsnap.events.EventType;
import io.chainsnap.events.SnapshotUploaded;
import io.chainsnap.events.Topics;
import io.chainsnap.events.kafka.KafkaEvents;
import io.chainsnap.verifier.service.VerifyService;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Verifies every uploaded snapshot and emits the result; the offset is committed only after the
 * result is acknowledged by the broker. A redelivered event for a snapshot this instance already
 * verified is skipped; after a restart a duplicate verification is harmless, because the publisher
 * publishes each snapshot once.
 */
@ApplicationScoped
public class SnapshotUploadedListener {
  private static final Logger LOG = Logger.getLogger(SnapshotUploadedListener.class);

  private final VerifyService verifier;
  private final VerdictSender sender;
  private final Set<String> done =
      Collections.newSetFromMap(
          Collections.synchronizedMap(
              new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                  return size() > 10_000;
                }
              }));

  public SnapshotUploadedListener(VerifyService verifier, VerdictSender sender) {
    this.verifier = verifier;
    this.sender = sender;
  }

  @Incoming(Topics.SNAPSHOT_UPLOADED)
  @Blocking
  public void onUploaded(ConsumerRecord<String, String> record) {
    SnapshotUploaded uploaded = KafkaEvents.decode(EventType.SNAPSHOT_UPLOADED, record);
    if (done.contains(uploaded.snapshotId())) {
      LOG.infof(
          "%s already verified by this instance: skipping the redelivery", uploaded.snapshotId());
      return;
    }
    MDC.put("snapshotId", uploaded.snapshotId());
    try {
      EventData result = verifier.verify(uploaded);
      sender.send(result);
      done.add(uploaded.snapshotId());
    } finally {
      MDC.remove("snapshotId");
    }
  }
}
