package io.chainsnap.verifier.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.archive.ArchiveException;
import io.chainsnap.archive.ArchiveManifest;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.archive.restore.RestoreException;
import io.chainsnap.archive.restore.RestoreException.Reason;
import io.chainsnap.chain.ChainBootException;
import io.chainsnap.chain.ChainStatus;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.QuiesceStrategy;
import io.chainsnap.domain.RejectionStage;
import io.chainsnap.events.SnapshotTarget;
import io.chainsnap.events.SnapshotUploaded;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VerdictsTest {
  private static final String ID = "litecoin-regtest-full-20250101T000000Z-120";
  private static final String HASH = "ab".repeat(32);
  private static final String SHA = "cd".repeat(32);
  private static final SnapshotTarget TARGET = new SnapshotTarget("litecoin", "regtest", Mode.FULL);

  private static SnapshotUploaded uploaded(long height, String hash) {
    return new SnapshotUploaded(
        ID,
        TARGET,
        height,
        hash,
        "bucket",
        "k/snapshot.tar.zst",
        "k/snapshot.json",
        "https://cdn/k/snapshot.tar.zst",
        "https://cdn/k/snapshot.json",
        SHA,
        4000,
        Instant.EPOCH);
  }

  private static SnapshotMetadata metadata(String id, Mode mode, long height, String sha) {
    ArchiveManifest archive =
        new ArchiveManifest(1, 1 << 20, 8192, 6000, 3, 4000, sha, "zstd", 3, List.of());
    return new SnapshotMetadata(
        1,
        id,
        "litecoin",
        "regtest",
        mode,
        "/LitecoinCore:0.21.2.1/",
        height,
        HASH,
        Instant.EPOCH,
        QuiesceStrategy.STOP,
        500,
        archive);
  }

  @Test
  void everyRestoreReasonIsARejectionStageOrTheVerifiersOwnTrouble() {
    Map<Reason, Optional<RejectionStage>> expected = new EnumMap<>(Reason.class);
    expected.put(Reason.NOT_FOUND, Optional.of(RejectionStage.DOWNLOAD));
    expected.put(Reason.CORRUPT, Optional.of(RejectionStage.CHECKSUM));
    expected.put(Reason.UNSUPPORTED_FORMAT, Optional.of(RejectionStage.EXTRACT));
    expected.put(Reason.UNSAFE, Optional.of(RejectionStage.EXTRACT));
    expected.put(Reason.NETWORK, Optional.empty());
    expected.put(Reason.CANCELLED, Optional.empty());
    expected.put(Reason.DISK, Optional.empty());
    expected.put(Reason.NO_SPACE, Optional.empty());
    expected.put(Reason.DESTINATION, Optional.empty());
    assertEquals(List.of(Reason.values()), List.copyOf(expected.keySet()), "every reason listed");
    for (Reason reason : Reason.values()) {
      assertEquals(expected.get(reason), Verdicts.stageOf(reason), reason.name());
      RestoreException failure = new RestoreException(reason, "chunk 3: " + reason);
      Optional<Rejection> rejection = Verdicts.ofRestore(failure);
      assertEquals(expected.get(reason), rejection.map(Rejection::stage), reason.name());
      rejection.ifPresent(
          r -> {
            assertEquals("chunk 3: " + reason, r.getMessage());
            assertSame(failure, r.getCause());
          });
    }
  }

  @Test
  void aClientErrorRejectsAtDownloadAServerErrorIsRetried() {
    for (int status : new int[] {400, 401, 403, 404, 410, 499}) {
      Rejection r = Verdicts.ofHttpStatus("https://cdn/x", status).orElseThrow();
      assertEquals(RejectionStage.DOWNLOAD, r.stage());
      assertEquals("https://cdn/x answered HTTP " + status, r.getMessage());
    }
    for (int status : new int[] {304, 500, 502, 503, 504}) {
      assertEquals(Optional.empty(), Verdicts.ofHttpStatus("https://cdn/x", status), "" + status);
    }
  }

  @Test
  void aRefusedSnapshotJsonRejectsAtExtract() {
    ArchiveException refused =
        new ArchiveException(
            ArchiveException.Kind.UNSUPPORTED_FORMAT, "unsupported snapshot.json formatVersion 9");
    Rejection r = Verdicts.ofManifestRefused(refused);
    assertEquals(RejectionStage.EXTRACT, r.stage());
    assertEquals(
        "snapshot.json refused: unsupported snapshot.json formatVersion 9", r.getMessage());
  }

  @Test
  void snapshotJsonAgreeingWithTheEventPasses() {
    assertEquals(
        Optional.empty(),
        Verdicts.ofClaims(metadata(ID, Mode.FULL, 120, SHA), uploaded(120, HASH)));
  }

  @Test
  void snapshotJsonDisagreeingWithTheEventRejectsAtChecksumNamingEveryField() {
    Rejection r =
        Verdicts.ofClaims(metadata(ID, Mode.PRUNED, 119, "ef".repeat(32)), uploaded(120, HASH))
            .orElseThrow();
    assertEquals(RejectionStage.CHECKSUM, r.stage());
    assertTrue(
        r.getMessage().startsWith("snapshot.json of " + ID + " disagrees with snapshot-uploaded"),
        r.getMessage());
    assertTrue(
        r.getMessage().contains("mode (snapshot-uploaded full, snapshot.json pruned)"),
        r.getMessage());
    assertTrue(
        r.getMessage().contains("height (snapshot-uploaded 120, snapshot.json 119)"),
        r.getMessage());
    assertTrue(r.getMessage().contains("archive sha256"), r.getMessage());
    Rejection otherId =
        Verdicts.ofClaims(
                metadata("litecoin-regtest-full-x-1", Mode.FULL, 120, SHA), uploaded(120, HASH))
            .orElseThrow();
    assertTrue(otherId.getMessage().contains("snapshot id"), otherId.getMessage());
  }

  @Test
  void aNodeThatDoesNotStartRejectsAtBoot() {
    ChainBootException failure = new ChainBootException("monerod exited with code 1: corrupt");
    Rejection r = Verdicts.ofBoot(failure);
    assertEquals(RejectionStage.BOOT, r.stage());
    assertEquals("monerod exited with code 1: corrupt", r.getMessage());
    assertSame(failure, r.getCause());
  }

  @Test
  void theAnnouncedTipPassesAnotherHeightOrHashRejectsAtTip() {
    ChainStatus at120 = new ChainStatus(120, HASH, false, 0, "/LitecoinCore:0.21.2.1/");
    assertEquals(Optional.empty(), Verdicts.ofTip(at120, uploaded(120, HASH)));
    Rejection lower = Verdicts.ofTip(at120, uploaded(121, HASH)).orElseThrow();
    assertEquals(RejectionStage.TIP, lower.stage());
    assertEquals(
        "restored node is at height 120 hash "
            + HASH
            + ", the snapshot announced height 121 hash "
            + HASH,
        lower.getMessage());
    Rejection otherHash = Verdicts.ofTip(at120, uploaded(120, "ee".repeat(32))).orElseThrow();
    assertEquals(RejectionStage.TIP, otherHash.stage());
  }
}
