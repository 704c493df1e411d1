package io.chainsnap.publisher.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.domain.Mode;
import io.chainsnap.events.SnapshotTarget;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.Part;

/** Which stored parts a resumed upload trusts, and which uploads are the publisher's own. */
class ResumableUploadTest {
  final byte[] bytes = randomBytes(1 << 16, 1);
  final String sha256 = S3ArchiveStore.checksum(bytes);

  static byte[] randomBytes(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static String md5(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
  }

  @Test
  void aPartWithTheSameSha256ChecksumIsTheSameBytes() {
    Part part =
        Part.builder().partNumber(1).size((long) bytes.length).checksumSHA256(sha256).build();
    assertTrue(S3ArchiveStore.sameBytes(part, bytes, sha256));
  }

  @Test
  void aListedChecksumThatDiffersWinsOverAMatchingEtag() throws Exception {
    String other = S3ArchiveStore.checksum(randomBytes(1 << 16, 2));
    Part part =
        Part.builder()
            .partNumber(1)
            .size((long) bytes.length)
            .checksumSHA256(other)
            .eTag("\"" + md5(bytes) + "\"")
            .build();
    assertFalse(S3ArchiveStore.sameBytes(part, bytes, sha256));
  }

  @Test
  void withoutAChecksumTheMd5EtagDecides() throws Exception {
    Part same =
        Part.builder()
            .partNumber(1)
            .size((long) bytes.length)
            .eTag("\"" + md5(bytes) + "\"")
            .build();
    assertTrue(S3ArchiveStore.sameBytes(same, bytes, sha256));
    Part other =
        Part.builder()
            .partNumber(1)
            .size((long) bytes.length)
            .eTag("\"" + md5(randomBytes(1 << 16, 3)) + "\"")
            .build();
    assertFalse(S3ArchiveStore.sameBytes(other, bytes, sha256));
    // an ETag that is no MD5 (SSE-KMS, a composite): not trusted, the part is sent again
    Part opaque = Part.builder().partNumber(1).size((long) bytes.length).eTag("\"abc-2\"").build();
    assertFalse(S3ArchiveStore.sameBytes(opaque, bytes, sha256));
  }

  @Test
  void aPartOfAnotherSizeIsNeverTheSame() {
    Part shorter =
        Part.builder().partNumber(1).size((long) bytes.length - 1).checksumSHA256(sha256).build();
    assertFalse(S3ArchiveStore.sameBytes(shorter, bytes, sha256));
    Part unknown = Part.builder().partNumber(1).checksumSHA256(sha256).build();
    assertFalse(S3ArchiveStore.sameBytes(unknown, bytes, sha256));
  }

  @Test
  void onlyArchiveKeysAreThePublishersUploads() {
    String key =
        CatalogKeys.archive(
            new SnapshotTarget("litecoin", "regtest", Mode.FULL), "litecoin-regtest-full-a-1");
    assertTrue(CatalogKeys.isArchiveKey(key));
    assertTrue(
        CatalogKeys.isArchiveKey(
            "bitcoin/mainnet/pruned/bitcoin-mainnet-pruned-x/snapshot.tar.zst"));
    assertFalse(CatalogKeys.isArchiveKey("litecoin/regtest/full/a/snapshot.json"));
    assertFalse(CatalogKeys.isArchiveKey("backups/big.bin"));
    assertFalse(CatalogKeys.isArchiveKey("litecoin/regtest/other/a/snapshot.tar.zst"));
    assertFalse(CatalogKeys.isArchiveKey("_catalog/regtest/full/a/snapshot.tar.zst"));
    assertFalse(CatalogKeys.isArchiveKey("x/litecoin/regtest/full/a/snapshot.tar.zst"));
    assertEquals("_uploads/" + key + ".json", CatalogKeys.uploadRecord(key));
  }
}
