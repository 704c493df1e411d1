package io.chainsnap.publisher;

import io.chainsnap.domain.WireEnum;
import io.chainsnap.events.EventType;

/**
 * A stage a snapshot reaches in the publisher's catalog, with the event recorded for it. The wire
 * name is the record's file name in the bucket ({@code _catalog/.../<id>/<stage>.json}).
 */
public enum CatalogStage implements WireEnum {
  /** Announced by the snapshotter ({@code snapshot-created}). */
  CREATED(EventType.SNAPSHOT_CREATED),
  /** Archive and {@code snapshot.json} stored under their public keys. */
  UPLOADED(EventType.SNAPSHOT_UPLOADED),
  /** Archive added and pinned on IPFS. */
  PINNED(EventType.SNAPSHOT_PINNED),
  /** The verifier restored and booted it. */
  VERIFIED(EventType.SNAPSHOT_VERIFIED),
  /** The verifier found it unusable. */
  REJECTED(EventType.SNAPSHOT_REJECTED),
  /** {@code snapshot-published} was emitted for it. */
  PUBLISHED(EventType.SNAPSHOT_PUBLISHED),
  /**
   * {@code snapshot-uploaded} was emitted for it (written after the broker's ack): a redelivered
   * {@code snapshot-created} does not emit it again.
   */
  UPLOAD_ANNOUNCED(EventType.SNAPSHOT_UPLOADED),
  /** {@code snapshot-pinned} was emitted for it; likewise. */
  PIN_ANNOUNCED(EventType.SNAPSHOT_PINNED),
  /**
   * Retention decided to remove it (written first): from then on the index never lists it, and its
   * objects, pin and mirror references go once the download window has passed.
   */
  EXPIRED(EventType.SNAPSHOT_EXPIRED),
  /** {@code snapshot-expired} was emitted for it (after the broker's ack): its expiry is done. */
  EXPIRY_ANNOUNCED(EventType.SNAPSHOT_EXPIRED);

  private final EventType eventType;

  CatalogStage(EventType eventType) {
    this.eventType = eventType;
  }

  /** The type of the event recorded for this stage. */
  public EventType eventType() {
    return eventType;
  }

  @Override
  public String wireName() {
    return WireEnum.kebab(this);
  }

  /** The stage whose record is named {@code value}; {@link IllegalArgumentException} if none. */
  public static CatalogStage fromWire(String value) {
    return WireEnum.parse(CatalogStage.class, value);
  }

  @Override
  public String toString() {
    return wireName();
  }
}
