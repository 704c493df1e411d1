/**
 * The restore engine shared by the {@code chainsnap} command and the verifier: {@link
 * io.chainsnap.archive.restore.Restorer} fetches an archive's chunks by byte range from a {@link
 * io.chainsnap.archive.restore.RangeSource} (HTTP(S), local file; S3 lives in the CLI) with several
 * connections, checks each chunk's SHA-256 before decompressing it, and applies the chunks in order
 * to a resumable streaming extraction straight into the destination, keeping a journal there so
 * that an interrupted restore continues where it stopped. {@link
 * io.chainsnap.archive.restore.ArchiveDownloader} downloads or verifies an archive the same way.
 */
package io.chainsnap.archive.restore;
