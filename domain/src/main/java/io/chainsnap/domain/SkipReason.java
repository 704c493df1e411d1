package io.chainsnap.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Why a snapshot that was due was not taken ({@code snapshot-skipped}, the run's refusal). */
public enum SkipReason implements WireEnum {
  /** The node's RPC does not answer. */
  UNREACHABLE,
  /** The node is still syncing. */
  SYNCING,
  /** The node has fewer peers than the health gate requires. */
  PEERS,
  /**
   * The node is behind the reference node by more than allowed, or the reference does not answer.
   */
  LAGGING,
  /** A snapshot of the target is already running. */
  BUSY,
  /** Staging has too little free space for the data dir. */
  STAGING_SPACE,
  /** The request names no target of this agent. */
  UNKNOWN_TARGET;

  @Override
  @JsonValue
  public String wireName() {
    return WireEnum.kebab(this);
  }

  /** The constant named {@code value} on the wire; {@link IllegalArgumentException} if none. */
  @JsonCreator
  public static SkipReason fromWire(String value) {
    return WireEnum.parse(SkipReason.class, value);
  }

  @Override
  public String toString() {
    return wireName();
  }
}
