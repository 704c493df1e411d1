package io.chainsnap.publisher.mirror;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.List;

/**
 * {@code files/<snapshotId>.json}: every regular file of one mirrored snapshot, sorted by path,
 * with its size and SHA-256 (what an operator's synced directory must hold), and where the tree
 * holding them lives. Format version 1; readers refuse other versions.
 *
 * @param formatVersion {@value #FORMAT_VERSION}
 * @param snapshotId the snapshot
 * @param chain chain
 * @param network network
 * @param mode mode
 * @param height tip height of the snapshot
 * @param blockHash tip hash
 * @param takenAt when the snapshot was taken (ISO-8601)
 * @param bucket the mirror bucket
 * @param treePrefix key prefix of the live tree ({@code <prefix>/<chain>/<network>/<mode>/tree/})
 * @param fileCount number of files
 * @param totalSize sum of their sizes
 * @param files the files
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FileList(
    int formatVersion,
    String snapshotId,
    String chain,
    String network,
    String mode,
    long height,
    String blockHash,
    String takenAt,
    String bucket,
    String treePrefix,
    long fileCount,
    long totalSize,
    List<Entry> files) {

  public static final int FORMAT_VERSION = 1;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One file.
   *
   * @param path relative path, {@code /}-separated, as in the archive
   * @param size bytes
   * @param sha256 lower-case hex SHA-256 of the content
   * @param etag the ETag of the tree object when it was written or found (lets the next run trust
   *     the object without a {@code HEAD}); informational for clients
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Entry(String path, long size, String sha256, String etag) {}

  public FileList {
    files = files == null ? List.of() : List.copyOf(files);
  }

  public byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses a file list; refuses an unknown format version. */
  public static FileList read(byte[] json) {
    FileList list;
    try {
      list = JSON.readValue(json, FileList.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a mirror file list: " + e.getMessage(), e);
    }
    if (list.formatVersion() != FORMAT_VERSION) {
      throw new IllegalArgumentException(
          "mirror file list has formatVersion " + list.formatVersion() + ", expected 1");
    }
    return list;
  }

  /**
   * {@code current.json}: the snapshot the tree holds, written after its file list.
   *
   * @param formatVersion {@value #FORMAT_VERSION}
   * @param snapshotId the snapshot
   * @param height its tip height
   * @param fileList key of its file list
   * @param treePrefix key prefix of the tree
   * @param updatedAt when the tree was completed (ISO-8601)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Current(
      int formatVersion,
      String snapshotId,
      long height,
      String fileList,
      String treePrefix,
      String updatedAt) {

    public byte[] toJson() {
      try {
        return JSON.writeValueAsBytes(this);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Parses {@code current.json}; refuses an unknown format version. */
    public static Current read(byte[] json) {
      Current current;
      try {
        current = JSON.readValue(json, Current.class);
      } catch (IOException e) {
        throw new IllegalArgumentException("not a mirror current.json: " + e.getMessage(), e);
      }
      if (current.formatVersion() != FORMAT_VERSION) {
        throw new IllegalArgumentException(
            "mirror current.json has formatVersion " + current.formatVersion() + ", expected 1");
      }
      return current;
    }
  }
}
