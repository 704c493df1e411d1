package io.chainsnap.publisher.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.domain.Mode;
import io.chainsnap.events.PermanentFailureException;
import io.chainsnap.events.SnapshotTarget;
import io.chainsnap.publisher.CatalogStage;
import org.junit.jupiter.api.Test;

class CatalogKeysTest {
  static final SnapshotTarget TARGET = new SnapshotTarget("litecoin", "regtest", Mode.FULL);
  static final String ID = "litecoin-regtest-full-20261121t223300123z-503";

  @Test
  void keysAreTheBucketLayout() {
    assertEquals(
        "litecoin/regtest/full/" + ID + "/snapshot.tar.zst", CatalogKeys.archive(TARGET, ID));
    assertEquals(
        "litecoin/regtest/full/" + ID + "/snapshot.json", CatalogKeys.manifest(TARGET, ID));
    assertEquals("litecoin/regtest/index.json", CatalogKeys.index("litecoin", "regtest"));
    assertEquals(
        "_catalog/litecoin/regtest/" + ID + "/verified.json",
        CatalogKeys.record(TARGET, ID, CatalogStage.VERIFIED));
  }

  @Test
  void everyStageRecordIsNamedAfterItsWireName() {
    for (CatalogStage stage : CatalogStage.values()) {
      String name = stage.name().toLowerCase().replace('_', '-');
      assertEquals(stage, CatalogStage.fromWire(name));
      assertTrue(CatalogKeys.record(TARGET, ID, stage).endsWith("/" + name + ".json"));
    }
    assertEquals("snapshot-published", CatalogStage.PUBLISHED.eventType().topic());
  }

  @Test
  void anInvalidSnapshotIdNeverBecomesAKey() {
    for (String bad : new String[] {"../index", "a/b", "", ".hidden", "x y"}) {
      PermanentFailureException e =
          assertThrows(
              PermanentFailureException.class,
              () -> CatalogKeys.record(TARGET, bad, CatalogStage.CREATED));
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
      assertThrows(PermanentFailureException.class, () -> CatalogKeys.archive(TARGET, bad));
      assertThrows(PermanentFailureException.class, () -> CatalogKeys.manifest(TARGET, bad));
    }
    assertThrows(
        PermanentFailureException.class,
        () -> CatalogKeys.record(TARGET, null, CatalogStage.CREATED));
  }
}
