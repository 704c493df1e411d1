/**
 * Archive format v1: a deterministic tar of a data directory cut into independent zstd frames
 * ({@link io.chainsnap.archive.ArchiveWriter}), its chunk index ({@link
 * io.chainsnap.archive.ArchiveManifest}), and verification plus safe streaming extraction ({@link
 * io.chainsnap.archive.ArchiveReader}).
 *
 * <p>Plain Java (no CDI). The normative spec is {@code docs/archive-format.md}.
 */
package io.chainsnap.archive;
