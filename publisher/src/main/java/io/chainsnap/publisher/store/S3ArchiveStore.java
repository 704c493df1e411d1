package io.chainsnap.publisher.store;

import io.chainsnap.domain.Sha256;
import io.chainsnap.publisher.config.PublisherConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link ArchiveStore} on S3 (AWS, or any S3-compatible server with an endpoint override). Large
 * objects go up as multipart uploads with several parts in flight and memory bounded by (parallel
 * parts + 1) x part size, whatever the archive size; an upload that fails or is refused by its
 * completion check is aborted, so a partial object never becomes visible.
 *
 * <p>Every object carries an S3 additional checksum ({@code x-amz-checksum-sha256}), sent with the
 * request and checked by the server before it stores anything: a single put carries the SHA-256 of
 * the object, each part of a multipart upload the SHA-256 of the part, and the completed object the
 * composite checksum S3 computes from them (base64 SHA-256 of the parts' digests, {@code -<parts>};
 * S3 offers no whole-object SHA-256 for multipart uploads, hence {@code SHA256SUMS} beside the
 * archive).
 */
@ApplicationScoped
public class S3ArchiveStore implements ArchiveStore {
  private static final Logger LOG = Logger.getLogger(S3ArchiveStore.class);
  private static final long MAX_PARTS = 10_000;

  private final PublisherConfig.S3 config;
  private final long partSize;
  private final String publicBase;
  private final S3Client s3;
  private final ExecutorService partUploads;

  public S3ArchiveStore(PublisherConfig config) {
    this.config = config.s3();
    try {
      // S3's smallest part (but the last) is 5 MiB; a part is one array: at most 2 GiB
      this.partSize = this.config.partSize().requireBetween(5L << 20, 2L << 30).bytes();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid configuration publisher.s3.part-size: " + e.getMessage(), e);
    }
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .region(Region.of(this.config.region()))
            .forcePathStyle(this.config.pathStyle());
    this.config.endpoint().ifPresent(endpoint -> builder.endpointOverride(URI.create(endpoint)));
    if (this.config.accessKey().isPresent()) {
      builder.credentialsProvider(
          StaticCredentialsProvider.create(
              AwsBasicCredentials.create(
                  this.config.accessKey().get(), this.config.secretKey().orElse(""))));
    } else {
      builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
    }
    this.s3 = builder.build();
    this.publicBase =
        stripSlash(
            config
                .publicBaseUrl()
                .orElseGet(
                    () ->
                        this.config.endpoint().orElse("https://s3.amazonaws.com")
                            + "/"
                            + this.config.bucket()));
    this.partUploads =
        Executors.newFixedThreadPool(
            Math.max(1, this.config.parallelParts()),
            r -> {
              Thread t = new Thread(r, "s3-part-upload");
              t.setDaemon(true);
              return t;
            });
  }

  void onStart(@Observes StartupEvent event) {
    if (!config.createBucket()) {
      return;
    }
    try {
      s3.headBucket(b -> b.bucket(config.bucket()));
    } catch (NoSuchBucketException e) {
      s3.createBucket(b -> b.bucket(config.bucket()));
      LOG.infof("created bucket %s", config.bucket());
    } catch (S3Exception e) {
      if (e.statusCode() != 404) {
        throw e;
      }
      s3.createBucket(b -> b.bucket(config.bucket()));
      LOG.infof("created bucket %s", config.bucket());
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    partUploads.shutdownNow();
    s3.close();
  }

  @Override
  public Optional<StoredObject> head(String key) {
    try {
      HeadObjectResponse head = s3.headObject(b -> b.bucket(config.bucket()).key(key));
      return Optional.of(new StoredObject(key, head.contentLength(), head.metadata()));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public void upload(
      String key,
      InputStream content,
      long size,
      String contentType,
      Map<String, String> metadata,
      Runnable beforeComplete) {
    String uploadId =
        s3.createMultipartUpload(
                b -> {
                  b.bucket(config.bucket())
                      .key(key)
                      .contentType(contentType)
                      .cacheControl("public, max-age=31536000, immutable")
                      .metadata(metadata)
                      .checksumAlgorithm(ChecksumAlgorithm.SHA256);
                  if (config.publicReadAcl()) {
                    b.acl(ObjectCannedACL.PUBLIC_READ);
                  }
                })
            .uploadId();
    long partSize = partSize(this.partSize, size);
    Semaphore inFlight = new Semaphore(Math.max(1, config.parallelParts()));
    List<Future<CompletedPart>> parts = new ArrayList<>();
    try {
      long sent = 0;
      int partNumber = 1;
      while (sent < size || partNumber == 1) {
        int length = (int) Math.min(partSize, size - sent);
        byte[] buffer = content.readNBytes(length);
        if (buffer.length != length) {
          throw new IOException(
              "source ended after " + (sent + buffer.length) + " of " + size + " bytes");
        }
        inFlight.acquire();
        int number = partNumber;
        parts.add(
            partUploads.submit(
                () -> {
                  try {
                    String checksum = checksum(buffer);
                    String etag =
                        s3.uploadPart(
                                b ->
                                    b.bucket(config.bucket())
                                        .key(key)
                                        .uploadId(uploadId)
                                        .partNumber(number)
                                        .contentLength((long) buffer.length)
                                        .checksumSHA256(checksum),
                                RequestBody.fromContentProvider(
                                    () -> new ByteArrayInputStream(buffer),
                                    buffer.length,
                                    "application/octet-stream"))
                            .eTag();
                    return CompletedPart.builder()
                        .partNumber(number)
                        .eTag(etag)
                        .checksumSHA256(checksum)
                        .build();
                  } finally {
                    inFlight.release();
                  }
                }));
        sent += length;
        partNumber++;
        if (size == 0) {
          break;
        }
      }
      if (content.read() != -1) {
        throw new IOException("source is longer than the announced " + size + " bytes");
      }
      List<CompletedPart> completed = new ArrayList<>();
      for (Future<CompletedPart> part : parts) {
        completed.add(part.get());
      }
      beforeComplete.run();
      CompleteMultipartUploadResponse done =
          s3.completeMultipartUpload(
              b ->
                  b.bucket(config.bucket())
                      .key(key)
                      .uploadId(uploadId)
                      .multipartUpload(
                          CompletedMultipartUpload.builder().parts(completed).build()));
      LOG.debugf("%s complete, x-amz-checksum-sha256 %s", key, done.checksumSHA256());
    } catch (IOException e) {
      abort(key, uploadId, parts);
      throw new UncheckedIOException("upload of " + key + " failed: " + e.getMessage(), e);
    } catch (ExecutionException e) {
      abort(key, uploadId, parts);
      throw e.getCause() instanceof RuntimeException runtime
          ? runtime
          : new IllegalStateException("upload of " + key + " failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort(key, uploadId, parts);
      throw new IllegalStateException("upload of " + key + " interrupted", e);
    } catch (RuntimeException e) {
      abort(key, uploadId, parts);
      throw e;
    }
  }

  /**
   * The part size for an object of {@code size} bytes: the configured one, raised (to a whole MiB)
   * when S3's limit of 10,000 parts would be exceeded; at least 5 MiB, at most what one buffer (an
   * int-sized array) holds.
   */
  static long partSize(long configured, long size) {
    long minimum = 5L << 20;
    long needed = (size + MAX_PARTS - 1) / MAX_PARTS;
    long chosen = Math.max(Math.max(configured, minimum), needed);
    chosen = (chosen + (1L << 20) - 1) & ~((1L << 20) - 1);
    if (chosen > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "an object of " + size + " bytes needs parts larger than 2 GiB; not supported");
    }
    return chosen;
  }

  private void abort(String key, String uploadId, List<Future<CompletedPart>> parts) {
    parts.forEach(part -> part.cancel(true));
    try {
      s3.abortMultipartUpload(b -> b.bucket(config.bucket()).key(key).uploadId(uploadId));
      LOG.warnf("aborted the multipart upload of %s", key);
    } catch (RuntimeException e) {
      LOG.warnf("could not abort the multipart upload of %s: %s", key, e.getMessage());
    }
  }

  @Override
  public void put(
      String key,
      byte[] content,
      String contentType,
      String cacheControl,
      Map<String, String> metadata) {
    s3.putObject(
        b -> {
          b.bucket(config.bucket())
              .key(key)
              .contentType(contentType)
              .cacheControl(cacheControl)
              .metadata(metadata)
              .checksumSHA256(checksum(content));
          if (config.publicReadAcl() && !key.startsWith(CatalogKeys.CATALOG_PREFIX)) {
            b.acl(ObjectCannedACL.PUBLIC_READ);
          }
        },
        RequestBody.fromBytes(content));
  }

  @Override
  public Optional<byte[]> get(String key) {
    try {
      return Optional.of(
          s3.getObjectAsBytes(b -> b.bucket(config.bucket()).key(key)).asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    }
  }

  @Override
  public List<String> list(String prefix) {
    return s3
        .listObjectsV2Paginator(b -> b.bucket(config.bucket()).prefix(prefix))
        .contents()
        .stream()
        .map(S3Object::key)
        .toList();
  }

  @Override
  public String publicUrl(String key) {
    return publicBase + "/" + key;
  }

  @Override
  public String bucket() {
    return config.bucket();
  }

  /**
   * The value of {@code x-amz-checksum-sha256} for {@code bytes}: their SHA-256, base64. Sent as a
   * header, not as the SDK's default trailing checksum, which S3-compatible servers such as s3proxy
   * 4.1.0 accept but do not store.
   */
  static String checksum(byte[] bytes) {
    return Base64.getEncoder().encodeToString(Sha256.newDigest().digest(bytes));
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
