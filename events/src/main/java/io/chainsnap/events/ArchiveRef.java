package io.chainsnap.events;

/**
 * Where a staged archive is and what it must hash to (claim check: bytes never travel in Kafka).
 *
 * @param archiveUrl URL of {@code snapshot.tar.zst}
 * @param manifestUrl URL of {@code snapshot.json} (chunk index and metadata)
 * @param sha256 SHA-256 of {@code snapshot.tar.zst}, hex
 * @param manifestSha256 SHA-256 of {@code snapshot.json}, hex
 * @param compressedSize bytes of {@code snapshot.tar.zst}
 * @param contentSize bytes of file data once extracted: the disk a restore needs
 * @param fileCount files in the archive
 * @param chunkCount independent zstd frames
 * @param formatVersion archive format version
 */
public record ArchiveRef(
    String archiveUrl,
    String manifestUrl,
    String sha256,
    String manifestSha256,
    long compressedSize,
    long contentSize,
    long fileCount,
    int chunkCount,
    int formatVersion) {}
