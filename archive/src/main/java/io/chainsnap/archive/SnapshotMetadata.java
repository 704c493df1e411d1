package io.chainsnap.archive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.QuiesceStrategy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * {@code snapshot.json}: what a snapshot is of, the tip it restores to, and its archive manifest
 * (sizes, whole-file hash, chunk index). Published next to {@code snapshot.tar.zst}. Readers refuse
 * a {@code formatVersion} they do not know (see docs/archive-format.md).
 *
 * @param formatVersion version of this document, {@value #FORMAT_VERSION}
 * @param snapshotId unique, sortable id
 * @param chain e.g. {@code litecoin}
 * @param network e.g. {@code regtest}
 * @param mode what it keeps of the chain's history
 * @param clientVersion node software that wrote the data
 * @param height block height the data restores to
 * @param blockHash hash of that block
 * @param takenAt when the data dir was captured
 * @param quiesce how the source node was quiesced
 * @param nodeDowntimeMillis how long the source node was not serving
 * @param archive the archive manifest
 */
public record SnapshotMetadata(
    int formatVersion,
    String snapshotId,
    String chain,
    String network,
    Mode mode,
    String clientVersion,
    long height,
    String blockHash,
    Instant takenAt,
    QuiesceStrategy quiesce,
    long nodeDowntimeMillis,
    ArchiveManifest archive) {

  /** The version of {@code snapshot.json} this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  /** File name next to the archive. */
  public static final String FILE_NAME = "snapshot.json";

  private static final ObjectMapper MAPPER =
      JsonDocuments.strictBuilder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  /** Indented JSON, UTF-8 bytes. */
  public byte[] toJson() {
    ObjectNode tree = MAPPER.valueToTree(this);
    tree.set("archive", ArchiveManifestJson.toTree(archive));
    try {
      return MAPPER.writeValueAsBytes(tree);
    } catch (JsonProcessingException e) {
      throw new ArchiveException(ArchiveException.Kind.IO, "cannot serialise snapshot.json", e);
    }
  }

  /** Reads {@code snapshot.json}, refusing unknown versions and invalid archive manifests. */
  public static SnapshotMetadata read(InputStream in) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(in);
    } catch (JsonProcessingException e) {
      throw new ArchiveException(
          ArchiveException.Kind.INVALID_MANIFEST,
          "snapshot.json is not JSON: " + JsonDocuments.describe(e),
          e);
    } catch (IOException e) {
      throw new ArchiveException(
          ArchiveException.Kind.INVALID_MANIFEST,
          "snapshot.json is not JSON: " + e.getMessage(),
          e);
    }
    return fromTree(tree);
  }

  /** Reads {@code snapshot.json} from bytes. */
  public static SnapshotMetadata read(byte[] json) {
    try {
      return fromTree(MAPPER.readTree(new String(json, StandardCharsets.UTF_8)));
    } catch (JsonProcessingException e) {
      throw new ArchiveException(
          ArchiveException.Kind.INVALID_MANIFEST,
          "snapshot.json is not JSON: " + JsonDocuments.describe(e),
          e);
    }
  }

  private static SnapshotMetadata fromTree(JsonNode tree) {
    if (tree == null || !tree.isObject()) {
      throw new ArchiveException(
          ArchiveException.Kind.INVALID_MANIFEST, "snapshot.json is not a JSON object");
    }
    if (!JsonDocuments.isVersion(tree.get("formatVersion"), FORMAT_VERSION)) {
      throw new ArchiveException(
          ArchiveException.Kind.UNSUPPORTED_FORMAT,
          "unsupported snapshot.json formatVersion "
              + tree.path("formatVersion")
              + " (this reader knows only "
              + FORMAT_VERSION
              + "); upgrade chainsnap");
    }
    ArchiveManifest archive = ArchiveManifestJson.fromTree(tree.path("archive"));
    ObjectNode rest = ((ObjectNode) tree).deepCopy();
    rest.remove("archive");
    try {
      SnapshotMetadata partial = MAPPER.treeToValue(rest, SnapshotMetadata.class);
      return new SnapshotMetadata(
          partial.formatVersion,
          partial.snapshotId,
          partial.chain,
          partial.network,
          partial.mode,
          partial.clientVersion,
          partial.height,
          partial.blockHash,
          partial.takenAt,
          partial.quiesce,
          partial.nodeDowntimeMillis,
          archive);
    } catch (JsonProcessingException e) {
      throw new ArchiveException(
          ArchiveException.Kind.INVALID_MANIFEST,
          "snapshot.json cannot be read: " + JsonDocuments.describe(e),
          e);
    }
  }
}
