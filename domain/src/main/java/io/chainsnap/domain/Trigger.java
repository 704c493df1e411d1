package io.chainsnap.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What asked for a snapshot. */
public enum Trigger implements WireEnum {
  /** The target's cron schedule. */
  SCHEDULE,
  /** {@code POST /targets/{name}/snapshots}. */
  REST,
  /** A {@code snapshot-requested} event. */
  EVENT;

  @Override
  @JsonValue
  public String wireName() {
    return WireEnum.kebab(this);
  }

  /** The constant named {@code value} on the wire; {@link IllegalArgumentException} if none. */
  @JsonCreator
  public static Trigger fromWire(String value) {
    return WireEnum.parse(Trigger.class, value);
  }

  @Override
  public String toString() {
    return wireName();
  }
}
