package io.chainsnap.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The JSON Schemas (2020-12) of the documents published beside the archives, one per document
 * version: {@code snapshot.json} ({@link SnapshotMetadata}) and {@code index.json} ({@link
 * SnapshotIndex}). They describe exactly what this code writes; the writer's tests hold it to them.
 */
public enum DocumentSchema {
  /** {@code snapshot.json}, version {@value SnapshotMetadata#FORMAT_VERSION}. */
  SNAPSHOT("snapshot", SnapshotMetadata.FORMAT_VERSION),
  /** {@code index.json}, version {@value SnapshotIndex#FORMAT_VERSION}. */
  INDEX("index", SnapshotIndex.FORMAT_VERSION);

  private final String document;
  private final int version;

  DocumentSchema(String document, int version) {
    this.document = document;
    this.version = version;
  }

  /** The version of the document this schema describes. */
  public int version() {
    return version;
  }

  /** The schema's file name, e.g. {@code index.v1.schema.json}: its name when published. */
  public String fileName() {
    return document + ".v" + version + ".schema.json";
  }

  /** The classpath resource of the schema. */
  public String resource() {
    return "/io/chainsnap/archive/schemas/" + fileName();
  }

  /** The schema, UTF-8 JSON. */
  public byte[] bytes() {
    try (InputStream in = DocumentSchema.class.getResourceAsStream(resource())) {
      if (in == null) {
        throw new IllegalStateException("missing schema resource " + resource());
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource(), e);
    }
  }
}
