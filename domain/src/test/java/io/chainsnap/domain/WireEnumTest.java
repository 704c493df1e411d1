package io.chainsnap.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WireEnumTest {
  @Test
  void wireNamesAreLowerCaseWithDashes() {
    assertEquals("pause-checkpoint", QuiesceStrategy.PAUSE_CHECKPOINT.wireName());
    assertEquals("staging-space", SkipReason.STAGING_SPACE.wireName());
    assertEquals("full", Mode.FULL.toString());
  }

  @Test
  void everyConstantIsFoundByItsWireName() {
    for (Mode m : Mode.values()) {
      assertEquals(m, Mode.fromWire(m.wireName()));
    }
    for (QuiesceStrategy q : QuiesceStrategy.values()) {
      assertEquals(q, QuiesceStrategy.fromWire(q.wireName()));
    }
    for (Trigger t : Trigger.values()) {
      assertEquals(t, Trigger.fromWire(t.wireName()));
    }
    for (SkipReason r : SkipReason.values()) {
      assertEquals(r, SkipReason.fromWire(r.wireName()));
    }
    for (RejectionStage s : RejectionStage.values()) {
      assertEquals(s, RejectionStage.fromWire(s.wireName()));
    }
    for (VerificationStatus s : VerificationStatus.values()) {
      assertEquals(s, VerificationStatus.fromWire(s.wireName()));
    }
  }

  @Test
  void anUnknownNameIsRefusedNamingTheKnownOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Mode.fromWire("everything"));
    assertEquals("'everything' is not a known mode (known: archive, full, pruned)", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> QuiesceStrategy.fromWire("PAUSE_CHECKPOINT"));
    assertEquals(
        "'PAUSE_CHECKPOINT' is not a known quiesce strategy (known: stop, pause-checkpoint)",
        e.getMessage());
  }
}
