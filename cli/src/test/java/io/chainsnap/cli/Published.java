package io.chainsnap.cli;

import io.chainsnap.archive.ArchiveManifest;
import io.chainsnap.archive.ArchiveWriter;
import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.QuiesceStrategy;
import io.chainsnap.domain.VerificationStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A published layout on disk, as the publisher writes it to a bucket: {@code
 * {chain}/{network}/index.json} and {@code {chain}/{network}/{mode}/{id}/snapshot.{tar.zst,json}}.
 */
final class Published {

  static final String CHAIN = "litecoin";
  static final String NETWORK = "regtest";

  final Path root;
  final List<SnapshotIndex.Entry> entries = new ArrayList<>();
  final Map<String, String> latest = new LinkedHashMap<>();

  Published(Path root) {
    this.root = root;
  }

  /** Archives {@code source} as snapshot {@code id}; returns its metadata. */
  SnapshotMetadata add(String id, String mode, Path source, int chunkSize, long height)
      throws IOException {
    Path dir = Files.createDirectories(dir(id, mode));
    ArchiveManifest manifest =
        ArchiveWriter.builder()
            .chunkSize(chunkSize)
            .build()
            .write(source, dir.resolve("snapshot.tar.zst"));
    SnapshotMetadata metadata =
        new SnapshotMetadata(
            1,
            id,
            CHAIN,
            NETWORK,
            Mode.fromWire(mode),
            "/LitecoinCore:0.21.2.1/",
            height,
            "0000beef" + height,
            Instant.now().minusSeconds(3600 * height),
            QuiesceStrategy.STOP,
            1200,
            manifest);
    Files.write(dir.resolve("snapshot.json"), metadata.toJson());
    return metadata;
  }

  Path dir(String id, String mode) {
    return root.resolve(CHAIN).resolve(NETWORK).resolve(mode).resolve(id);
  }

  /** Lists a snapshot in the index; {@code url} maps a path under root to its public URL. */
  void list(SnapshotMetadata m, String status, Function<String, String> url) {
    String base = CHAIN + "/" + NETWORK + "/" + m.mode() + "/" + m.snapshotId() + "/";
    Map<String, String> sources = new LinkedHashMap<>();
    sources.put("https", url.apply(base + "snapshot.tar.zst"));
    sources.put("manifest", url.apply(base + "snapshot.json"));
    sources.put("s3", "s3://chainsnap/" + base + "snapshot.tar.zst");
    entries.add(
        0,
        new SnapshotIndex.Entry(
            m.snapshotId(),
            m.mode(),
            m.height(),
            m.blockHash(),
            m.clientVersion(),
            m.takenAt(),
            m.archive().compressedSize(),
            m.archive().contentSize(),
            m.archive().fileCount(),
            m.archive().sha256(),
            sources,
            new SnapshotIndex.Verification(
                VerificationStatus.fromWire(status),
                Instant.now(),
                status.equals("rejected") ? "tip: wrong height" : null)));
    if (status.equals("verified")) {
      latest.put(m.mode().wireName(), m.snapshotId());
    }
  }

  /**
   * Writes index.json as the publisher issues it (sequence, validity period), then {@code
   * index.json.sig} by {@code signers} over its exact bytes and {@code keys.json} with their public
   * keys; returns the index's path.
   */
  Path writeSignedIndex(
      long sequence,
      Instant issuedAt,
      Instant expiresAt,
      java.util.List<io.chainsnap.archive.signing.SigningKey> signers)
      throws IOException {
    SnapshotIndex index =
        new SnapshotIndex(
                SnapshotIndex.FORMAT_VERSION, CHAIN, NETWORK, sequence, issuedAt, latest, entries)
            .issued(sequence, issuedAt, expiresAt);
    Path file = root.resolve(CHAIN).resolve(NETWORK).resolve("index.json");
    Files.createDirectories(file.getParent());
    byte[] bytes = index.toJson();
    Files.write(
        file.resolveSibling("index.json.sig"),
        io.chainsnap.archive.signing.IndexSignature.sign(bytes, sequence, signers).toJson());
    Files.write(
        file.resolveSibling("keys.json"),
        io.chainsnap.archive.signing.PublishedKeys.of(
                signers.stream().map(io.chainsnap.archive.signing.SigningKey::publicKey).toList())
            .toJson());
    Files.write(file, bytes);
    return file;
  }

  /** Writes index.json; returns its path. */
  Path writeIndex() throws IOException {
    SnapshotIndex index =
        new SnapshotIndex(
            SnapshotIndex.FORMAT_VERSION, CHAIN, NETWORK, 7, Instant.now(), latest, entries);
    Path file = root.resolve(CHAIN).resolve(NETWORK).resolve("index.json");
    Files.createDirectories(file.getParent());
    Files.write(file, index.toJson());
    return file;
  }
}
