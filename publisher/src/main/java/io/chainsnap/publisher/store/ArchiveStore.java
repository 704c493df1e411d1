package io.chainsnap.publisher.store;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Object storage for published snapshots. One implementation per technology. */
public interface ArchiveStore {

  /**
   * What is stored under a key.
   *
   * @param key the key
   * @param size bytes
   * @param metadata user metadata (lower-case names, without the {@code x-amz-meta-} prefix)
   */
  record StoredObject(String key, long size, Map<String, String> metadata) {}

  /** The object under {@code key}, if there is one. */
  Optional<StoredObject> head(String key);

  /**
   * Stores a stream of {@code size} bytes under {@code key} in parts; the object appears only when
   * complete. {@code beforeComplete} runs after the last part and before the object becomes
   * visible: throwing from it abandons the upload. An implementation may resume an interrupted
   * upload of the same object (same key, size, content type and metadata): it still reads {@code
   * content} whole, and skips sending what it verifiably stored before.
   */
  void upload(
      String key,
      InputStream content,
      long size,
      String contentType,
      Map<String, String> metadata,
      Runnable beforeComplete);

  /** Stores small content in one request. */
  void put(
      String key,
      byte[] content,
      String contentType,
      String cacheControl,
      Map<String, String> metadata);

  /** Reads small content, if present. */
  Optional<byte[]> get(String key);

  /** Deletes the object under {@code key}; nothing if there is none (idempotent). */
  void delete(String key);

  /** Keys under {@code prefix}. */
  List<String> list(String prefix);

  /** The public URL of {@code key}. */
  String publicUrl(String key);

  /** The bucket's name. */
  String bucket();
}
