package io.chainsnap.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArchiveManifestJsonTest {

  static ArchiveManifest sample() {
    String h = "ab".repeat(32);
    int chunk = 8192;
    List<ChunkInfo> chunks =
        List.of(new ChunkInfo(0, 0, 3000, chunk, h), new ChunkInfo(1, 3000, 1000, 2048, h));
    return new ArchiveManifest(1, chunk, chunk + 2048, 9000, 3, 4000, h, "zstd", 3, chunks);
  }

  @Test
  void roundTripsThroughJson() {
    ArchiveManifest m = sample();
    String json = ArchiveManifestJson.toJson(m);
    assertTrue(json.contains("\"formatVersion\" : 1"), json);
    assertTrue(json.contains("\"uncompressedLength\""), json);
    assertFalse(json.contains("\"end\""), "helper methods are not properties: " + json);
    assertEquals(m, ArchiveManifestJson.fromJson(json));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ArchiveManifestJson.write(m, out);
    assertEquals(m, ArchiveManifestJson.read(new ByteArrayInputStream(out.toByteArray())));
  }

  @Test
  void zstdParametersAreWrittenWhenSetAndReadAsEmptyWhenAbsent() {
    String plain = ArchiveManifestJson.toJson(sample());
    assertFalse(plain.contains("zstdParameters"), "a plain level writes no field: " + plain);
    assertEquals("", ArchiveManifestJson.fromJson(plain).zstdParameters());

    ObjectNode tree = (ObjectNode) ArchiveManifestJson.toTree(sample());
    tree.put("zstdParameters", "strategy=1,hashLog=18");
    ArchiveManifest tuned = ArchiveManifestJson.fromTree(tree);
    assertEquals("strategy=1,hashLog=18", tuned.zstdParameters());
    String json = ArchiveManifestJson.toJson(tuned);
    assertTrue(json.contains("\"zstdParameters\" : \"strategy=1,hashLog=18\""), json);
    assertEquals(tuned, ArchiveManifestJson.fromJson(json));
  }

  @Test
  void nestsAsAPlainObjectAndIgnoresUnknownFields() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode snapshot = mapper.createObjectNode();
    snapshot.put("id", "btc-mainnet-123");
    ObjectNode archive = (ObjectNode) ArchiveManifestJson.toTree(sample());
    archive.put("someFutureOptionalField", "x");
    snapshot.set("archive", archive);
    JsonNode parsed = mapper.readTree(mapper.writeValueAsString(snapshot));
    assertEquals(sample(), ArchiveManifestJson.fromTree(parsed.get("archive")));
    // a plain ObjectMapper maps the record too
    assertEquals(sample(), mapper.treeToValue(parsed.get("archive"), ArchiveManifest.class));
  }

  @Test
  void refusesAnUnknownFormatVersion() {
    String json =
        ArchiveManifestJson.toJson(sample())
            .replace("\"formatVersion\" : 1", "\"formatVersion\" : 2");
    ArchiveException e =
        assertThrows(ArchiveException.class, () -> ArchiveManifestJson.fromJson(json));
    assertEquals(ArchiveException.Kind.UNSUPPORTED_FORMAT, e.kind());
    assertTrue(e.getMessage().contains("unsupported archive formatVersion 2"), e.getMessage());

    String missing = ArchiveManifestJson.toJson(sample()).replace("\"formatVersion\" : 1,", "");
    ArchiveException e2 =
        assertThrows(ArchiveException.class, () -> ArchiveManifestJson.fromJson(missing));
    assertEquals(ArchiveException.Kind.UNSUPPORTED_FORMAT, e2.kind());

    ArchiveManifest v2 =
        new ArchiveManifest(2, 8192, 10240, 0, 0, 1, "ab".repeat(32), "zstd", 3, sample().chunks());
    ArchiveException e3 = assertThrows(ArchiveException.class, v2::validate);
    assertEquals(ArchiveException.Kind.UNSUPPORTED_FORMAT, e3.kind());
  }

  @Test
  void refusesMalformedJson() {
    ArchiveException e =
        assertThrows(
            ArchiveException.class,
            () ->
                ArchiveManifestJson.read(
                    new ByteArrayInputStream(
                        "{\"formatVersion\":1,".getBytes(StandardCharsets.UTF_8))));
    assertEquals(ArchiveException.Kind.INVALID_MANIFEST, e.kind());
  }

  @Test
  void validateRefusesInconsistentManifests() {
    ArchiveManifest m = sample();
    List<ArchiveManifest> bad = new ArrayList<>();
    String h = m.sha256();
    bad.add(copy(m, m.chunkSize(), m.tarSize() + 512, m.compressedSize(), h, m.chunks())); // sums
    bad.add(copy(m, m.chunkSize(), m.tarSize(), m.compressedSize() + 1, h, m.chunks()));
    bad.add(copy(m, m.chunkSize(), m.tarSize(), m.compressedSize(), "AB".repeat(32), m.chunks()));
    bad.add(copy(m, 100, m.tarSize(), m.compressedSize(), h, m.chunks())); // chunk size range
    bad.add(
        copy(
            m,
            m.chunkSize(),
            m.tarSize(),
            m.compressedSize(),
            h,
            List.of(m.chunks().get(0), new ChunkInfo(1, 2999, 1001, 2048, h)))); // gap/overlap
    bad.add(
        copy(
            m,
            m.chunkSize(),
            m.tarSize(),
            m.compressedSize(),
            h,
            List.of(new ChunkInfo(0, 0, 3000, 4096, h), new ChunkInfo(1, 3000, 1000, 6144, h))));
    bad.add(
        copy(
            m,
            m.chunkSize(),
            m.tarSize(),
            m.compressedSize(),
            h,
            List.of(new ChunkInfo(0, 0, 3000, 8192, h), new ChunkInfo(2, 3000, 1000, 2048, h))));
    bad.add(copy(m, m.chunkSize(), m.tarSize(), m.compressedSize(), h, List.of()));
    for (ArchiveManifest b : bad) {
      ArchiveException e = assertThrows(ArchiveException.class, b::validate, b.toString());
      assertEquals(ArchiveException.Kind.INVALID_MANIFEST, e.kind(), e.getMessage());
    }
  }

  private static ArchiveManifest copy(
      ArchiveManifest m,
      int chunkSize,
      long tarSize,
      long compressed,
      String sha,
      List<ChunkInfo> chunks) {
    return new ArchiveManifest(
        m.formatVersion(),
        chunkSize,
        tarSize,
        m.contentSize(),
        m.fileCount(),
        compressed,
        sha,
        m.compression(),
        m.level(),
        chunks);
  }
}
