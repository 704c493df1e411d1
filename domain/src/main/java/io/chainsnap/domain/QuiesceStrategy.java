package io.chainsnap.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How the snapshotter quiesced the node while it captured the data dir. */
public enum QuiesceStrategy implements WireEnum {
  /** Stop the node, archive its data dir, start it again: down for the whole archive time. */
  STOP,
  /**
   * Flush, freeze (SIGSTOP), checkpoint the data dir in seconds, thaw, archive the checkpoint while
   * the node runs.
   */
  PAUSE_CHECKPOINT;

  @Override
  @JsonValue
  public String wireName() {
    return WireEnum.kebab(this);
  }

  /** The constant named {@code value} on the wire; {@link IllegalArgumentException} if none. */
  @JsonCreator
  public static QuiesceStrategy fromWire(String value) {
    return WireEnum.parse(QuiesceStrategy.class, value);
  }

  @Override
  public String toString() {
    return wireName();
  }
}
