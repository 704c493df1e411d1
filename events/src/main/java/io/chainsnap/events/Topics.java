package io.chainsnap.events;

/** Kafka topic names. Channel name = topic name: kebab-case, past tense. */
public final class Topics {
  private Topics() {}

  public static final String SNAPSHOT_REQUESTED = "snapshot-requested";
  public static final String SNAPSHOT_CREATED = "snapshot-created";
  public static final String SNAPSHOT_UPLOADED = "snapshot-uploaded";
  public static final String SNAPSHOT_PINNED = "snapshot-pinned";
  public static final String SNAPSHOT_VERIFIED = "snapshot-verified";
  public static final String SNAPSHOT_REJECTED = "snapshot-rejected";
  public static final String SNAPSHOT_PUBLISHED = "snapshot-published";
  public static final String SNAPSHOT_SKIPPED = "snapshot-skipped";
  public static final String SNAPSHOT_EXPIRED = "snapshot-expired";

  /** Events no consumer could process, with the reason in the {@code dead-letter-reason} header. */
  public static final String DEAD_LETTER = "chainsnap-dead-letter";
}
