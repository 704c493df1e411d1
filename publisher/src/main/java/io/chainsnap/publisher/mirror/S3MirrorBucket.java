package io.chainsnap.publisher.mirror;

import io.chainsnap.domain.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The mirror bucket on S3 (AWS or an S3-compatible server). Files are streamed from disk: one put
 * up to the part size, a sequential multipart upload above it (memory: one part), each request with
 * its {@code x-amz-checksum-sha256} checked by the server. Every tree object carries its SHA-256
 * ({@code x-amz-meta-sha256}) and its file's mtime ({@code x-amz-meta-mtime}, seconds, the metadata
 * rclone reads).
 */
public final class S3MirrorBucket {
  private static final Logger LOG = Logger.getLogger(S3MirrorBucket.class);

  /** A listed object. */
  public record Listed(String key, long size, String etag) {}

  private final S3Client s3;
  private final String bucket;
  private final long partSize;

  public S3MirrorBucket(S3Client s3, String bucket, long partSize) {
    if (partSize < (5L << 20) || partSize > (2L << 30) - 8) {
      throw new IllegalArgumentException(
          "invalid configuration publisher.mirror.part-size: " + partSize + " (5M to 2G)");
    }
    this.s3 = s3;
    this.bucket = bucket;
    this.partSize = partSize;
  }

  public String bucket() {
    return bucket;
  }

  /** Every object under {@code prefix}, by key. */
  public Map<String, Listed> list(String prefix) {
    Map<String, Listed> listed = new LinkedHashMap<>();
    for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
      listed.put(o.key(), new Listed(o.key(), o.size(), etag(o.eTag())));
    }
    return listed;
  }

  /** The {@code x-amz-meta-sha256} of {@code key}, if the object exists and has it. */
  public Optional<String> sha256(String key) {
    try {
      HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
      return Optional.ofNullable(head.metadata().get("sha256"));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Small content, if present. */
  public Optional<byte[]> get(String key) {
    try {
      return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Stores small JSON in one put. */
  public void putJson(String key, byte[] json, String cacheControl) {
    s3.putObject(
        b ->
            b.bucket(bucket)
                .key(key)
                .contentType("application/json")
                .cacheControl(cacheControl)
                .metadata(Map.of("sha256", Sha256.hex(json)))
                .checksumSHA256(
                    Base64.getEncoder().encodeToString(Sha256.newDigest().digest(json))),
        RequestBody.fromBytes(json));
  }

  /**
   * Uploads {@code file} ({@code size} bytes, SHA-256 {@code sha256} in hex) under {@code key} and
   * returns the new object's ETag.
   */
  public String putFile(String key, Path file, long size, String sha256, long mtimeSeconds) {
    Map<String, String> metadata = Map.of("sha256", sha256, "mtime", Long.toString(mtimeSeconds));
    if (size <= partSize) {
      String checksum = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256));
      return etag(
          s3.putObject(
                  b ->
                      b.bucket(bucket)
                          .key(key)
                          .contentType("application/octet-stream")
                          .cacheControl("no-cache")
                          .metadata(metadata)
                          .checksumSHA256(checksum),
                  RequestBody.fromFile(file))
              .eTag());
    }
    String uploadId =
        s3.createMultipartUpload(
                b ->
                    b.bucket(bucket)
                        .key(key)
                        .contentType("application/octet-stream")
                        .cacheControl("no-cache")
                        .metadata(metadata)
                        .checksumAlgorithm(ChecksumAlgorithm.SHA256))
            .uploadId();
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      byte[] buffer = new byte[(int) partSize];
      List<CompletedPart> parts = new ArrayList<>();
      long sent = 0;
      for (int number = 1; sent < size; number++) {
        int length = (int) Math.min(partSize, size - sent);
        ByteBuffer dst = ByteBuffer.wrap(buffer, 0, length);
        while (dst.hasRemaining()) {
          if (in.read(dst, sent + dst.position()) < 0) {
            throw new IOException(file + " ended after " + (sent + dst.position()) + " bytes");
          }
        }
        String checksum = partChecksum(buffer, length);
        int part = number;
        String etag =
            s3.uploadPart(
                    b ->
                        b.bucket(bucket)
                            .key(key)
                            .uploadId(uploadId)
                            .partNumber(part)
                            .contentLength((long) length)
                            .checksumSHA256(checksum),
                    RequestBody.fromContentProvider(
                        () -> new ByteArrayInputStream(buffer, 0, length),
                        length,
                        "application/octet-stream"))
                .eTag();
        parts.add(
            CompletedPart.builder().partNumber(part).eTag(etag).checksumSHA256(checksum).build());
        sent += length;
      }
      return etag(
          s3.completeMultipartUpload(
                  b ->
                      b.bucket(bucket)
                          .key(key)
                          .uploadId(uploadId)
                          .multipartUpload(m -> m.parts(parts)))
              .eTag());
    } catch (IOException | RuntimeException e) {
      try {
        s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
      } catch (RuntimeException abort) {
        LOG.warnf("could not abort the multipart upload of %s: %s", key, abort.getMessage());
      }
      if (e instanceof IOException io) {
        throw new UncheckedIOException("upload of " + key + " failed: " + io.getMessage(), io);
      }
      throw (RuntimeException) e;
    }
  }

  /**
   * Deletes {@code keys}, one request each (a handful per snapshot; plain {@code DeleteObject}
   * works on every S3-compatible server, multi-object delete needs a {@code Content-MD5} some
   * refuse).
   */
  public void delete(List<String> keys) {
    for (String key : keys) {
      s3.deleteObject(b -> b.bucket(bucket).key(key));
    }
  }

  private static String partChecksum(byte[] buffer, int length) {
    MessageDigest digest = Sha256.newDigest();
    digest.update(buffer, 0, length);
    return Base64.getEncoder().encodeToString(digest.digest());
  }

  /** An ETag without its quotes. */
  static String etag(String etag) {
    if (etag == null) {
      return "";
    }
    return etag.replace("\"", "");
  }
}
