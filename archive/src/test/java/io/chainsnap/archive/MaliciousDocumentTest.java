package io.chainsnap.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.domain.Mode;
import io.chainsnap.domain.QuiesceStrategy;
import io.chainsnap.domain.VerificationStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hostile {@code snapshot.json} and {@code index.json}: versions and numbers that are not exactly
 * what the format says are refused, and parse errors read without Java reference chains.
 */
class MaliciousDocumentTest {

  private static String snapshotJson() throws IOException {
    byte[] tar = TestArchives.tar(t -> TestArchives.file(t, "a", "data"));
    TestArchives.Built built = TestArchives.frame(tar, ArchiveFormat.MIN_CHUNK_SIZE, 4, 1);
    SnapshotMetadata m =
        new SnapshotMetadata(
            1,
            "ltc-1",
            "litecoin",
            "regtest",
            Mode.FULL,
            "x",
            7,
            "00",
            Instant.parse("2026-01-01T00:00:00Z"),
            QuiesceStrategy.STOP,
            0,
            built.manifest());
    return new String(m.toJson(), StandardCharsets.UTF_8);
  }

  private static String indexJson() {
    SnapshotIndex index =
        new SnapshotIndex(
            1,
            "litecoin",
            "regtest",
            3,
            Instant.parse("2026-01-01T00:00:00Z"),
            Map.of("full", "ltc-1"),
            List.of(
                new SnapshotIndex.Entry(
                    "ltc-1",
                    Mode.FULL,
                    7,
                    "00",
                    "x",
                    Instant.parse("2026-01-01T00:00:00Z"),
                    10,
                    4,
                    1,
                    "a".repeat(64),
                    Map.of("https", "https://example.org/snapshot.tar.zst"),
                    new SnapshotIndex.Verification(VerificationStatus.VERIFIED, null, null))));
    return new String(index.toJson(), StandardCharsets.UTF_8);
  }

  private static String replaceFirst(String json, String from, String to) {
    assertTrue(json.contains(from), from + " in " + json);
    int i = json.indexOf(from);
    return json.substring(0, i) + to + json.substring(i + from.length());
  }

  private static void assertOperatorMessage(String message) {
    assertFalse(message.contains("reference chain"), message);
    assertFalse(message.contains("io.chainsnap"), message);
    assertFalse(message.contains("[Source:"), message);
    assertFalse(message.contains("CoercionConfig"), message);
    assertFalse(message.contains("DeserializationFeature"), message);
    assertFalse(message.contains("\n"), message);
  }

  @Test
  void theGoodDocumentsAreRead() throws IOException {
    assertEquals(
        "ltc-1",
        SnapshotMetadata.read(snapshotJson().getBytes(StandardCharsets.UTF_8)).snapshotId());
    assertEquals(
        1, SnapshotIndex.read(indexJson().getBytes(StandardCharsets.UTF_8)).snapshots().size());
  }

  @Test
  void snapshotJsonVersionsMustBeExactlyTheIntegerOne() throws IOException {
    String good = snapshotJson();
    for (String v : List.of("1.9", "\"1\"", "1.0", "2", "null", "true")) {
      String bad = replaceFirst(good, "\"formatVersion\" : 1", "\"formatVersion\" : " + v);
      ArchiveException e =
          assertThrows(
              ArchiveException.class,
              () -> SnapshotMetadata.read(bad.getBytes(StandardCharsets.UTF_8)),
              v);
      assertEquals(ArchiveException.Kind.UNSUPPORTED_FORMAT, e.kind(), v + ": " + e.getMessage());
      assertTrue(
          e.getMessage().contains("unsupported snapshot.json formatVersion " + v), e.getMessage());
    }
  }

  @Test
  void indexJsonVersionsMustBeExactlyTheIntegerOne() {
    String good = indexJson();
    for (String v : List.of("1.9", "\"1\"", "1.0", "0")) {
      String bad = replaceFirst(good, "\"formatVersion\" : 1", "\"formatVersion\" : " + v);
      ArchiveException e =
          assertThrows(
              ArchiveException.class,
              () -> SnapshotIndex.read(bad.getBytes(StandardCharsets.UTF_8)),
              v);
      assertEquals(ArchiveException.Kind.UNSUPPORTED_FORMAT, e.kind(), v + ": " + e.getMessage());
    }
  }

  @Test
  void archiveVersionsAndChunkSizesMustBeIntegers() throws IOException {
    String good = snapshotJson();
    // the archive manifest's formatVersion is the second one in snapshot.json
    int archive = good.indexOf("\"archive\"");
    for (String v : List.of("1.9", "\"1\"", "1.0")) {
      String bad =
          good.substring(0, archive)
              + replaceFirst(
                  good.substring(archive), "\"formatVersion\" : 1", "\"formatVersion\" : " + v);
      ArchiveException e =
          assertThrows(
              ArchiveException.class,
              () -> SnapshotMetadata.read(bad.getBytes(StandardCharsets.UTF_8)),
              v);
      assertEquals(ArchiveException.Kind.UNSUPPORTED_FORMAT, e.kind(), v + ": " + e.getMessage());
    }
    for (String v : List.of("4096.9", "\"4096\"", "4096.0")) {
      String bad = replaceFirst(good, "\"chunkSize\" : 4096", "\"chunkSize\" : " + v);
      ArchiveException e =
          assertThrows(
              ArchiveException.class,
              () -> SnapshotMetadata.read(bad.getBytes(StandardCharsets.UTF_8)),
              v);
      assertEquals(ArchiveException.Kind.INVALID_MANIFEST, e.kind(), v + ": " + e.getMessage());
      assertTrue(e.getMessage().contains("chunkSize"), e.getMessage());
      assertOperatorMessage(e.getMessage());
    }
  }

  @Test
  void heightsAndCountsMustBeIntegersToo() {
    String good = indexJson();
    String bad = replaceFirst(good, "\"height\" : 7", "\"height\" : \"7\"");
    ArchiveException e =
        assertThrows(
            ArchiveException.class, () -> SnapshotIndex.read(bad.getBytes(StandardCharsets.UTF_8)));
    assertEquals(ArchiveException.Kind.INVALID_MANIFEST, e.kind());
    assertTrue(e.getMessage().contains("at snapshots[0].height"), e.getMessage());
    assertOperatorMessage(e.getMessage());
  }

  @Test
  void parseErrorsNameTheFieldWithoutJavaReferenceChains() {
    String wrongMode = replaceFirst(indexJson(), "\"mode\" : \"full\"", "\"mode\" : \"light\"");
    ArchiveException e =
        assertThrows(
            ArchiveException.class,
            () -> SnapshotIndex.read(wrongMode.getBytes(StandardCharsets.UTF_8)));
    assertTrue(
        e.getMessage().startsWith("index.json cannot be read: at snapshots[0].mode"),
        e.getMessage());
    assertOperatorMessage(e.getMessage());

    ArchiveException notJson =
        assertThrows(
            ArchiveException.class,
            () -> SnapshotIndex.read("{\"formatVersion\": 1, x".getBytes(StandardCharsets.UTF_8)));
    assertTrue(notJson.getMessage().contains("(line 1, column"), notJson.getMessage());
    assertOperatorMessage(notJson.getMessage());

    ArchiveException unclosed =
        assertThrows(
            ArchiveException.class,
            () ->
                SnapshotIndex.read(
                    "{\"formatVersion\": 1, \"snapshots\": [ {".getBytes(StandardCharsets.UTF_8)));
    assertTrue(unclosed.getMessage().contains("opened at line 1, column"), unclosed.getMessage());
    assertOperatorMessage(unclosed.getMessage());

    ArchiveException array =
        assertThrows(
            ArchiveException.class,
            () -> SnapshotIndex.read("[]".getBytes(StandardCharsets.UTF_8)));
    assertTrue(array.getMessage().contains("not a JSON object"), array.getMessage());
  }
}
