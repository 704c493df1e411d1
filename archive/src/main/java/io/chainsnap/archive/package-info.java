/**
 * Archive format v1: a deterministic tar of a data directory cut into independent zstd frames
 * ({@link io.chainsnap.archive.ArchiveWriter}), its chunk index ({@link
 * io.chainsnap.archive.ArchiveManifest}), and verification plus safe streaming extraction ({@link
 * io.chainsnap.archive.ArchiveReader}); the documents published beside the archives ({@code
 * snapshot.json}, {@code index.json}) with their JSON Schemas ({@link
 * io.chainsnap.archive.DocumentSchema}) and agreement check ({@link
 * io.chainsnap.archive.SnapshotClaims}); exclude globs ({@link io.chainsnap.archive.PathFilter}).
 *
 * <p>Plain Java (no CDI). The normative spec is {@code docs/archive-format.md}.
 */
package io.chainsnap.archive;
