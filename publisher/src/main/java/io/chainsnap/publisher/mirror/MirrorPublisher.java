package io.chainsnap.publisher.mirror;

import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.events.PermanentFailureException;
import io.chainsnap.events.SnapshotTarget;
import io.chainsnap.publisher.store.CatalogKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Chooses what the mirror of a chain/network/mode should hold (the latest verified snapshot of
 * {@code index.json}), reads its {@code snapshot.json} and archive from the main bucket, runs
 * {@link TreeMirror} and keeps the mirror's metrics. Plain Java: {@link MirrorService} wires it.
 */
public final class MirrorPublisher {
  private static final Logger LOG = Logger.getLogger(MirrorPublisher.class);

  private final S3Client source;
  private final String sourceBucket;
  private final S3MirrorBucket mirror;
  private final String prefix;
  private final TreeMirror tree;
  private final MeterRegistry registry;
  private final Counter failures;
  private final Map<SnapshotTarget, AtomicLong> lastUploaded = new ConcurrentHashMap<>();

  /**
   * @param source client of the main bucket (archives, {@code snapshot.json}, {@code index.json})
   * @param sourceBucket the main bucket
   * @param mirror the mirror bucket
   * @param prefix key prefix of the mirror
   * @param workDir scratch space for restores
   * @param connections parallel ranged requests of a restore
   * @param registry where the metrics go
   */
  public MirrorPublisher(
      S3Client source,
      String sourceBucket,
      S3MirrorBucket mirror,
      String prefix,
      Path workDir,
      int connections,
      MeterRegistry registry) {
    this.source = source;
    this.sourceBucket = sourceBucket;
    this.mirror = mirror;
    this.prefix = MirrorKeys.strip(prefix);
    this.tree = new TreeMirror(mirror, this.prefix, workDir, connections);
    this.registry = registry;
    this.failures =
        Counter.builder("chainsnap.publisher.mirror.failures")
            .description(
                "Mirror runs that failed (logged; the tree keeps its previous snapshot and the next"
                    + " verification or rejection retries)")
            .register(registry);
  }

  /**
   * Makes the tree of {@code target} hold the latest verified snapshot of its {@code index.json};
   * nothing when there is none or the tree holds it already. Every failure is counted in {@code
   * chainsnap_publisher_mirror_failures_total} before it is thrown.
   */
  public Optional<TreeMirror.Result> mirrorLatest(SnapshotTarget target) {
    Optional<String> latest;
    try {
      Optional<byte[]> json = read(CatalogKeys.index(target.chain(), target.network()));
      if (json.isEmpty()) {
        return Optional.empty();
      }
      latest = SnapshotIndex.read(json.get()).latest(target.mode());
    } catch (RuntimeException e) {
      failures.increment();
      throw e;
    }
    if (latest.isEmpty()) {
      LOG.debugf("mirror %s: no verified snapshot", target.path());
      return Optional.empty();
    }
    return mirror(target, latest.get());
  }

  /**
   * Makes the tree of {@code target} hold {@code snapshotId} (published in the main bucket);
   * nothing when {@code current.json} names it already.
   */
  public Optional<TreeMirror.Result> mirror(SnapshotTarget target, String snapshotId) {
    MirrorKeys keys = new MirrorKeys(prefix, target);
    Optional<FileList.Current> current = current(keys);
    if (current.isPresent() && current.get().snapshotId().equals(snapshotId)) {
      LOG.debugf("mirror %s holds %s already", keys.base(), snapshotId);
      return Optional.empty();
    }
    long started = System.nanoTime();
    try {
      SnapshotMetadata metadata =
          SnapshotMetadata.read(
              read(CatalogKeys.manifest(target, snapshotId))
                  .orElseThrow(
                      () ->
                          new PermanentFailureException(
                              "snapshot.json of " + snapshotId + " is not published")));
      if (!metadata.snapshotId().equals(snapshotId)
          || !new SnapshotTarget(metadata.chain(), metadata.network(), metadata.mode())
              .equals(target)) {
        throw new PermanentFailureException(
            "published snapshot.json of " + snapshotId + " describes another snapshot");
      }
      TreeMirror.Result result;
      try (S3ArchiveSource archive =
          new S3ArchiveSource(source, sourceBucket, CatalogKeys.archive(target, snapshotId))) {
        result = tree.mirror(metadata, archive);
      }
      lastUploaded.computeIfAbsent(target, this::register).set(result.uploadedBytes());
      Counter.builder("chainsnap.publisher.mirror.uploaded.bytes")
          .description("Bytes uploaded to the per-file mirror (new or changed files only)")
          .tags(tags(target))
          .register(registry)
          .increment(result.uploadedBytes());
      LOG.infof(
          "mirror %s now holds %s: %d files, %d bytes; uploaded %d files, %d bytes; %d unchanged;"
              + " deleted %d; %.1f s",
          keys.base(),
          snapshotId,
          result.files(),
          result.treeBytes(),
          result.uploadedFiles(),
          result.uploadedBytes(),
          result.files() - result.uploadedFiles(),
          result.deletedFiles(),
          (System.nanoTime() - started) / 1e9);
      return Optional.of(result);
    } catch (RuntimeException e) {
      failures.increment();
      throw e;
    }
  }

  /**
   * A snapshot left the main bucket (retention): its file list goes, unless the tree still holds
   * it. The tree's objects belong to the snapshot {@code current.json} names, never to an older
   * one, so nothing else is referenced by it.
   *
   * @return whether the file list was deleted
   */
  public boolean onExpired(SnapshotTarget target, String snapshotId) {
    MirrorKeys keys = new MirrorKeys(prefix, target);
    Optional<FileList.Current> current = current(keys);
    if (current.isPresent() && current.get().snapshotId().equals(snapshotId)) {
      LOG.warnf(
          "mirror %s: %s expired but the tree still holds it; kept until a newer one is mirrored",
          keys.base(), snapshotId);
      return false;
    }
    mirror.delete(java.util.List.of(keys.fileList(snapshotId)));
    LOG.infof("mirror %s: deleted the file list of expired %s", keys.base(), snapshotId);
    return true;
  }

  private Optional<FileList.Current> current(MirrorKeys keys) {
    try {
      return mirror.get(keys.current()).map(FileList.Current::read);
    } catch (IllegalArgumentException e) {
      LOG.warnf("mirror %s: %s", keys.base(), e.getMessage());
      return Optional.empty();
    }
  }

  private AtomicLong register(SnapshotTarget target) {
    AtomicLong holder = new AtomicLong();
    Gauge.builder("chainsnap.publisher.mirror.snapshot.uploaded.bytes", holder, AtomicLong::get)
        .description(
            "Bytes uploaded to the per-file mirror for the last snapshot mirrored, per chain,"
                + " network and mode (unchanged files are not uploaded again)")
        .baseUnit("bytes")
        .tags(tags(target))
        .strongReference(true)
        .register(registry);
    return holder;
  }

  private static Tags tags(SnapshotTarget target) {
    return Tags.of(
        "chain", target.chain(), "network", target.network(), "mode", target.mode().wireName());
  }

  private Optional<byte[]> read(String key) {
    try {
      return Optional.of(
          source.getObjectAsBytes(b -> b.bucket(sourceBucket).key(key)).asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
