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
import io.chainsnap.events.SnapshotUploaded;
import io.chainsnap.publisher.CatalogStage;
import io.chainsnap.publisher.config.PublisherConfig;
import io.chainsnap.publisher.store.CatalogKeys;
import io.chainsnap.publisher.store.InMemoryArchiveStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
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
            "http://127.0.0.1:1/staging/a",
            "http://127.0.0.1:1/staging/b",
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

  /**
   * A redelivery after the upload was recorded but before {@code upload-announced} (a crash between
   * the broker's ack and the mark), with the staged files cleaned up: answered from the catalog and
   * the stored objects, staging never asked (it does not even answer here).
   */
  @Test
  void aRecordedUploadIsAnsweredWithoutStaging() {
    InMemoryArchiveStore store = new InMemoryArchiveStore();
    Catalog catalog = new Catalog(store);
    PublisherConfig config =
        (PublisherConfig)
            Proxy.newProxyInstance(
                PublisherConfig.class.getClassLoader(),
                new Class<?>[] {PublisherConfig.class},
                (proxy, method, args) ->
                    method.getName().equals("stagingTimeout") ? Duration.ofSeconds(2) : null);
    UploadService uploads =
        new UploadService(
            store,
            new StagingClient(config),
            catalog,
            new PublisherMetrics(new SimpleMeterRegistry()));
    SnapshotCreated created = created(503, manifest.sha256(), manifest.compressedSize(), json);
    String archiveKey = CatalogKeys.archive(created.target(), ID);
    store.upload(
        archiveKey,
        new ByteArrayInputStream(new byte[(int) manifest.compressedSize()]),
        manifest.compressedSize(),
        "application/zstd",
        Map.of("sha256", manifest.sha256()),
        () -> {});
    store.put(CatalogKeys.manifest(created.target(), ID), json, "application/json", "", Map.of());
    SnapshotUploaded recorded = Events.uploaded(Mode.FULL, 0);
    catalog.record(created.target(), ID, CatalogStage.UPLOADED, recorded);

    assertEquals(recorded, uploads.upload(created));

    // without the stored archive the same call goes to staging, which is unreachable here
    InMemoryArchiveStore empty = new InMemoryArchiveStore();
    new Catalog(empty).record(created.target(), ID, CatalogStage.UPLOADED, recorded);
    UploadService fresh =
        new UploadService(
            empty,
            new StagingClient(config),
            new Catalog(empty),
            new PublisherMetrics(new SimpleMeterRegistry()));
    assertThrows(RuntimeException.class, () -> fresh.upload(created));
  }
}
