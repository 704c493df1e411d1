package io.chainsnap.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What the verifier found of a snapshot, as {@code index.json} shows it. */
public enum VerificationStatus implements WireEnum {
  /** Not verified yet. */
  PENDING,
  /** Restored and booted at the announced tip: may be {@code latest}. */
  VERIFIED,
  /** Found unusable: never {@code latest}. */
  REJECTED;

  @Override
  @JsonValue
  public String wireName() {
    return WireEnum.kebab(this);
  }

  /** The constant named {@code value} on the wire; {@link IllegalArgumentException} if none. */
  @JsonCreator
  public static VerificationStatus fromWire(String value) {
    return WireEnum.parse(VerificationStatus.class, value);
  }

  @Override
  public String toString() {
    return wireName();
  }
}
