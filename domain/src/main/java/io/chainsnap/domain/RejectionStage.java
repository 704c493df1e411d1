package io.chainsnap.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Where the verification of a published snapshot failed ({@code snapshot-rejected}). */
public enum RejectionStage implements WireEnum {
  /** A published object is missing or not public. */
  DOWNLOAD,
  /** A hash, or {@code snapshot.json} against the announcement, disagrees. */
  CHECKSUM,
  /** The archive or {@code snapshot.json} is refused by the reader (format, unsafe entry). */
  EXTRACT,
  /** The node did not start on the restored data. */
  BOOT,
  /**
   * The restored node is not at the announced height and block hash, or its own check of the chain
   * up to it ({@code verifychain}) fails.
   */
  TIP,
  /**
   * A periodic re-check of a snapshot verified earlier failed: a published object is gone, changed
   * size or hash, or no longer restores and boots (the reason says which).
   */
  REVERIFY;

  @Override
  @JsonValue
  public String wireName() {
    return WireEnum.kebab(this);
  }

  /** The constant named {@code value} on the wire; {@link IllegalArgumentException} if none. */
  @JsonCreator
  public static RejectionStage fromWire(String value) {
    return WireEnum.parse(RejectionStage.class, value);
  }

  @Override
  public String toString() {
    return wireName();
  }
}
