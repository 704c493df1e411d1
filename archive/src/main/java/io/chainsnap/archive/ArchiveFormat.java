package io.chainsnap.archive;

/** Constants of archive format v1 (see {@code docs/archive-format.md}). */
public final class ArchiveFormat {

  /** The format version this code writes and the only one it reads. */
  public static final int FORMAT_VERSION = 1;

  /** The only compression of format v1. */
  public static final String COMPRESSION = "zstd";

  /** Conventional file name of the archive. */
  public static final String ARCHIVE_FILE_NAME = "snapshot.tar.zst";

  /** Default uncompressed chunk size: 64 MiB. */
  public static final int DEFAULT_CHUNK_SIZE = 64 << 20;

  /** Smallest chunk size a writer may use and a reader accepts: 4 KiB. */
  public static final int MIN_CHUNK_SIZE = 4 << 10;

  /**
   * Largest chunk size a writer may use and a reader accepts: 256 MiB. A reader holds a few chunks
   * per connection in memory, so this bounds what a manifest can make it allocate (1 GiB chunks
   * took 5.2 GB of RSS to restore 200 bytes of files). Was 1 GiB before; no archive written with
   * the default 64 MiB is affected.
   */
  public static final int MAX_CHUNK_SIZE = 256 << 20;

  /** Default zstd level. */
  public static final int DEFAULT_LEVEL = 3;

  /** Tar mode of directories and of files whose owner-execute bit is set. */
  public static final int MODE_EXECUTABLE = 0755;

  /** Tar mode of other regular files. */
  public static final int MODE_FILE = 0644;

  private ArchiveFormat() {}
}
