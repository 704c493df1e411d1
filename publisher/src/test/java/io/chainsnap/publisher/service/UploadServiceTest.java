package io.chainsnap.publisher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.archive.ArchiveManifest;
import io.chainsnap.archive.ArchiveWriter;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.QuiesceStrategy;
import io.chainsnap.domain.Sha256;
import io.chainsnap.events.ArchiveRef;
import io.chainsnap.events.PermanentFailureException;
import io.chainsnap.events.SnapshotCreated;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check of a staged {@code snapshot.json} against {@code snapshot-created}; SHA256SUMS. */
class UploadServiceTest {
  static final String ID = "litecoin-regtest-full-20261121t223300123z-503";
  static final Instant TAKEN = Instant.parse("2026-11-21T22:33:00.123Z");

  @TempDir static Path dir;
  static ArchiveManifest manifest;
  static byte[] json;

  @BeforeAll
  static void stage() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data/blocks"));
    Files.writeString(data.resolve("blk00000.dat"), "blocks");
    manifest = ArchiveWriter.builder().build().write(dir.resolve("data"), dir.resolve("a.tar.zst"));
    json =
        new SnapshotMetadata(
                1,
                ID,
                "litecoin",
                "regtest",
                Mode.FULL,
                "/LitecoinCore:0.21.2.1/",
                503,
                Events.HASH,
                TAKEN,
                QuiesceStrategy.STOP,
                1000,
                manifest)
            .toJson();
  }

  static SnapshotCreated created(long height, String sha256, long compressedSize, byte[] json) {
    return new SnapshotCreated(
        ID,
        Events.target(Mode.FULL),
        height,
        Events.HASH,
        "/LitecoinCore:0.21.2.1/",
        TAKEN,
        QuiesceStrategy.STOP,
        1000,
        new ArchiveRef(
            "http://staging/a",
            "http://staging/b",
            sha256,
            Sha256.hex(json),
            compressedSize,
            manifest.contentSize(),
            manifest.fileCount(),
            manifest.chunks().size(),
            manifest.formatVersion()));
  }

  @Test
  void theAnnouncedSnapshotJsonPasses() {
    UploadService.checkManifest(
        created(503, manifest.sha256(), manifest.compressedSize(), json), json);
  }

  @Test
  void everyFieldThatDisagreesIsNamed() {
    PermanentFailureException e =
        assertThrows(
            PermanentFailureException.class,
            () ->
                UploadService.checkManifest(
                    created(504, Events.SHA, manifest.compressedSize() + 1, json), json));
    String message = e.getMessage();
    assertTrue(
        message.contains("snapshot.json of " + ID + " disagrees with snapshot-created"), message);
    assertTrue(message.contains("height (snapshot-created 504, snapshot.json 503)"), message);
    assertTrue(message.contains("archive sha256 (snapshot-created " + Events.SHA), message);
    assertTrue(message.contains("compressed size"), message);
  }

  @Test
  void aSnapshotJsonThatIsNotTheAnnouncedOneIsRefused() {
    byte[] other = (new String(json) + " ").getBytes();
    PermanentFailureException e =
        assertThrows(
            PermanentFailureException.class,
            () ->
                UploadService.checkManifest(
                    created(503, manifest.sha256(), manifest.compressedSize(), json), other));
    assertTrue(e.getMessage().contains("hashes to " + Sha256.hex(other)), e.getMessage());
  }

  @Test
  void sha256SumsHasTheFormatOfSha256sum() {
    String archive = "a".repeat(64);
    String json = "0123456789abcdef".repeat(4);
    assertEquals(
        archive + "  snapshot.tar.zst\n" + json + "  snapshot.json\n",
        new String(
            UploadService.sha256Sums(archive, json), java.nio.charset.StandardCharsets.US_ASCII));
    assertThrows(
        PermanentFailureException.class, () -> UploadService.sha256Sums("A".repeat(64), json));
    assertThrows(PermanentFailureException.class, () -> UploadService.sha256Sums(archive, "ab"));
  }
}
