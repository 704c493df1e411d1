package io.chainsnap.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.QuiesceStrategy;
import io.chainsnap.domain.Sha256;
import io.chainsnap.domain.SnapshotId;
import io.chainsnap.domain.VerificationStatus;
import io.chainsnap.domain.WireEnum;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code snapshot.json} and {@code index.json} as the writer writes them satisfy their JSON Schemas
 * ({@link DocumentSchema}); the schemas' closed lists and patterns are the domain's; documents that
 * break them are refused.
 */
class DocumentSchemaTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant TAKEN = Instant.parse("2026-11-21T22:33:00.123456Z");

  @TempDir static Path dir;

  private static ArchiveManifest tuned;
  private static ArchiveManifest plain;

  @BeforeAll
  static void writeArchives() throws IOException {
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.createDirectories(src.resolve("blocks/index"));
    Files.write(src.resolve("blocks/blk00000.dat"), new byte[20_000]);
    Files.writeString(src.resolve("blocks/index/CURRENT"), "MANIFEST-000002\n");
    Files.createDirectories(src.resolve("empty"));
    tuned =
        ArchiveWriter.builder()
            .chunkSize(ArchiveFormat.MIN_CHUNK_SIZE)
            .build()
            .write(src, dir.resolve("tuned.tar.zst"));
    plain =
        ArchiveWriter.builder()
            .chunkSize(ArchiveFormat.MIN_CHUNK_SIZE)
            .zstd(ZstdSettings.level(1))
            .build()
            .write(src, dir.resolve("plain.tar.zst"));
    assertFalse(tuned.zstdParameters().isEmpty(), "the default writes zstdParameters");
    assertTrue(plain.zstdParameters().isEmpty(), "a plain level omits them");
  }

  // ---- what the writer writes is valid

  @Test
  void snapshotJsonAsWrittenIsValid() throws IOException {
    for (Mode mode : Mode.values()) {
      for (QuiesceStrategy quiesce : QuiesceStrategy.values()) {
        assertValid(DocumentSchema.SNAPSHOT, metadata(mode, quiesce, tuned).toJson());
        assertValid(DocumentSchema.SNAPSHOT, metadata(mode, quiesce, plain).toJson());
      }
    }
    SnapshotMetadata created =
        new SnapshotMetadata(
            SnapshotMetadata.FORMAT_VERSION,
            SnapshotId.of("unknown", "unknown", Mode.FULL, TAKEN, 0),
            "unknown",
            "unknown",
            Mode.FULL,
            null,
            0,
            "",
            TAKEN,
            QuiesceStrategy.STOP,
            0,
            tuned);
    assertValid(DocumentSchema.SNAPSHOT, created.toJson());
  }

  @Test
  void indexJsonAsWrittenIsValid() throws IOException {
    assertValid(DocumentSchema.INDEX, index().toJson());
    SnapshotIndex empty =
        new SnapshotIndex(
            SnapshotIndex.FORMAT_VERSION, "litecoin", "mainnet", 1, TAKEN, Map.of(), List.of());
    assertValid(DocumentSchema.INDEX, empty.toJson());
    // a signed index carries its validity period; the round trip keeps it
    SnapshotIndex issued = index().issued(8, TAKEN, TAKEN.plusSeconds(604800));
    assertValid(DocumentSchema.INDEX, issued.toJson());
    SnapshotIndex read = SnapshotIndex.read(issued.toJson());
    assertEquals(TAKEN.plusSeconds(604800), read.expiresAt());
    assertEquals(TAKEN, read.issuedAt());
    assertEquals(8, read.sequence());
    assertFalse(
        new String(empty.toJson(), java.nio.charset.StandardCharsets.UTF_8).contains("expiresAt"),
        "no validity period: the fields are absent, not null");
  }

  // ---- the schemas say what the domain says

  @Test
  void closedListsAreTheDomainEnums() throws IOException {
    JsonNode snapshot = tree(DocumentSchema.SNAPSHOT);
    assertEquals(wireNames(Mode.class), values(snapshot.at("/properties/mode/enum")));
    assertEquals(wireNames(QuiesceStrategy.class), values(snapshot.at("/properties/quiesce/enum")));
    JsonNode index = tree(DocumentSchema.INDEX);
    assertEquals(wireNames(Mode.class), values(index.at("/$defs/mode/enum")));
    assertEquals(
        wireNames(VerificationStatus.class),
        values(index.at("/$defs/entry/properties/verification/properties/status/enum")));
  }

  @Test
  void patternsAreTheDomainPatterns() throws IOException {
    String id = "^" + SnapshotId.REGEX + "$";
    String sha = "^" + Sha256.HEX.pattern() + "$";
    JsonNode snapshot = tree(DocumentSchema.SNAPSHOT);
    assertEquals(id, snapshot.at("/properties/snapshotId/pattern").asText());
    assertEquals(sha, snapshot.at("/$defs/sha256/pattern").asText());
    JsonNode index = tree(DocumentSchema.INDEX);
    assertEquals(id, index.at("/$defs/snapshotId/pattern").asText());
    assertEquals(sha, index.at("/$defs/entry/properties/sha256/pattern").asText());
    assertEquals(
        SnapshotMetadata.FORMAT_VERSION, snapshot.at("/properties/formatVersion/const").asInt());
    assertEquals(SnapshotIndex.FORMAT_VERSION, index.at("/properties/formatVersion/const").asInt());
    assertEquals(
        ArchiveFormat.FORMAT_VERSION,
        snapshot.at("/$defs/archiveManifest/properties/formatVersion/const").asInt());
  }

  @Test
  void schemasAreNamedByDocumentAndVersion() throws IOException {
    assertEquals("snapshot.v1.schema.json", DocumentSchema.SNAPSHOT.fileName());
    assertEquals("index.v1.schema.json", DocumentSchema.INDEX.fileName());
    for (DocumentSchema s : DocumentSchema.values()) {
      JsonNode tree = tree(s);
      assertEquals("https://json-schema.org/draft/2020-12/schema", tree.path("$schema").asText());
      assertTrue(tree.path("$id").asText().endsWith("/" + s.fileName()), s.fileName());
    }
  }

  // ---- documents that break them are refused

  @Test
  void brokenSnapshotJsonIsRefused() throws IOException {
    byte[] good = metadata(Mode.FULL, QuiesceStrategy.STOP, tuned).toJson();
    assertRefused(DocumentSchema.SNAPSHOT, good, o -> o.put("mode", "light"), "mode");
    assertRefused(DocumentSchema.SNAPSHOT, good, o -> o.put("quiesce", "freeze"), "quiesce");
    assertRefused(DocumentSchema.SNAPSHOT, good, o -> o.put("snapshotId", "-x"), "snapshotId");
    assertRefused(DocumentSchema.SNAPSHOT, good, o -> o.put("snapshotId", "a/b"), "snapshotId");
    assertRefused(DocumentSchema.SNAPSHOT, good, o -> o.put("formatVersion", 2), "formatVersion");
    assertRefused(DocumentSchema.SNAPSHOT, good, o -> o.put("height", -1), "height");
    assertRefused(DocumentSchema.SNAPSHOT, good, o -> o.remove("takenAt"), "takenAt");
    assertRefused(
        DocumentSchema.SNAPSHOT,
        good,
        o -> archive(o).put("sha256", archive(o).path("sha256").asText().toUpperCase()),
        "sha256");
    assertRefused(
        DocumentSchema.SNAPSHOT, good, o -> archive(o).put("compression", "xz"), "compression");
    assertRefused(DocumentSchema.SNAPSHOT, good, o -> archive(o).remove("chunks"), "chunks");
    assertRefused(
        DocumentSchema.SNAPSHOT,
        good,
        o -> ((ObjectNode) archive(o).path("chunks").get(0)).put("sha256", "abc"),
        "sha256");
  }

  @Test
  void brokenIndexJsonIsRefused() throws IOException {
    byte[] good = index().toJson();
    assertRefused(DocumentSchema.INDEX, good, o -> entry(o).put("mode", "light"), "mode");
    assertRefused(
        DocumentSchema.INDEX,
        good,
        o -> ((ObjectNode) entry(o).path("verification")).put("status", "ok"),
        "status");
    assertRefused(DocumentSchema.INDEX, good, o -> entry(o).put("snapshotId", ""), "snapshotId");
    assertRefused(
        DocumentSchema.INDEX, good, o -> entry(o).put("sha256", "0".repeat(63)), "sha256");
    assertRefused(
        DocumentSchema.INDEX, good, o -> ((ObjectNode) o.path("latest")).put("light", "x"), "");
    assertRefused(
        DocumentSchema.INDEX, good, o -> ((ObjectNode) o.path("latest")).put("full", "-x"), "");
    assertRefused(DocumentSchema.INDEX, good, o -> o.remove("sequence"), "sequence");
  }

  // ---- helpers

  private static SnapshotMetadata metadata(
      Mode mode, QuiesceStrategy quiesce, ArchiveManifest archive) {
    return new SnapshotMetadata(
        SnapshotMetadata.FORMAT_VERSION,
        SnapshotId.of("litecoin", "regtest", mode, TAKEN, 503),
        "litecoin",
        "regtest",
        mode,
        "/LitecoinCore:0.21.2.1/",
        503,
        "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206",
        TAKEN,
        quiesce,
        1234,
        archive);
  }

  private static SnapshotIndex index() {
    List<SnapshotIndex.Entry> entries = new ArrayList<>();
    Map<String, String> latest = new LinkedHashMap<>();
    long height = 100;
    for (VerificationStatus status : VerificationStatus.values()) {
      for (Mode mode : Mode.values()) {
        String id = SnapshotId.of("litecoin", "mainnet", mode, TAKEN.plusSeconds(height), height);
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put(
            "https", "https://cdn.example.org/litecoin/mainnet/" + id + "/snapshot.tar.zst");
        sources.put(
            "manifest", "https://cdn.example.org/litecoin/mainnet/" + id + "/snapshot.json");
        sources.put("s3", "s3://chainsnap/litecoin/mainnet/" + id + "/snapshot.tar.zst");
        sources.put("ipfs", "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi");
        SnapshotIndex.Verification verification =
            switch (status) {
              case PENDING -> new SnapshotIndex.Verification(status, null, null);
              case VERIFIED ->
                  new SnapshotIndex.Verification(
                      status, TAKEN.plusSeconds(3600), "restored in 812 ms, node answered");
              case REJECTED ->
                  new SnapshotIndex.Verification(
                      status, TAKEN.plusSeconds(3600), "boot: tip at height 99");
            };
        if (status == VerificationStatus.VERIFIED) {
          latest.putIfAbsent(mode.wireName(), id);
        }
        entries.add(
            new SnapshotIndex.Entry(
                id,
                mode,
                height,
                "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206",
                height % 2 == 0 ? "/LitecoinCore:0.21.2.1/" : null,
                TAKEN.plusSeconds(height),
                tuned.compressedSize(),
                tuned.contentSize(),
                tuned.fileCount(),
                tuned.sha256(),
                sources,
                verification));
        height++;
      }
    }
    return new SnapshotIndex(
        SnapshotIndex.FORMAT_VERSION, "litecoin", "mainnet", 42, TAKEN, latest, entries);
  }

  private static ObjectNode archive(ObjectNode snapshot) {
    return (ObjectNode) snapshot.path("archive");
  }

  private static ObjectNode entry(ObjectNode index) {
    return (ObjectNode) index.path("snapshots").get(0);
  }

  private static void assertValid(DocumentSchema schema, byte[] document) throws IOException {
    Set<ValidationMessage> errors = validate(schema, JSON.readTree(document));
    assertTrue(errors.isEmpty(), schema.fileName() + ": " + errors + "\n" + new String(document));
  }

  private static void assertRefused(
      DocumentSchema schema, byte[] good, Consumer<ObjectNode> breakIt, String field)
      throws IOException {
    ObjectNode broken = (ObjectNode) JSON.readTree(good);
    breakIt.accept(broken);
    Set<ValidationMessage> errors = validate(schema, broken);
    assertFalse(errors.isEmpty(), schema.fileName() + " accepted a broken " + field);
    assertTrue(
        errors.stream().anyMatch(e -> e.getMessage().contains(field)),
        "the errors name " + field + ": " + errors);
  }

  private static Set<ValidationMessage> validate(DocumentSchema schema, JsonNode document) {
    JsonSchema compiled =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(new ByteArrayInputStream(schema.bytes()));
    return compiled.validate(document);
  }

  private static JsonNode tree(DocumentSchema schema) throws IOException {
    return JSON.readTree(schema.bytes());
  }

  private static <E extends Enum<E> & WireEnum> List<String> wireNames(Class<E> type) {
    return Arrays.stream(type.getEnumConstants()).map(WireEnum::wireName).toList();
  }

  private static List<String> values(JsonNode array) {
    assertFalse(array.isMissingNode(), "the schema has no such enum");
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }
}
