package io.chainsnap.archive;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.github.luben.zstd.Zstd;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The archive part of {@code snapshot.json}: format version, sizes, whole-file hash and the chunk
 * index. A plain record, meant to be nested as a JSON object in the snapshot metadata (see {@link
 * ArchiveManifestJson}).
 *
 * @param formatVersion archive format version, {@value ArchiveFormat#FORMAT_VERSION}
 * @param chunkSize uncompressed size of every chunk but the last
 * @param tarSize size of the uncompressed tar stream (sum of the chunks' uncompressed lengths)
 * @param contentSize sum of the regular files' sizes: the disk space the extracted tree needs
 * @param fileCount number of regular files (directories not counted)
 * @param compressedSize size of {@code snapshot.tar.zst} (sum of the chunks' compressed lengths)
 * @param sha256 lowercase hex SHA-256 of the whole {@code snapshot.tar.zst}
 * @param compression {@value ArchiveFormat#COMPRESSION}
 * @param level zstd level the writer used (informational)
 * @param zstdParameters advanced zstd parameters the writer applied on top of the level, as {@link
 *     ZstdSettings#parameters()} writes them (informational; empty for none, omitted from JSON
 *     then)
 * @param chunks the chunk index, in order
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ArchiveManifest(
    int formatVersion,
    int chunkSize,
    long tarSize,
    long contentSize,
    long fileCount,
    long compressedSize,
    String sha256,
    String compression,
    int level,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) String zstdParameters,
    List<ChunkInfo> chunks) {

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  /**
   * Canonical constructor; copies the chunk list (a null list becomes empty, so does a null {@code
   * zstdParameters}).
   */
  public ArchiveManifest {
    zstdParameters = zstdParameters == null ? "" : zstdParameters;
    chunks = chunks == null ? List.of() : List.copyOf(chunks);
  }

  /** A manifest written with a plain zstd level (no advanced parameter). */
  public ArchiveManifest(
      int formatVersion,
      int chunkSize,
      long tarSize,
      long contentSize,
      long fileCount,
      long compressedSize,
      String sha256,
      String compression,
      int level,
      List<ChunkInfo> chunks) {
    this(
        formatVersion,
        chunkSize,
        tarSize,
        contentSize,
        fileCount,
        compressedSize,
        sha256,
        compression,
        level,
        "",
        chunks);
  }

  /**
   * Checks that this manifest is one of format v1 and internally consistent: contiguous chunks from
   * offset 0, every chunk but the last exactly {@code chunkSize} long, sums matching {@code
   * tarSize} and {@code compressedSize}, hashes well formed, frame lengths within zstd's bound.
   * Readers call it before touching the archive, so a lying manifest cannot make them allocate
   * unbounded memory.
   *
   * @return this manifest
   * @throws ArchiveException {@link ArchiveException.Kind#UNSUPPORTED_FORMAT} for another version
   *     or compression, {@link ArchiveException.Kind#INVALID_MANIFEST} otherwise
   */
  public ArchiveManifest validate() {
    if (formatVersion != ArchiveFormat.FORMAT_VERSION) {
      throw new ArchiveException(
          ArchiveException.Kind.UNSUPPORTED_FORMAT,
          "unsupported archive formatVersion "
              + formatVersion
              + " (this reader knows only "
              + ArchiveFormat.FORMAT_VERSION
              + "); upgrade chainsnap");
    }
    if (!ArchiveFormat.COMPRESSION.equals(compression)) {
      throw new ArchiveException(
          ArchiveException.Kind.UNSUPPORTED_FORMAT,
          "unsupported archive compression '" + compression + "' (format v1 uses 'zstd')");
    }
    if (chunkSize < ArchiveFormat.MIN_CHUNK_SIZE || chunkSize > ArchiveFormat.MAX_CHUNK_SIZE) {
      invalid(
          "chunkSize "
              + chunkSize
              + " outside ["
              + ArchiveFormat.MIN_CHUNK_SIZE
              + ", "
              + ArchiveFormat.MAX_CHUNK_SIZE
              + "]");
    }
    if (tarSize < 1024 || tarSize % 512 != 0) {
      invalid("tarSize " + tarSize + " is not a tar stream size (a multiple of 512, >= 1024)");
    }
    if (contentSize < 0 || contentSize > tarSize) {
      invalid("contentSize " + contentSize + " outside [0, tarSize " + tarSize + "]");
    }
    if (fileCount < 0 || fileCount > tarSize / 512) {
      invalid("fileCount " + fileCount + " impossible for tarSize " + tarSize);
    }
    checkSha("sha256", sha256);
    if (chunks.isEmpty()) {
      invalid("no chunks");
    }
    long expectedChunks = (tarSize + chunkSize - 1) / chunkSize;
    if (chunks.size() != expectedChunks) {
      invalid(
          chunks.size()
              + " chunks, but tarSize "
              + tarSize
              + " and chunkSize "
              + chunkSize
              + " make "
              + expectedChunks);
    }
    long offset = 0;
    long uncompressed = 0;
    for (int i = 0; i < chunks.size(); i++) {
      ChunkInfo c = chunks.get(i);
      if (c == null) {
        invalid("chunk " + i + " is null");
      }
      if (c.index() != i) {
        invalid("chunk at position " + i + " has index " + c.index());
      }
      if (c.offset() != offset) {
        invalid("chunk " + i + " starts at offset " + c.offset() + ", expected " + offset);
      }
      boolean last = i == chunks.size() - 1;
      if (last
          ? c.uncompressedLength() < 1 || c.uncompressedLength() > chunkSize
          : c.uncompressedLength() != chunkSize) {
        invalid(
            "chunk "
                + i
                + " has uncompressedLength "
                + c.uncompressedLength()
                + " (chunkSize "
                + chunkSize
                + ")");
      }
      long bound = Zstd.compressBound(c.uncompressedLength());
      if (c.compressedLength() < 1 || c.compressedLength() > bound) {
        invalid(
            "chunk "
                + i
                + " has compressedLength "
                + c.compressedLength()
                + " outside [1, "
                + bound
                + "]");
      }
      checkSha("chunk " + i + " sha256", c.sha256());
      offset += c.compressedLength();
      uncompressed += c.uncompressedLength();
    }
    if (offset != compressedSize) {
      invalid(
          "chunks add up to "
              + offset
              + " compressed bytes, compressedSize says "
              + compressedSize);
    }
    if (uncompressed != tarSize) {
      invalid("chunks add up to " + uncompressed + " tar bytes, tarSize says " + tarSize);
    }
    return this;
  }

  private static void checkSha(String what, String hex) {
    if (hex == null || !SHA256_HEX.matcher(hex).matches()) {
      invalid(what + " is not 64 lowercase hex digits: " + hex);
    }
  }

  private static void invalid(String message) {
    throw new ArchiveException(
        ArchiveException.Kind.INVALID_MANIFEST, "invalid archive manifest: " + message);
  }
}
