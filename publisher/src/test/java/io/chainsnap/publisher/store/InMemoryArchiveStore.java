package io.chainsnap.publisher.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/** An {@link ArchiveStore} in memory for unit tests: counts reads, can fail chosen puts. */
public final class InMemoryArchiveStore implements ArchiveStore {
  private final TreeMap<String, byte[]> objects = new TreeMap<>();
  private final Map<String, Map<String, String>> metadata = new java.util.HashMap<>();
  private final Map<String, String> contentTypes = new java.util.HashMap<>();
  private Predicate<String> failPut = key -> false;
  private int gets;
  private int lists;

  /** Makes every later {@code put} of a key matching {@code keys} throw, until changed again. */
  public void failPuts(Predicate<String> keys) {
    this.failPut = keys;
  }

  /** {@code get} calls since the last {@link #resetCounts()}. */
  public int gets() {
    return gets;
  }

  /** {@code list} calls since the last {@link #resetCounts()}. */
  public int lists() {
    return lists;
  }

  /** Sets both counters back to zero. */
  public void resetCounts() {
    gets = 0;
    lists = 0;
  }

  /** Stores {@code content} without counting or failing (test set-up). */
  public void putRaw(String key, byte[] content) {
    objects.put(key, content.clone());
  }

  /** The stored content, without counting (test assertions). */
  public Optional<byte[]> peek(String key) {
    return Optional.ofNullable(objects.get(key));
  }

  @Override
  public Optional<StoredObject> head(String key) {
    byte[] content = objects.get(key);
    return content == null
        ? Optional.empty()
        : Optional.of(new StoredObject(key, content.length, metadata.getOrDefault(key, Map.of())));
  }

  @Override
  public void upload(
      String key,
      InputStream content,
      long size,
      String contentType,
      Map<String, String> metadata,
      Runnable beforeComplete) {
    byte[] bytes;
    try {
      bytes = content.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    beforeComplete.run();
    objects.put(key, bytes);
    this.metadata.put(key, Map.copyOf(metadata));
  }

  @Override
  public void put(
      String key,
      byte[] content,
      String contentType,
      String cacheControl,
      Map<String, String> metadata) {
    if (failPut.test(key)) {
      throw new UncheckedIOException(new IOException("injected failure of put " + key));
    }
    objects.put(key, content.clone());
    this.metadata.put(key, Map.copyOf(metadata));
    contentTypes.put(key, contentType);
  }

  /** The {@code Content-Type} the last {@code put} of {@code key} gave, if any. */
  public Optional<String> contentType(String key) {
    return Optional.ofNullable(contentTypes.get(key));
  }

  @Override
  public Optional<byte[]> get(String key) {
    gets++;
    return Optional.ofNullable(objects.get(key)).map(byte[]::clone);
  }

  @Override
  public void delete(String key) {
    objects.remove(key);
    metadata.remove(key);
    contentTypes.remove(key);
  }

  @Override
  public List<String> list(String prefix) {
    lists++;
    return List.copyOf(objects.subMap(prefix, prefix + Character.MAX_VALUE).keySet());
  }

  @Override
  public String publicUrl(String key) {
    return "https://cdn.example/" + key;
  }

  @Override
  public String bucket() {
    return "test-bucket";
  }
}
