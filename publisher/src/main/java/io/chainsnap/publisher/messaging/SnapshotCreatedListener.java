package io.chainsnap.publisher.messaging;

import io.chainsnap.events.EventType;
import io.chainsnap.events.SnapshotCreated;
import io.chainsnap.events.SnapshotPinned;
import io.chainsnap.events.SnapshotUploaded;
import io.chainsnap.events.kafka.KafkaEvents;
import io.chainsnap.publisher.config.PublisherConfig;
import io.chainsnap.publisher.service.IndexService;
import io.chainsnap.publisher.service.PinService;
import io.chainsnap.publisher.service.PublisherMetrics;
import io.chainsnap.publisher.service.UploadService;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Consumes {@code snapshot-created} twice, in two consumer groups, so that uploading and pinning
 * progress (and fail, and retry) independently. Each handler returns only after its work is durable
 * and its event acknowledged; then the offset is committed. Failures that retrying cannot fix go to
 * the dead-letter topic with the reason.
 */
@ApplicationScoped
public class SnapshotCreatedListener {
  private static final Logger LOG = Logger.getLogger(SnapshotCreatedListener.class);

  private final UploadService uploads;
  private final PinService pins;
  private final IndexService index;
  private final PublisherEvents events;
  private final boolean ipfsEnabled;
  private final PublisherMetrics metrics;

  public SnapshotCreatedListener(
      UploadService uploads,
      PinService pins,
      IndexService index,
      PublisherEvents events,
      PublisherConfig config,
      PublisherMetrics metrics) {
    this.uploads = uploads;
    this.pins = pins;
    this.index = index;
    this.events = events;
    this.ipfsEnabled = config.ipfs().enabled();
    this.metrics = metrics;
  }

  /**
   * Uploads the archive to object storage, then emits {@code snapshot-uploaded}, once per snapshot:
   * a redelivered event (broker restart, offset reset) whose {@code snapshot-uploaded} was already
   * emitted does nothing.
   */
  @Incoming("snapshot-created-upload")
  @Blocking
  public void upload(ConsumerRecord<String, String> record) {
    SnapshotCreated created = KafkaEvents.decode(EventType.SNAPSHOT_CREATED, record);
    MDC.put("snapshotId", created.snapshotId());
    try {
      if (uploads.announced(created)) {
        LOG.infof("%s was uploaded and announced already: nothing to do", created.snapshotId());
        metrics.uploadSkipped();
        return;
      }
      SnapshotUploaded uploaded = uploads.upload(created);
      index.changed(created.target(), created.snapshotId());
      events.uploaded(uploaded);
      uploads.markAnnounced(uploaded);
    } finally {
      MDC.remove("snapshotId");
    }
  }

  /** Pins the archive on IPFS, then emits {@code snapshot-pinned}, once per snapshot likewise. */
  @Incoming("snapshot-created-pin")
  @Blocking
  public void pin(ConsumerRecord<String, String> record) {
    SnapshotCreated created = KafkaEvents.decode(EventType.SNAPSHOT_CREATED, record);
    if (!ipfsEnabled) {
      return;
    }
    MDC.put("snapshotId", created.snapshotId());
    try {
      if (pins.announced(created)) {
        LOG.infof("%s was pinned and announced already: nothing to do", created.snapshotId());
        metrics.pinSkipped();
        return;
      }
      SnapshotPinned pinned = pins.pin(created);
      index.changed(created.target(), created.snapshotId());
      events.pinned(pinned);
      pins.markAnnounced(pinned);
    } finally {
      MDC.remove("snapshotId");
    }
  }
}
