package io.chainsnap.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Writes a directory as a format v1 archive: a deterministic tar cut into chunks of {@code
 * chunkSize} uncompressed bytes, each compressed as an independent zstd frame by a pool of worker
 * threads, written in order and hashed on the way (per chunk and whole file, no second pass).
 *
 * <p>Instances are immutable and thread-safe; each {@link #write} call uses its own threads. Memory
 * stays bounded whatever the data size: see {@link #maxBufferBytes()}.
 *
 * <pre>{@code
 * ArchiveWriter writer = ArchiveWriter.builder().filter(p -> !p.endsWith(".lock")).build();
 * ArchiveManifest manifest = writer.write(dataDir, stagingDir.resolve("snapshot.tar.zst"));
 * }</pre>
 */
public final class ArchiveWriter {

  private static final Logger LOG = Logger.getLogger(ArchiveWriter.class);

  /**
   * System property turning direct I/O of archive files off when {@code false} (an operator's
   * escape hatch that needs no configuration change: {@code -Dchainsnap.archive.direct-io=false}).
   */
  public static final String DIRECT_IO_PROPERTY = "chainsnap.archive.direct-io";

  private final int chunkSize;
  private final ZstdSettings zstd;
  private final int workers;
  private final Predicate<String> filter;
  private final ProgressListener progress;
  private final boolean directIo;

  private ArchiveWriter(Builder b) {
    this.chunkSize = b.chunkSize;
    this.zstd = b.zstd;
    this.workers = b.workers;
    this.filter = b.filter;
    this.progress = b.progress;
    this.directIo = b.directIo;
  }

  /**
   * Returns a builder with the defaults: 64 MiB chunks, {@link ZstdSettings#DEFAULT}, one worker
   * per processor.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Uncompressed chunk size in bytes. */
  public int chunkSize() {
    return chunkSize;
  }

  /** zstd level and parameters. */
  public ZstdSettings zstd() {
    return zstd;
  }

  /** Number of compression threads. */
  public int workers() {
    return workers;
  }

  /**
   * Upper bound of the direct buffers one {@link #write} allocates: {@code workers + 1} chunks in
   * flight, each with a frame buffer of zstd's compress bound of {@code chunkSize}, plus a 256 KiB
   * read buffer per worker (no uncompressed chunk is held: workers read file data in small pieces
   * straight into their zstd stream), plus the archive file's 4 MiB direct-I/O staging buffer.
   * Independent of the size of the data. Each worker's zstd stream also holds a few MiB of native
   * memory (window and match tables), outside this figure and outside the JVM's direct-memory
   * limit.
   */
  public long maxBufferBytes() {
    return ChunkPipeline.maxBufferBytes(chunkSize, workers) + ArchiveFileOutput.maxBufferBytes();
  }

  /** Whether archive files are written with direct I/O where the file system allows it. */
  public boolean directIo() {
    return directIo;
  }

  /**
   * Archives {@code sourceDir} to a stream, which is flushed but left open.
   *
   * @param sourceDir directory to archive; its content is archived, not the directory itself
   * @param out destination of {@code snapshot.tar.zst}
   * @return the manifest (sizes, hashes, chunk index)
   * @throws ArchiveException {@code SOURCE} if the tree holds a symlink, device, FIFO or socket the
   *     filter keeps, or a file changes while read; {@code IO} if reading or writing fails
   */
  public ArchiveManifest write(Path sourceDir, OutputStream out) {
    Objects.requireNonNull(sourceDir, "sourceDir");
    Objects.requireNonNull(out, "out");
    ArchiveManifest manifest =
        write(SourceTree.start(sourceDir, filter), Channels.newChannel(out), null);
    try {
      out.flush();
    } catch (IOException e) {
      throw new ArchiveException(ArchiveException.Kind.IO, "writing the archive failed: " + e, e);
    }
    return manifest;
  }

  /**
   * Archives {@code sourceDir} to a file (created or replaced, forced to disk at the end; deleted
   * if the write fails).
   *
   * @param sourceDir directory to archive
   * @param archiveFile destination, conventionally {@code snapshot.tar.zst}
   * @return the manifest
   * @throws ArchiveException as {@link #write(Path, OutputStream)}
   */
  public ArchiveManifest write(Path sourceDir, Path archiveFile) {
    Objects.requireNonNull(sourceDir, "sourceDir");
    Objects.requireNonNull(archiveFile, "archiveFile");
    SourceTree tree = SourceTree.start(sourceDir, filter);
    Path parent = archiveFile.toAbsolutePath().normalize().getParent();
    try {
      if (parent != null && parent.toRealPath().startsWith(tree.root())) {
        tree.close();
        throw new ArchiveException(
            ArchiveException.Kind.SOURCE,
            "archive file " + archiveFile + " is inside the source directory " + tree.root());
      }
    } catch (IOException e) {
      tree.close();
      throw new ArchiveException(
          ArchiveException.Kind.IO, "cannot write archive " + archiveFile + ": " + e, e);
    }
    boolean ok = false;
    try (ArchiveFileOutput output = ArchiveFileOutput.open(archiveFile, directIo)) {
      ArchiveManifest manifest = write(tree, output, null);
      output.finish();
      ok = true;
      return manifest;
    } catch (IOException e) {
      throw new ArchiveException(
          ArchiveException.Kind.IO, "cannot write archive " + archiveFile + ": " + e, e);
    } finally {
      if (!ok) {
        tree.close();
        try {
          Files.deleteIfExists(archiveFile);
        } catch (IOException e) {
          LOG.warnf("cannot delete partial archive %s: %s", archiveFile, e);
        }
      }
    }
  }

  /**
   * Archives the entries of a listing as they come; closes the listing. Package-private hook:
   * {@code pipelineSeen} receives the pipeline (for memory-bound tests).
   */
  ArchiveManifest write(
      SourceTree tree, WritableByteChannel out, Consumer<ChunkPipeline> pipelineSeen) {
    long started = System.nanoTime();
    ChunkPipeline.Result result;
    try (tree;
        ChunkPipeline pipeline =
            new ChunkPipeline(out, chunkSize, zstd, workers, progress, tree::tarSizeIfKnown)) {
      for (SourceTree.Entry entry = tree.next(); entry != null; entry = tree.next()) {
        byte[] header = entry.header();
        pipeline.write(header, 0, header.length);
        if (!entry.directory()) {
          pipeline.copyFile(entry.file(), entry.size(), entry.mtime(), entry.path());
          pipeline.writeZeros(TarEncoder.padded(entry.size()) - entry.size());
        }
      }
      pipeline.writeZeros(2 * TarEncoder.BLOCK);
      result = pipeline.finish();
      if (pipelineSeen != null) {
        pipelineSeen.accept(pipeline);
      }
    }
    if (result.tarBytes() != tree.tarSize()) {
      throw new IllegalStateException(
          "tar stream has " + result.tarBytes() + " bytes, expected " + tree.tarSize());
    }
    ArchiveManifest manifest =
        new ArchiveManifest(
            ArchiveFormat.FORMAT_VERSION,
            chunkSize,
            tree.tarSize(),
            tree.contentSize(),
            tree.fileCount(),
            result.compressedSize(),
            result.sha256(),
            ArchiveFormat.COMPRESSION,
            zstd.level(),
            zstd.parameters(),
            result.chunks());
    double seconds = (System.nanoTime() - started) / 1e9;
    LOG.debugf(
        "archived %s: %d files, %d tar bytes -> %d bytes in %d chunks, %.1f s (%.0f MB/s)",
        tree.root(),
        tree.fileCount(),
        tree.tarSize(),
        result.compressedSize(),
        result.chunks().size(),
        seconds,
        tree.tarSize() / 1e6 / Math.max(seconds, 1e-9));
    return manifest;
  }

  /** Builder of {@link ArchiveWriter}. */
  public static final class Builder {
    private int chunkSize = ArchiveFormat.DEFAULT_CHUNK_SIZE;
    private ZstdSettings zstd = ZstdSettings.DEFAULT;
    private int workers = Runtime.getRuntime().availableProcessors();
    private Predicate<String> filter = path -> true;
    private ProgressListener progress = ProgressListener.NONE;
    private boolean directIo =
        !"false".equalsIgnoreCase(System.getProperty(DIRECT_IO_PROPERTY, "true").trim());

    private Builder() {}

    /**
     * Sets the uncompressed chunk size (default 64 MiB).
     *
     * @param chunkSize bytes, in [{@value ArchiveFormat#MIN_CHUNK_SIZE}, {@value
     *     ArchiveFormat#MAX_CHUNK_SIZE}]
     * @return this builder
     */
    public Builder chunkSize(int chunkSize) {
      if (chunkSize < ArchiveFormat.MIN_CHUNK_SIZE || chunkSize > ArchiveFormat.MAX_CHUNK_SIZE) {
        throw new IllegalArgumentException(
            "chunkSize must be in ["
                + ArchiveFormat.MIN_CHUNK_SIZE
                + ", "
                + ArchiveFormat.MAX_CHUNK_SIZE
                + "], got "
                + chunkSize);
      }
      this.chunkSize = chunkSize;
      return this;
    }

    /**
     * Sets a plain zstd level, without the default's parameters (shorthand for {@code
     * zstd(ZstdSettings.level(level))}).
     *
     * @param level a zstd level, negative levels are the fast ones
     * @return this builder
     */
    public Builder level(int level) {
      return zstd(ZstdSettings.level(level));
    }

    /**
     * Sets the zstd level and parameters (default {@link ZstdSettings#DEFAULT}).
     *
     * @param zstd the settings
     * @return this builder
     */
    public Builder zstd(ZstdSettings zstd) {
      this.zstd = Objects.requireNonNull(zstd, "zstd");
      return this;
    }

    /**
     * Sets the number of compression threads (default: available processors).
     *
     * @param workers at least 1
     * @return this builder
     */
    public Builder workers(int workers) {
      if (workers < 1) {
        throw new IllegalArgumentException("workers must be >= 1, got " + workers);
      }
      this.workers = workers;
      return this;
    }

    /**
     * Sets the include/exclude filter. It receives relative paths with '/' separators and no
     * trailing slash (for example {@code "chainstate/000123.ldb"} or {@code "wallets"}); a path is
     * archived when it returns true. Excluding a directory excludes everything below it. Symlinks
     * and special files the filter keeps make the write fail.
     *
     * @param filter the predicate
     * @return this builder
     */
    public Builder filter(Predicate<String> filter) {
      this.filter = Objects.requireNonNull(filter, "filter");
      return this;
    }

    /**
     * Sets a progress listener, called from the archive's output thread after each chunk is written
     * with the tar bytes written so far and the exact tar size, or -1 for the chunks written while
     * the tree is still being listed (the last report always carries the size).
     *
     * @param progress the listener
     * @return this builder
     */
    public Builder progress(ProgressListener progress) {
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    /**
     * Sets whether {@link #write(Path, Path)} writes the archive file with direct I/O ({@code
     * O_DIRECT}), bypassing the page cache, where the file system takes it (default: true, unless
     * the system property {@value ArchiveWriter#DIRECT_IO_PROPERTY} is {@code false}). It falls
     * back to ordinary writes by itself; turning it off is for file systems that misbehave with it.
     * The archive's bytes are the same either way.
     *
     * @param directIo false to always write through the page cache
     * @return this builder
     */
    public Builder directIo(boolean directIo) {
      this.directIo = directIo;
      return this;
    }

    /** Builds the writer. */
    public ArchiveWriter build() {
      return new ArchiveWriter(this);
    }
  }
}
