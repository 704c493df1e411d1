package io.chainsnap.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.domain.Mode;
import io.chainsnap.domain.QuiesceStrategy;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotClaimsTest {
  private static final String SHA = "a".repeat(64);

  private static SnapshotMetadata metadata() {
    ArchiveManifest manifest =
        new ArchiveManifest(
            ArchiveFormat.FORMAT_VERSION,
            ArchiveFormat.MIN_CHUNK_SIZE,
            1024,
            300,
            2,
            100,
            SHA,
            ArchiveFormat.COMPRESSION,
            3,
            List.of(new ChunkInfo(0, 0, 100, 1024, SHA)));
    return new SnapshotMetadata(
        SnapshotMetadata.FORMAT_VERSION,
        "ltc-regtest-full-1",
        "litecoin",
        "regtest",
        Mode.FULL,
        "/LitecoinCore:0.21/",
        503,
        "b".repeat(64),
        Instant.parse("2026-11-21T22:33:00Z"),
        QuiesceStrategy.STOP,
        10,
        manifest);
  }

  private static SnapshotClaims allTrue() {
    SnapshotMetadata m = metadata();
    return SnapshotClaims.of(m.snapshotId())
        .withTarget("litecoin", "regtest", Mode.FULL)
        .withTip(503, "b".repeat(64))
        .withArchive(SHA, m.archive().compressedSize())
        .withContent(m.archive().contentSize(), m.archive().fileCount());
  }

  @Test
  void trueClaimsAgree() {
    assertEquals(List.of(), allTrue().differences(metadata(), "index"));
    assertNull(allTrue().disagreement(metadata(), "index"));
  }

  @Test
  void claimsNotMadeAreNotChecked() {
    assertEquals(List.of(), SnapshotClaims.of("ltc-regtest-full-1").differences(metadata(), "x"));
  }

  @Test
  void everyDifferingFieldIsNamedWithBothValues() {
    SnapshotClaims claims =
        SnapshotClaims.of("other-id")
            .withTarget("bitcoin", "regtest", Mode.PRUNED)
            .withTip(504, "b".repeat(64))
            .withArchive("c".repeat(64), 100L);
    assertEquals(
        List.of(
            "snapshot id (snapshot-uploaded other-id, snapshot.json ltc-regtest-full-1)",
            "chain (snapshot-uploaded bitcoin, snapshot.json litecoin)",
            "mode (snapshot-uploaded pruned, snapshot.json full)",
            "height (snapshot-uploaded 504, snapshot.json 503)",
            "archive sha256 (snapshot-uploaded " + "c".repeat(64) + ", snapshot.json " + SHA + ")"),
        claims.differences(metadata(), "snapshot-uploaded"));
    String sentence = claims.disagreement(metadata(), "snapshot-uploaded");
    assertTrue(
        sentence.startsWith(
            "snapshot.json of other-id disagrees with snapshot-uploaded: snapshot id ("),
        sentence);
    assertTrue(sentence.contains("; chain (snapshot-uploaded bitcoin"), sentence);
  }
}
