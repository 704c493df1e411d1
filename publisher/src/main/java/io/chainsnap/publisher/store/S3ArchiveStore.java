package io.chainsnap.publisher.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainsnap.domain.Sha256;
import io.chainsnap.events.PermanentFailureException;
import io.chainsnap.publisher.config.PublisherConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.Part;
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
 *
 * <p>Multipart uploads of archives survive the publisher: each is recorded (upload id, size,
 * metadata) under the private {@code _uploads/} prefix, resumed by the next upload of the same
 * object (parts already stored are checked against the bytes read and not sent again), and aborted
 * as orphans once older than {@code publisher.s3.orphan-upload-age} when no upload of their key
 * runs in this process (at start-up and every {@code publisher.s3.orphan-sweep-interval}).
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
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Keys with an upload running in this process: never orphans. Changed under sweepLock. */
  private final Set<String> active = ConcurrentHashMap.newKeySet();

  private final Object sweepLock = new Object();
  private final ScheduledExecutorService sweeper;
  private final Counter partsUploaded;
  private final Counter partsResumed;
  private final Counter uploadsResumed;
  private final Counter orphansAborted;

  public S3ArchiveStore(PublisherConfig config, MeterRegistry registry) {
    this.config = config.s3();
    if (this.config.orphanUploadAge().isNegative()
        || this.config.orphanSweepInterval().isNegative()
        || this.config.orphanSweepInterval().isZero()) {
      throw new IllegalArgumentException(
          "invalid configuration: publisher.s3.orphan-upload-age must not be negative and"
              + " publisher.s3.orphan-sweep-interval must be positive");
    }
    partsUploaded =
        Counter.builder("chainsnap.publisher.upload.parts.uploaded")
            .description("Archive parts sent to S3 (UploadPart)")
            .register(registry);
    partsResumed =
        Counter.builder("chainsnap.publisher.upload.parts.resumed")
            .description(
                "Archive parts an interrupted multipart upload had stored already, checked against"
                    + " the staged bytes and not sent again")
            .register(registry);
    uploadsResumed =
        Counter.builder("chainsnap.publisher.upload.resumed")
            .description("Multipart uploads of archives continued after an interruption")
            .register(registry);
    orphansAborted =
        Counter.builder("chainsnap.publisher.upload.orphans.aborted")
            .description(
                "Orphaned multipart uploads of archive keys aborted (older than"
                    + " publisher.s3.orphan-upload-age, not being worked on)")
            .register(registry);
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
    // https://<publisher.cloudfront.domain>, else publisher.public-base-url, else endpoint/bucket
    this.publicBase = io.chainsnap.publisher.cdn.PublicUrls.base(config);
    this.partUploads =
        Executors.newFixedThreadPool(
            Math.max(1, this.config.parallelParts()),
            r -> {
              Thread t = new Thread(r, "s3-part-upload");
              t.setDaemon(true);
              return t;
            });
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "s3-orphan-sweep");
              t.setDaemon(true);
              return t;
            });
  }

  void onStart(@Observes StartupEvent event) {
    createBucket();
    // at start-up (nothing is being uploaded yet), then on a schedule; in the background
    long interval = config.orphanSweepInterval().toMillis();
    sweeper.scheduleWithFixedDelay(this::sweep, 0, interval, TimeUnit.MILLISECONDS);
  }

  private void createBucket() {
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
    sweeper.shutdownNow();
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

  /**
   * {@inheritDoc}
   *
   * <p>Resumable: the upload id is recorded under {@link CatalogKeys#uploadRecord} (with the size,
   * content type and metadata) as soon as the multipart upload exists. A later call for the same
   * key and the same object (after a kill, a crash, a transient failure) continues that upload: the
   * content is still read whole (the caller hashes it end to end), but each part S3 already holds
   * is checked against the bytes read (size, and the part's SHA-256 checksum or else its MD5 ETag)
   * and not sent again; only missing or differing parts are uploaded. Failures the retries cannot
   * mend (a {@link PermanentFailureException} from {@code beforeComplete}, a source of the wrong
   * length) abort the upload; other failures keep it for the next attempt.
   */
  @Override
  public void upload(
      String key,
      InputStream content,
      long size,
      String contentType,
      Map<String, String> metadata,
      Runnable beforeComplete) {
    synchronized (sweepLock) {
      active.add(key);
    }
    try {
      uploadResumably(key, content, size, contentType, metadata, beforeComplete);
    } finally {
      active.remove(key);
    }
  }

  private void uploadResumably(
      String key,
      InputStream content,
      long size,
      String contentType,
      Map<String, String> metadata,
      Runnable beforeComplete) {
    long partSize = partSize(this.partSize, size);
    UploadRecord wanted = new UploadRecord(key, null, size, contentType, new TreeMap<>(metadata));
    Optional<Resumable> resumable = resumable(wanted);
    String uploadId;
    Map<Integer, Part> stored;
    if (resumable.isPresent()) {
      uploadId = resumable.get().uploadId();
      stored = resumable.get().parts();
      uploadsResumed.increment();
      LOG.infof(
          "resuming the multipart upload %s of %s: %d parts stored already (checked against the"
              + " staged bytes before they are skipped)",
          uploadId, key, stored.size());
    } else {
      uploadId = create(key, contentType, metadata);
      stored = Map.of();
      putRecord(wanted.withUploadId(uploadId));
    }
    Semaphore inFlight = new Semaphore(Math.max(1, config.parallelParts()));
    List<Future<CompletedPart>> parts = new ArrayList<>();
    try {
      long sent = 0;
      int partNumber = 1;
      while (sent < size || partNumber == 1) {
        int length = (int) Math.min(partSize, size - sent);
        byte[] buffer = content.readNBytes(length);
        if (buffer.length != length) {
          throw new PermanentFailureException(
              "source ended after " + (sent + buffer.length) + " of " + size + " bytes");
        }
        inFlight.acquire();
        int number = partNumber;
        Part existing = stored.get(number);
        parts.add(
            partUploads.submit(
                () -> {
                  try {
                    return part(key, uploadId, number, buffer, existing);
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
        throw new PermanentFailureException(
            "source is longer than the announced " + size + " bytes");
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
      deleteRecord(key, uploadId);
    } catch (PermanentFailureException e) {
      abort(key, uploadId, parts);
      throw e;
    } catch (IOException e) {
      keep(key, uploadId, parts, e);
      throw new UncheckedIOException("upload of " + key + " failed: " + e.getMessage(), e);
    } catch (ExecutionException e) {
      keep(key, uploadId, parts, e.getCause());
      throw e.getCause() instanceof RuntimeException runtime
          ? runtime
          : new IllegalStateException("upload of " + key + " failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      keep(key, uploadId, parts, e);
      throw new IllegalStateException("upload of " + key + " interrupted", e);
    } catch (RuntimeException e) {
      keep(key, uploadId, parts, e);
      throw e;
    }
  }

  /**
   * Part {@code number} of {@code uploadId}: the part S3 holds already when it is these bytes (then
   * nothing is sent), else these bytes uploaded (replacing a differing one).
   */
  private CompletedPart part(
      String key, String uploadId, int number, byte[] buffer, Part existing) {
    String checksum = checksum(buffer);
    String etag;
    if (existing != null && sameBytes(existing, buffer, checksum)) {
      etag = existing.eTag();
      partsResumed.increment();
    } else {
      if (existing != null) {
        LOG.warnf(
            "part %d of the upload of %s differs from the staged bytes: uploading it again",
            number, key);
      }
      etag =
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
      partsUploaded.increment();
    }
    return CompletedPart.builder().partNumber(number).eTag(etag).checksumSHA256(checksum).build();
  }

  /**
   * Whether the stored part {@code part} holds {@code bytes}: same size, and the same SHA-256
   * checksum when S3 lists one (AWS does for uploads created with it), else an ETag equal to the
   * bytes' MD5 (what S3 and s3proxy give a part of an unencrypted upload). Anything else is not
   * trusted: the part is uploaded again.
   */
  static boolean sameBytes(Part part, byte[] bytes, String sha256Base64) {
    if (part.size() == null || part.size() != bytes.length) {
      return false;
    }
    if (part.checksumSHA256() != null) {
      return part.checksumSHA256().equals(sha256Base64);
    }
    String etag = part.eTag() == null ? "" : part.eTag().replace("\"", "");
    return etag.equalsIgnoreCase(md5Hex(bytes));
  }

  private String create(String key, String contentType, Map<String, String> metadata) {
    return s3.createMultipartUpload(
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
  }

  /**
   * The multipart upload of {@code wanted}'s key to continue, with its stored parts: the one its
   * record names, if the record describes the same object (size, content type, metadata, hence the
   * announced SHA-256) and S3 still has it. Every other upload in progress for an archive key is
   * aborted (an unrecorded one was created by a process killed before it could record it).
   */
  private Optional<Resumable> resumable(UploadRecord wanted) {
    String key = wanted.key();
    List<MultipartUpload> uploads =
        s3
            .listMultipartUploadsPaginator(b -> b.bucket(config.bucket()).prefix(key))
            .uploads()
            .stream()
            .filter(u -> key.equals(u.key()))
            .toList();
    Optional<UploadRecord> record = readRecord(key);
    if (uploads.isEmpty()) {
      record.ifPresent(r -> deleteRecord(key, r.uploadId()));
      return Optional.empty();
    }
    Optional<String> resume =
        record
            .filter(r -> r.withUploadId(null).equals(wanted))
            .map(UploadRecord::uploadId)
            .filter(id -> uploads.stream().anyMatch(u -> id.equals(u.uploadId())));
    if (CatalogKeys.isArchiveKey(key)) {
      for (MultipartUpload upload : uploads) {
        if (resume.isEmpty() || !resume.get().equals(upload.uploadId())) {
          abortQuietly(key, upload.uploadId(), "not resumable (no matching record)");
        }
      }
    }
    if (resume.isEmpty()) {
      record.ifPresent(r -> deleteRecord(key, r.uploadId()));
      return Optional.empty();
    }
    Map<Integer, Part> parts = new TreeMap<>();
    try {
      s3.listPartsPaginator(b -> b.bucket(config.bucket()).key(key).uploadId(resume.get()))
          .parts()
          .forEach(part -> parts.put(part.partNumber(), part));
    } catch (NoSuchUploadException e) {
      deleteRecord(key, resume.get());
      return Optional.empty();
    }
    return Optional.of(new Resumable(resume.get(), parts));
  }

  /** A multipart upload to continue and the parts S3 holds of it, by part number. */
  private record Resumable(String uploadId, Map<Integer, Part> parts) {}

  /**
   * The private record of a multipart upload in progress: which upload holds which object.
   *
   * @param key the object's key
   * @param uploadId S3's upload id
   * @param size the object's size in bytes
   * @param contentType its content type
   * @param metadata its user metadata (the archive's SHA-256 and snapshot id)
   */
  record UploadRecord(
      String key, String uploadId, long size, String contentType, Map<String, String> metadata) {
    UploadRecord withUploadId(String id) {
      return new UploadRecord(key, id, size, contentType, metadata);
    }
  }

  private Optional<UploadRecord> readRecord(String key) {
    Optional<byte[]> bytes = get(CatalogKeys.uploadRecord(key));
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      UploadRecord record = JSON.readValue(bytes.get(), UploadRecord.class);
      return Optional.of(
          new UploadRecord(
              record.key(),
              record.uploadId(),
              record.size(),
              record.contentType(),
              new TreeMap<>(record.metadata() == null ? Map.of() : record.metadata())));
    } catch (IOException e) {
      LOG.warnf("unreadable upload record of %s (%s): not resuming", key, e.getMessage());
      return Optional.empty();
    }
  }

  private void putRecord(UploadRecord record) {
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(record);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // private: never public-read, whatever publicReadAcl says
    s3.putObject(
        b ->
            b.bucket(config.bucket())
                .key(CatalogKeys.uploadRecord(record.key()))
                .contentType("application/json")
                .cacheControl("no-store")
                .checksumSHA256(checksum(json)),
        RequestBody.fromBytes(json));
  }

  /** Deletes the record of {@code key} if it names {@code uploadId} (or any, if null). */
  private void deleteRecord(String key, String uploadId) {
    try {
      Optional<UploadRecord> record = readRecord(key); // empty: none or unreadable, deleted
      if (record.isPresent() && uploadId != null && !uploadId.equals(record.get().uploadId())) {
        return;
      }
      s3.deleteObject(b -> b.bucket(config.bucket()).key(CatalogKeys.uploadRecord(key)));
    } catch (RuntimeException e) {
      LOG.warnf("could not delete the upload record of %s: %s", key, e.getMessage());
    }
  }

  /**
   * Aborts the multipart uploads of archive keys (the keys this publisher alone writes) initiated
   * more than {@code publisher.s3.orphan-upload-age} ago that this process is not working on, and
   * their records. Uploads of other keys are never touched. Returns how many were aborted.
   */
  public int abortOrphanedUploads() {
    Instant cutoff = Instant.now().minus(config.orphanUploadAge());
    int aborted = 0;
    for (MultipartUpload upload :
        s3.listMultipartUploadsPaginator(b -> b.bucket(config.bucket())).uploads()) {
      if (!CatalogKeys.isArchiveKey(upload.key())
          || (upload.initiated() != null && upload.initiated().isAfter(cutoff))) {
        continue;
      }
      synchronized (sweepLock) {
        if (active.contains(upload.key())) {
          continue;
        }
        if (abortQuietly(
            upload.key(), upload.uploadId(), "orphaned (initiated " + upload.initiated() + ")")) {
          deleteRecord(upload.key(), upload.uploadId());
          orphansAborted.increment();
          aborted++;
        }
      }
    }
    return aborted;
  }

  private void sweep() {
    try {
      int aborted = abortOrphanedUploads();
      LOG.debugf("orphaned multipart uploads aborted: %d", aborted);
    } catch (RuntimeException e) {
      LOG.warnf("could not look for orphaned multipart uploads: %s", e.getMessage());
    }
  }

  private boolean abortQuietly(String key, String uploadId, String why) {
    try {
      s3.abortMultipartUpload(b -> b.bucket(config.bucket()).key(key).uploadId(uploadId));
      LOG.warnf("aborted the multipart upload %s of %s: %s", uploadId, key, why);
      return true;
    } catch (NoSuchUploadException e) {
      return false;
    } catch (RuntimeException e) {
      LOG.warnf("could not abort the multipart upload %s of %s: %s", uploadId, key, e.getMessage());
      return false;
    }
  }

  /** After a failure that a retry may mend: the upload and its record stay, to be resumed. */
  private void keep(String key, String uploadId, List<Future<CompletedPart>> parts, Throwable e) {
    parts.forEach(part -> part.cancel(true));
    LOG.warnf(
        "the multipart upload %s of %s failed (%s): kept, the next attempt resumes it",
        uploadId, key, e == null ? "?" : e.getMessage());
  }

  private static String md5Hex(byte[] bytes) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("MD5").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("no MD5 in this JVM", e);
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
    deleteRecord(key, uploadId);
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
  public void delete(String key) {
    // S3 answers 204 for a key that does not exist: deleting twice is fine
    s3.deleteObject(b -> b.bucket(config.bucket()).key(key));
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
}
