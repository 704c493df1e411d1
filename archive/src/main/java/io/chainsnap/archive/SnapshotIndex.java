package io.chainsnap.archive;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.VerificationStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code index.json} of one chain/network: every live snapshot with all its sources, its
 * verification result, and per mode the {@code latest} verified one. Operators and the CLI start
 * here. Readers refuse an unknown {@code formatVersion} (exactly the JSON integer 1: not 1.0, 1.9
 * or "1") and strings or fractions where the format says integer.
 *
 * @param formatVersion version of this document, {@value #FORMAT_VERSION}
 * @param chain e.g. {@code litecoin}
 * @param network e.g. {@code mainnet}
 * @param sequence increases by one with every rewrite
 * @param generatedAt when the content (the snapshots and latest) was last written
 * @param latest per mode (its wire name), the id of the newest verified snapshot
 * @param snapshots newest first
 * @param issuedAt when this version was issued (signed); a re-issue of unchanged content has a new
 *     {@code issuedAt}, {@code expiresAt} and {@code sequence} but keeps {@code generatedAt}.
 *     Optional (absent in indexes written before signing)
 * @param expiresAt after this instant a reader refuses the index as stale; present in every signed
 *     index, optional otherwise
 */
@JsonPropertyOrder({
  "formatVersion",
  "chain",
  "network",
  "sequence",
  "generatedAt",
  "issuedAt",
  "expiresAt",
  "latest",
  "snapshots"
})
public record SnapshotIndex(
    int formatVersion,
    String chain,
    String network,
    long sequence,
    Instant generatedAt,
    Map<String, String> latest,
    List<Entry> snapshots,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant issuedAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant expiresAt) {

  /** An index without validity period ({@code issuedAt}, {@code expiresAt} absent). */
  public SnapshotIndex(
      int formatVersion,
      String chain,
      String network,
      long sequence,
      Instant generatedAt,
      Map<String, String> latest,
      List<Entry> snapshots) {
    this(formatVersion, chain, network, sequence, generatedAt, latest, snapshots, null, null);
  }

  /**
   * This index as issued at {@code issuedAt} with {@code sequence}, valid until {@code expiresAt}.
   */
  public SnapshotIndex issued(long sequence, Instant issuedAt, Instant expiresAt) {
    return new SnapshotIndex(
        formatVersion,
        chain,
        network,
        sequence,
        generatedAt,
        latest,
        snapshots,
        issuedAt,
        expiresAt);
  }

  /** The version of {@code index.json} this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper MAPPER =
      JsonDocuments.strictBuilder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  /**
   * One snapshot in the index.
   *
   * @param snapshotId unique id
   * @param mode what it keeps of the chain's history
   * @param height block height it restores to
   * @param blockHash hash of that block
   * @param clientVersion node software that wrote it
   * @param takenAt when it was captured
   * @param compressedSize bytes to download
   * @param contentSize bytes on disk once restored
   * @param fileCount files
   * @param sha256 SHA-256 of {@code snapshot.tar.zst}
   * @param sources where to get it: {@code https}, {@code s3}, {@code ipfs} (CID), {@code manifest}
   *     (URL of {@code snapshot.json})
   * @param verification {@code pending}, {@code verified} or {@code rejected}, with details
   */
  public record Entry(
      String snapshotId,
      Mode mode,
      long height,
      String blockHash,
      String clientVersion,
      Instant takenAt,
      long compressedSize,
      long contentSize,
      long fileCount,
      String sha256,
      Map<String, String> sources,
      Verification verification) {}

  /**
   * What the verifier found.
   *
   * @param status what the verifier found
   * @param at when it decided
   * @param detail the reason of a rejection, or the restore timing of a verification
   * @param restoreMillis of a verification: download, check and extraction time; optional
   * @param bootMillis of a verification: time until the restored node answered; optional
   * @param diskBytes of a verification: bytes of the restored data dir after the node ran on it
   *     (the disk a restore needs); optional
   * @param verifyChainLevel of a verification: checklevel of the node's {@code verifychain} that
   *     passed (Bitcoin Core family); optional
   * @param verifyChainBlocks nblocks of that {@code verifychain} (0: all); optional
   * @param utxoSetHashType which UTXO set hash the node's {@code gettxoutsetinfo} returned ({@code
   *     hash_serialized_2}, {@code hash_serialized_3}, {@code muhash}); optional
   * @param utxoSetHash that hash of the UTXO set at the tip, hex; optional
   */
  public record Verification(
      VerificationStatus status,
      Instant at,
      String detail,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long restoreMillis,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long bootMillis,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long diskBytes,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer verifyChainLevel,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer verifyChainBlocks,
      @JsonInclude(JsonInclude.Include.NON_NULL) String utxoSetHashType,
      @JsonInclude(JsonInclude.Include.NON_NULL) String utxoSetHash) {

    /**
     * A verdict without the verifier's measurements (pending, rejected, or written before them).
     */
    public Verification(VerificationStatus status, Instant at, String detail) {
      this(status, at, detail, null, null, null, null, null, null, null);
    }
  }

  /** The id of the newest verified snapshot of {@code mode}, if there is one. */
  public java.util.Optional<String> latest(Mode mode) {
    return java.util.Optional.ofNullable(latest == null ? null : latest.get(mode.wireName()));
  }

  /** Indented JSON, UTF-8 bytes. */
  public byte[] toJson() {
    try {
      return MAPPER.writeValueAsBytes(this);
    } catch (JsonProcessingException e) {
      throw new ArchiveException(ArchiveException.Kind.IO, "cannot serialise index.json", e);
    }
  }

  /** Reads {@code index.json}, refusing unknown versions. */
  public static SnapshotIndex read(byte[] json) {
    try {
      JsonNode tree = MAPPER.readTree(json);
      if (tree == null || !tree.isObject()) {
        throw new ArchiveException(
            ArchiveException.Kind.INVALID_MANIFEST, "index.json is not a JSON object");
      }
      if (!JsonDocuments.isVersion(tree.get("formatVersion"), FORMAT_VERSION)) {
        throw new ArchiveException(
            ArchiveException.Kind.UNSUPPORTED_FORMAT,
            "unsupported index.json formatVersion "
                + tree.path("formatVersion")
                + " (this reader knows only "
                + FORMAT_VERSION
                + "); upgrade chainsnap");
      }
      return MAPPER.treeToValue(tree, SnapshotIndex.class);
    } catch (JsonProcessingException e) {
      throw new ArchiveException(
          ArchiveException.Kind.INVALID_MANIFEST,
          "index.json cannot be read: " + JsonDocuments.describe(e),
          e);
    } catch (IOException e) {
      throw new ArchiveException(
          ArchiveException.Kind.INVALID_MANIFEST,
          "index.json cannot be read: " + e.getMessage(),
          e);
    }
  }
}
