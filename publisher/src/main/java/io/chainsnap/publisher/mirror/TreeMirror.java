package io.chainsnap.publisher.mirror;

import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.archive.restore.RangeSource;
import io.chainsnap.archive.restore.Restorer;
import io.chainsnap.domain.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Makes the live tree of a chain/network/mode hold one snapshot, uploading only what it lacks.
 *
 * <ol>
 *   <li>restore the archive into an empty scratch directory with the archive module's restore
 *       engine (every chunk and the whole archive checked, the format's extraction rules);
 *   <li>hash every restored file (streamed, 64 KiB at a time);
 *   <li>list the tree (one paginated listing) and read the file list {@code current.json} points
 *       to: an object whose size and ETag are those recorded there for the same SHA-256 is
 *       unchanged; an object of the right size the list does not vouch for (a run that failed
 *       half-way) is asked for its {@code x-amz-meta-sha256}; anything else is uploaded;
 *   <li>write {@code files/<snapshotId>.json}, then {@code current.json};
 *   <li>only then delete tree objects the snapshot no longer has;
 *   <li>delete the scratch directory, whatever happened.
 * </ol>
 *
 * Until step 4 the tree may hold a mixture of both snapshots (files of the new one already
 * uploaded); {@code current.json} always names a file list whose files are all in the tree.
 */
public final class TreeMirror {
  private static final Logger LOG = Logger.getLogger(TreeMirror.class);

  /**
   * What one run did.
   *
   * @param snapshotId the snapshot the tree now holds
   * @param files its files
   * @param treeBytes their total size
   * @param uploadedFiles files uploaded (new or changed)
   * @param uploadedBytes their bytes
   * @param deletedFiles tree objects deleted (no longer in the snapshot)
   * @param uploadedPaths relative paths uploaded
   * @param fileList the file list written
   */
  public record Result(
      String snapshotId,
      int files,
      long treeBytes,
      int uploadedFiles,
      long uploadedBytes,
      int deletedFiles,
      List<String> uploadedPaths,
      FileList fileList) {}

  private final S3MirrorBucket bucket;
  private final String prefix;
  private final Path workDir;
  private final int connections;

  /**
   * @param bucket the mirror bucket
   * @param prefix key prefix of the mirror
   * @param workDir where scratch directories are created
   * @param connections parallel ranged requests of a restore
   */
  public TreeMirror(S3MirrorBucket bucket, String prefix, Path workDir, int connections) {
    this.bucket = bucket;
    this.prefix = prefix;
    this.workDir = workDir;
    this.connections = connections;
  }

  /** Makes the tree of {@code metadata}'s chain/network/mode hold that snapshot. */
  public Result mirror(SnapshotMetadata metadata, RangeSource source) {
    MirrorKeys keys = MirrorKeys.of(prefix, metadata);
    Path scratch;
    try {
      Files.createDirectories(workDir);
      scratch = Files.createTempDirectory(workDir, "chainsnap-mirror-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create scratch space in " + workDir, e);
    }
    try {
      Path tree = scratch.resolve("tree");
      Restorer.builder()
          .connections(connections)
          // scratch space, deleted afterwards: no journal syncs, nothing to resume
          .resumable(false)
          .build()
          .restore(metadata, source, tree);
      return publish(metadata, keys, tree);
    } finally {
      deleteRecursively(scratch);
    }
  }

  private Result publish(SnapshotMetadata metadata, MirrorKeys keys, Path tree) {
    Map<String, LocalFile> local = walk(tree);
    Map<String, FileList.Entry> vouched = previousEntries(keys);
    Map<String, S3MirrorBucket.Listed> listed = bucket.list(keys.treePrefix());

    List<FileList.Entry> entries = new ArrayList<>();
    List<String> uploaded = new ArrayList<>();
    long uploadedBytes = 0;
    long total = 0;
    for (LocalFile file : local.values()) {
      String key = keys.treeKey(file.path());
      S3MirrorBucket.Listed there = listed.get(key);
      String etag = null;
      if (there != null && there.size() == file.size()) {
        FileList.Entry before = vouched.get(file.path());
        boolean trusted =
            before != null
                && before.sha256().equals(file.sha256())
                && before.size() == file.size()
                && before.etag() != null
                && before.etag().equals(there.etag());
        if (trusted || bucket.sha256(key).filter(file.sha256()::equals).isPresent()) {
          etag = there.etag();
        }
      }
      if (etag == null) {
        etag = bucket.putFile(key, file.absolute(), file.size(), file.sha256(), file.mtime());
        uploaded.add(file.path());
        uploadedBytes += file.size();
        LOG.debugf("mirrored %s (%d bytes)", key, file.size());
      }
      entries.add(new FileList.Entry(file.path(), file.size(), file.sha256(), etag));
      total += file.size();
    }

    FileList list =
        new FileList(
            FileList.FORMAT_VERSION,
            metadata.snapshotId(),
            metadata.chain(),
            metadata.network(),
            metadata.mode().wireName(),
            metadata.height(),
            metadata.blockHash(),
            metadata.takenAt().toString(),
            bucket.bucket(),
            keys.treePrefix(),
            entries.size(),
            total,
            entries);
    String listKey = keys.fileList(metadata.snapshotId());
    bucket.putJson(listKey, list.toJson(), "public, max-age=31536000, immutable");
    bucket.putJson(
        keys.current(),
        new FileList.Current(
                FileList.FORMAT_VERSION,
                metadata.snapshotId(),
                metadata.height(),
                listKey,
                keys.treePrefix(),
                Instant.now().toString())
            .toJson(),
        "no-cache");

    List<String> gone = new ArrayList<>();
    for (String key : listed.keySet()) {
      if (!local.containsKey(key.substring(keys.treePrefix().length()))) {
        gone.add(key);
      }
    }
    bucket.delete(gone);
    return new Result(
        metadata.snapshotId(),
        entries.size(),
        total,
        uploaded.size(),
        uploadedBytes,
        gone.size(),
        List.copyOf(uploaded),
        list);
  }

  /** The entries of the file list {@code current.json} names; empty if none or unreadable. */
  private Map<String, FileList.Entry> previousEntries(MirrorKeys keys) {
    Map<String, FileList.Entry> entries = new HashMap<>();
    try {
      Optional<FileList.Current> current = bucket.get(keys.current()).map(FileList.Current::read);
      if (current.isPresent()) {
        bucket
            .get(current.get().fileList())
            .map(FileList::read)
            .ifPresent(list -> list.files().forEach(e -> entries.put(e.path(), e)));
      }
    } catch (IllegalArgumentException e) {
      // unreadable: trust nothing, every object of the right size is checked by HEAD
      LOG.warnf("mirror %s: %s; checking every tree object", keys.base(), e.getMessage());
    }
    return entries;
  }

  /** A restored file. */
  record LocalFile(String path, Path absolute, long size, String sha256, long mtime) {}

  /** Every regular file under {@code root}, by relative path, hashed. */
  static Map<String, LocalFile> walk(Path root) {
    Map<String, LocalFile> files = new TreeMap<>();
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              if (attrs.isRegularFile()) {
                String relative = root.relativize(file).toString().replace('\\', '/');
                files.put(
                    relative,
                    new LocalFile(
                        relative,
                        file,
                        attrs.size(),
                        sha256(file),
                        attrs.lastModifiedTime().toInstant().getEpochSecond()));
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the restored tree " + root, e);
    }
    return files;
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest = Sha256.newDigest();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return Sha256.toHex(digest);
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.delete(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      LOG.warnf("could not delete the mirror's scratch directory %s: %s", dir, e.getMessage());
    }
  }
}
