package io.chainsnap.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a snapshot keeps of the chain's history: the {@code mode} of targets, events, {@code
 * snapshot.json} and {@code index.json}.
 */
public enum Mode implements WireEnum {
  /** Every historical state (an archive node). */
  ARCHIVE,
  /** A full node's data: every block, current state. */
  FULL,
  /** A pruned node's data: recent blocks only. */
  PRUNED;

  @Override
  @JsonValue
  public String wireName() {
    return WireEnum.kebab(this);
  }

  /** The constant named {@code value} on the wire; {@link IllegalArgumentException} if none. */
  @JsonCreator
  public static Mode fromWire(String value) {
    return WireEnum.parse(Mode.class, value);
  }

  @Override
  public String toString() {
    return wireName();
  }
}
