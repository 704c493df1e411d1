package io.chainsnap.events;

/** The data of an event. */
public interface EventData {
  /** Kafka key and CloudEvents subject: the snapshot id (the request id for requests). */
  String key();
}
