package io.chainsnap.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Verifies and extracts format v1 archives.
 *
 * <p>{@link #extract} streams: it reads the archive once, chunk by chunk as the manifest lays them
 * out, checks each chunk's SHA-256 before decompressing it, decompresses on a background thread
 * while the calling thread writes files, and writes straight into the target directory (no copy of
 * the archive on disk). Nothing is ever written outside the target, whatever the input; see {@code
 * docs/archive-format.md} for the full list of refusals.
 *
 * <p>Because extraction streams, a corrupt chunk found late leaves the files of earlier chunks in
 * the target. Callers must therefore extract into an <b>empty scratch directory</b> on the same
 * file system and move it into place only after {@code extract} returned normally; on failure,
 * delete the scratch directory. Existing files in the target are never overwritten (an entry whose
 * path exists fails the extraction) and existing symbolic links are never followed.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ArchiveReader {

  private static final Logger LOG = Logger.getLogger(ArchiveReader.class);

  private final ProgressListener progress;

  private ArchiveReader(Builder b) {
    this.progress = b.progress;
  }

  /** Returns a reader without a progress listener. */
  public static ArchiveReader create() {
    return builder().build();
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Extracts an archive into {@code targetDir} (created if missing; should be empty).
   *
   * @param archive the bytes of {@code snapshot.tar.zst} from offset 0; read to its end, not closed
   * @param manifest the archive's manifest (validated first)
   * @param targetDir where to create the tree
   * @throws ArchiveException {@code UNSUPPORTED_FORMAT}/{@code INVALID_MANIFEST} for the manifest,
   *     {@code CORRUPT} for bytes that do not match it, {@code UNSAFE_ENTRY} for an entry refused
   *     by the safety rules, {@code IO} for read/write failures; the message names the entry and
   *     chunk
   */
  public void extract(InputStream archive, ArchiveManifest manifest, Path targetDir) {
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(manifest, "manifest").validate();
    Path root = prepareTarget(targetDir);
    long started = System.nanoTime();
    try (ChunkStream stream = new ChunkStream(archive, manifest, progress)) {
      new TarExtractor(stream, root, manifest, null, null).run();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    LOG.debugf(
        "extracted %d files (%d bytes) into %s in %.1f s (%.0f MB/s of tar)",
        manifest.fileCount(),
        manifest.contentSize(),
        root,
        seconds,
        manifest.tarSize() / 1e6 / Math.max(seconds, 1e-9));
  }

  /**
   * Extracts an archive file; see {@link #extract(InputStream, ArchiveManifest, Path)}.
   *
   * @param archiveFile path of {@code snapshot.tar.zst}
   * @param manifest its manifest
   * @param targetDir where to create the tree
   */
  public void extract(Path archiveFile, ArchiveManifest manifest, Path targetDir) {
    Objects.requireNonNull(manifest, "manifest").validate();
    try (InputStream in = Files.newInputStream(archiveFile)) {
      extract(in, manifest, targetDir);
    } catch (IOException e) {
      throw new ArchiveException(
          ArchiveException.Kind.IO, "cannot read archive " + archiveFile + ": " + e, e);
    }
  }

  /**
   * Checks an archive against its manifest without writing anything, as strictly as {@link
   * #extract} would into an empty directory: every chunk's SHA-256 before it is decompressed, its
   * frame header and decompressed size, the whole-file SHA-256, nothing after the last chunk, and
   * every tar entry by the safety rules of extraction (paths, links, devices, FIFOs, duplicates,
   * names reserved for the restore journal, sizes against the manifest). An archive this method
   * accepts is one a restore accepts; one it refuses fails the same way, with the same message.
   *
   * @param archive the bytes of {@code snapshot.tar.zst} from offset 0; read to its end, not closed
   * @param manifest the manifest (validated first)
   * @return the manifest, now known to describe these bytes
   * @throws ArchiveException as {@link #extract} would, naming the entry or chunk
   */
  public ArchiveManifest verify(InputStream archive, ArchiveManifest manifest) {
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(manifest, "manifest").validate();
    try (ChunkStream stream = new ChunkStream(archive, manifest, progress)) {
      TarExtractor.dryRun(stream, manifest).run();
    }
    return manifest;
  }

  /**
   * Checks an archive file; see {@link #verify(InputStream, ArchiveManifest)}.
   *
   * @param archiveFile path of {@code snapshot.tar.zst}
   * @param manifest its manifest
   * @return the manifest
   */
  public ArchiveManifest verify(Path archiveFile, ArchiveManifest manifest) {
    Objects.requireNonNull(manifest, "manifest").validate();
    try (InputStream in = Files.newInputStream(archiveFile)) {
      return verify(in, manifest);
    } catch (IOException e) {
      throw new ArchiveException(
          ArchiveException.Kind.IO, "cannot read archive " + archiveFile + ": " + e, e);
    }
  }

  /**
   * Checks only that the bytes are the archive the manifest describes, without decompressing: every
   * chunk's SHA-256 and frame header (single zstd frame, checksum flag, declared content size equal
   * to the manifest's), the whole-file SHA-256, and that nothing follows the last chunk. The tar
   * entries are not looked at (see {@link #verify(InputStream, ArchiveManifest)}).
   *
   * @param archive the bytes of {@code snapshot.tar.zst} from offset 0; read to its end, not closed
   * @param manifest the manifest (validated first)
   * @return the manifest, now known to describe these bytes
   * @throws ArchiveException naming the first bad chunk
   */
  public ArchiveManifest verifyChunks(InputStream archive, ArchiveManifest manifest) {
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(manifest, "manifest").validate();
    ChunkInput input = new ChunkInput(archive, manifest, progress);
    byte[] frame = new byte[ChunkInput.maxCompressedLength(manifest)];
    while (input.hasNext()) {
      ChunkInfo chunk = input.next(frame);
      ArchiveChunks.checkFrameHeader(chunk, frame, 0, (int) chunk.compressedLength());
    }
    input.finish();
    return manifest;
  }

  /**
   * Checks an archive file's chunks; see {@link #verifyChunks(InputStream, ArchiveManifest)}.
   *
   * @param archiveFile path of {@code snapshot.tar.zst}
   * @param manifest its manifest
   * @return the manifest
   */
  public ArchiveManifest verifyChunks(Path archiveFile, ArchiveManifest manifest) {
    Objects.requireNonNull(manifest, "manifest").validate();
    try (InputStream in = Files.newInputStream(archiveFile)) {
      return verifyChunks(in, manifest);
    } catch (IOException e) {
      throw new ArchiveException(
          ArchiveException.Kind.IO, "cannot read archive " + archiveFile + ": " + e, e);
    }
  }

  static Path prepareTarget(Path targetDir) {
    Objects.requireNonNull(targetDir, "targetDir");
    try {
      if (!Files.exists(targetDir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(targetDir);
      }
      Path root = targetDir.toRealPath();
      if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
        throw new ArchiveException(
            ArchiveException.Kind.IO, "extraction target " + targetDir + " is not a directory");
      }
      return root;
    } catch (IOException e) {
      throw new ArchiveException(
          ArchiveException.Kind.IO, "cannot prepare extraction target " + targetDir + ": " + e, e);
    }
  }

  /** Builder of {@link ArchiveReader}. */
  public static final class Builder {
    private ProgressListener progress = ProgressListener.NONE;

    private Builder() {}

    /**
     * Sets a progress listener, called after each verified chunk with the archive bytes read so far
     * and {@code compressedSize} (from the reading thread).
     *
     * @param progress the listener
     * @return this builder
     */
    public Builder progress(ProgressListener progress) {
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    /** Builds the reader. */
    public ArchiveReader build() {
      return new ArchiveReader(this);
    }
  }
}
