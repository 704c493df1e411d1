package io.chainsnap.archive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes an {@link ArchiveManifest} as JSON.
 *
 * <p>Reading checks {@code formatVersion} before anything else, so a newer manifest fails with a
 * clear "unsupported formatVersion" message instead of a field-mapping error, then {@linkplain
 * ArchiveManifest#validate() validates} the manifest. Unknown fields are ignored (additive changes
 * within v1); anything a reader must understand bumps the version. Code that nests the manifest in
 * a larger document (snapshot.json) can use {@link #fromTree(JsonNode)} and {@link
 * #toTree(ArchiveManifest)}.
 */
public final class ArchiveManifestJson {

  private static final ObjectMapper MAPPER =
      JsonDocuments.strictBuilder()
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  private ArchiveManifestJson() {}

  /**
   * Serialises a manifest as indented JSON.
   *
   * @param manifest the manifest
   * @return JSON text
   */
  public static String toJson(ArchiveManifest manifest) {
    try {
      return MAPPER.writeValueAsString(manifest);
    } catch (JsonProcessingException e) {
      throw new ArchiveException(ArchiveException.Kind.IO, "cannot serialise manifest", e);
    }
  }

  /**
   * Writes a manifest as indented JSON (UTF-8) to a stream, which is left open.
   *
   * @param manifest the manifest
   * @param out destination
   */
  public static void write(ArchiveManifest manifest, OutputStream out) {
    try {
      out.write(toJson(manifest).getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw new ArchiveException(ArchiveException.Kind.IO, "cannot write manifest", e);
    }
  }

  /**
   * Converts a manifest to a JSON tree, for embedding in another document.
   *
   * @param manifest the manifest
   * @return an object node
   */
  public static JsonNode toTree(ArchiveManifest manifest) {
    return MAPPER.valueToTree(manifest);
  }

  /**
   * Parses and validates a manifest from JSON text.
   *
   * @param json JSON text
   * @return the validated manifest
   * @throws ArchiveException for an unknown format version, malformed JSON or an invalid manifest
   */
  public static ArchiveManifest fromJson(String json) {
    try {
      return fromTree(MAPPER.readTree(json));
    } catch (JsonProcessingException e) {
      throw malformed(e);
    }
  }

  /**
   * Parses and validates a manifest from a UTF-8 JSON stream, which is left open.
   *
   * @param in JSON bytes
   * @return the validated manifest
   * @throws ArchiveException for an unknown format version, malformed JSON or an invalid manifest
   */
  public static ArchiveManifest read(InputStream in) {
    try {
      return fromTree(MAPPER.readTree(in));
    } catch (JsonProcessingException e) {
      throw malformed(e);
    } catch (IOException e) {
      throw new ArchiveException(ArchiveException.Kind.IO, "cannot read manifest", e);
    }
  }

  /**
   * Maps and validates a manifest from a JSON tree (for example the nested object of
   * snapshot.json).
   *
   * @param node a JSON object
   * @return the validated manifest
   * @throws ArchiveException for an unknown format version, a wrong shape or an invalid manifest
   */
  public static ArchiveManifest fromTree(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new ArchiveException(
          ArchiveException.Kind.INVALID_MANIFEST, "archive manifest is not a JSON object");
    }
    JsonNode version = node.get("formatVersion");
    if (version == null || !version.isIntegralNumber()) {
      throw new ArchiveException(
          ArchiveException.Kind.UNSUPPORTED_FORMAT,
          "archive manifest has no integer formatVersion; refusing to guess its format");
    }
    if (!JsonDocuments.isVersion(version, ArchiveFormat.FORMAT_VERSION)) {
      throw new ArchiveException(
          ArchiveException.Kind.UNSUPPORTED_FORMAT,
          "unsupported archive formatVersion "
              + version.asText()
              + " (this reader knows only "
              + ArchiveFormat.FORMAT_VERSION
              + "); upgrade chainsnap");
    }
    try {
      return MAPPER.treeToValue(node, ArchiveManifest.class).validate();
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw malformed(e);
    }
  }

  private static ArchiveException malformed(Exception e) {
    return new ArchiveException(
        ArchiveException.Kind.INVALID_MANIFEST,
        "malformed archive manifest JSON: "
            + (e instanceof JsonProcessingException j ? JsonDocuments.describe(j) : e.getMessage()),
        e);
  }
}
