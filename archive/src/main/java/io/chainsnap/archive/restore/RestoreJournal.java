package io.chainsnap.archive.restore;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.chainsnap.archive.ExtractionState;
import io.chainsnap.archive.FileTrees;
import io.chainsnap.archive.ResumableExtractor;
import io.chainsnap.archive.SnapshotMetadata;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The marker and journal a restore keeps in its destination directory, so that an interrupted
 * restore is never mistaken for a data dir and can be continued by running it again.
 *
 * <ul>
 *   <li>{@value #JOURNAL}: snapshot id and archive SHA-256, status ({@code in-progress} or {@code
 *       failed} with the reason), and two points to resume from, each the next chunk to apply, the
 *       whole-archive hash state and the extractor's {@link ExtractionState} there: the
 *       <b>applied</b> point, rewritten (atomically, without fsync) after every chunk, and the
 *       <b>durable</b> point, the applied point as of the last sync of the destination. With them,
 *       the id of the boot ({@code /proc/sys/kernel/random/boot_id}) that wrote them: a process
 *       that was killed or failed leaves its writes in the page cache, so a run in the same boot
 *       resumes from the applied point; after a reboot (power loss, crash) only the durable point
 *       is trusted. Removed when the restore succeeds, after a final sync.
 *   <li>{@value #CREATED}: one line {@code <sequence>\t<path>} per regular file, appended before
 *       the file is created; files with a sequence above the resume point's file count were created
 *       after it and are deleted before going on.
 *   <li>{@value #LOCK}: held with an OS lock while a restore runs (a second one is refused).
 *   <li>{@value #DONE} (only when the restorer keeps one): written when a restore succeeds, the
 *       snapshot id, archive SHA-256 and time; it stays. Restoring the same snapshot there again is
 *       then "already restored" (nothing is done); another snapshot is refused unless asked to
 *       replace it, which deletes the directory's contents first.
 * </ul>
 *
 * <p>A background thread writes the journal and syncs (group commit): extraction never waits for
 * the disk. A sync is one {@code syncfs} of the destination's file system ({@code sync -f DIR})
 * where available, else an fsync of every file and directory written since the previous one; it
 * runs every {@code syncInterval}, after each {@code syncBytes} of restored data (256 MiB), and at
 * the end. The byte trigger keeps the kernel writing back while extraction goes on: with 24 GiB of
 * RAM the kernel let a 2 GiB restore sit dirty in the page cache, and the final sync then took 2.3
 * of the restore's 7.6 s; synced every 256 MiB, the disk works alongside the extraction and the
 * final sync has little left.
 */
final class RestoreJournal implements ResumableExtractor.Journal, AutoCloseable {

  /** The marker and journal. */
  static final String JOURNAL = ResumableExtractor.RESERVED_PREFIX + ".json";

  /** The log of created files. */
  static final String CREATED = ResumableExtractor.RESERVED_PREFIX + ".created";

  /** The lock file. */
  static final String LOCK = ResumableExtractor.RESERVED_PREFIX + ".lock";

  /** The record of a finished restore (kept when asked for). */
  static final String DONE = ResumableExtractor.RESERVED_PREFIX + "d.json";

  private static final String DONE_NOTE =
      "chainsnap restored this snapshot here and checked it (every chunk and the whole-archive"
          + " SHA-256). The node may have changed the files since. Restoring the same snapshot"
          + " here again does nothing; chainsnap restore --force deletes the directory's contents"
          + " and restores again.";

  /**
   * The content of {@value #DONE}.
   *
   * @param recordVersion 1
   * @param note what this file means
   * @param snapshotId the snapshot restored
   * @param archiveSha256 its archive's SHA-256
   * @param completedAt when the restore finished
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Done(
      int recordVersion,
      String note,
      String snapshotId,
      String archiveSha256,
      Instant completedAt) {}

  /** Thrown by {@link #open} when the destination holds a finished restore of this snapshot. */
  static final class AlreadyRestored extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final transient Done done;
    final transient Path root;

    AlreadyRestored(Path root, Done done) {
      super(root + " already holds a finished restore of " + done.snapshotId(), null, false, false);
      this.root = root;
      this.done = done;
    }
  }

  private static final String TEMP = ResumableExtractor.RESERVED_PREFIX + ".json.tmp";
  private static final int VERSION = 1;
  private static final int MAX_PENDING = 8;
  private static final int SYNC_THREADS = 8;

  /** This boot's id, or {@code null} where the system does not tell. */
  static final String BOOT_ID = bootId();

  private static final String NOTE =
      "This directory is an unfinished chainsnap restore: do not use it as a data directory. Run"
          + " the same restore command again to continue it, or delete the directory.";

  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  /**
   * A point to resume from.
   *
   * @param nextChunk chunks {@code 0 .. nextChunk-1} are applied
   * @param archiveHashState whole-archive SHA-256 state after those chunks ({@link Sha256Midstate})
   * @param extractor the extractor's state after those chunks
   */
  record Point(int nextChunk, String archiveHashState, ExtractionState extractor) {}

  /**
   * The content of {@value #JOURNAL}.
   *
   * @param journalVersion {@value #VERSION}
   * @param note what this file means, for a human who finds it
   * @param status {@code in-progress} or {@code failed}
   * @param reason why it failed, or {@code null}
   * @param snapshotId the snapshot being restored
   * @param archiveSha256 its archive's SHA-256
   * @param compressedSize its archive's size
   * @param chunks its number of chunks
   * @param resumable whether the run kept a journal that allows continuing it
   * @param startedAt when the first run started
   * @param updatedAt when this file was written
   * @param bootId the boot that wrote {@code applied} ({@code null} if unknown)
   * @param applied the last chunk applied (valid within the same boot), or {@code null}
   * @param durable the last chunk applied and synced to disk (valid after a reboot too), or {@code
   *     null}
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Content(
      int journalVersion,
      String note,
      String status,
      String reason,
      String snapshotId,
      String archiveSha256,
      long compressedSize,
      int chunks,
      boolean resumable,
      Instant startedAt,
      Instant updatedAt,
      String bootId,
      Point applied,
      Point durable) {

    Content with(String status, String reason, Point applied, Point durable) {
      return new Content(
          journalVersion,
          note,
          status,
          reason,
          snapshotId,
          archiveSha256,
          compressedSize,
          chunks,
          resumable,
          startedAt,
          Instant.now(),
          BOOT_ID,
          applied,
          durable);
    }

    /** The point this boot can resume from. */
    Point resumePoint() {
      return bootId != null && bootId.equals(BOOT_ID) && applied != null ? applied : durable;
    }
  }

  /** By default, the destination is synced after this many bytes of restored (tar) data. */
  static final long SYNC_BYTES = 256L << 20;

  /** A chunk boundary waiting to be written to the journal. */
  private record Checkpoint(Point point, List<Path> written) {}

  private final Path root;
  private final boolean durable;
  private boolean keepDone;
  private final long syncIntervalNanos;
  private final int syncEveryChunks;
  private int lastSyncChunk;
  private final Point resume;
  private final Set<Path> unsynced = new LinkedHashSet<>();
  private long lastSync = System.nanoTime();
  private boolean syncNow;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final FileChannel createdLog;
  private final ArrayDeque<Checkpoint> pending = new ArrayDeque<>();
  private final Thread syncer;
  private Content content;
  private boolean syncing;
  private boolean closing;
  private RestoreException syncFailure;
  private HashStates hashStates = index -> null;
  private ExecutorService syncPool;
  private Boolean syncfs; // null: not tried yet

  /** Gives the whole-archive hash state after a chunk (from the fetching side). */
  @FunctionalInterface
  interface HashStates {
    String after(int chunkIndex);
  }

  private RestoreJournal(
      Path root,
      boolean durable,
      Duration syncInterval,
      int syncEveryChunks,
      FileChannel lockChannel,
      FileLock lock,
      Content content,
      FileChannel createdLog) {
    this.root = root;
    this.durable = durable;
    this.syncIntervalNanos = syncInterval.toNanos();
    this.syncEveryChunks = syncEveryChunks;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.content = content;
    this.resume = content.resumePoint();
    this.lastSyncChunk = resume == null ? 0 : resume.nextChunk();
    this.createdLog = createdLog;
    this.syncer = new Thread(this::syncLoop, "chainsnap-restore-journal");
    this.syncer.setDaemon(true);
    if (durable) {
      syncer.start();
    }
  }

  /**
   * Takes a destination for a restore of {@code metadata}: creates it if missing, refuses it if it
   * is not empty and holds no journal of this snapshot, or if another restore runs in it; writes
   * the marker.
   *
   * @param dest the destination directory
   * @param metadata the snapshot
   * @param durable whether to keep a resumable journal; without it a failed or interrupted restore
   *     leaves a marker but cannot be continued (and nothing is synced)
   * @param syncInterval time after which the destination is synced
   * @param syncBytes restored bytes after which the destination is synced
   * @param keepDone whether to leave {@value #DONE} when the restore succeeds
   * @param replace whether a destination holding chainsnap's restore of another snapshot (finished,
   *     or unfinished), or a finished one of this snapshot, is emptied and restored again
   * @throws AlreadyRestored when the destination holds a finished restore of this snapshot and
   *     {@code replace} is off
   */
  static RestoreJournal open(
      Path dest,
      SnapshotMetadata metadata,
      boolean durable,
      Duration syncInterval,
      long syncBytes,
      boolean keepDone,
      boolean replace) {
    Path root;
    try {
      if (!Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(dest);
      }
      root = dest.toRealPath();
      if (!Files.isDirectory(root)) {
        throw destination(dest + " exists and is not a directory");
      }
    } catch (IOException e) {
      throw new RestoreException(
          RestoreException.Reason.DISK, "cannot create " + dest + ": " + e, -1, e);
    }
    FileChannel lockChannel = null;
    FileLock lock = null;
    Path lockFile = root.resolve(LOCK);
    boolean lockExisted = Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS);
    try {
      lockChannel =
          FileChannel.open(
              root.resolve(LOCK),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS);
      lock = lockChannel.tryLock();
      if (lock == null) {
        throw destination("another chainsnap restore is running in " + root);
      }
      Content existing = read(root);
      Done done = existing == null ? readDone(root) : null;
      if (replace
          && (done != null
              || existing != null && !metadata.snapshotId().equals(existing.snapshotId()))) {
        emptyExceptLock(root);
        existing = null;
        done = null;
      }
      if (done != null) {
        if (metadata.snapshotId().equals(done.snapshotId())
            && metadata.archive().sha256().equals(done.archiveSha256())) {
          throw new AlreadyRestored(root, done);
        }
        throw destination(
            root
                + " holds a finished restore of snapshot "
                + done.snapshotId()
                + " (at "
                + done.completedAt()
                + "), not of "
                + metadata.snapshotId()
                + "; replace it (chainsnap restore --force deletes its contents first) or restore"
                + " into another directory");
      }
      Content content;
      if (existing != null) {
        if (!metadata.snapshotId().equals(existing.snapshotId())
            || !metadata.archive().sha256().equals(existing.archiveSha256())) {
          throw destination(
              root
                  + " holds an unfinished restore of snapshot "
                  + existing.snapshotId()
                  + " (archive "
                  + existing.archiveSha256()
                  + "), not of "
                  + metadata.snapshotId()
                  + "; finish that restore, or replace it (chainsnap restore --force deletes the"
                  + " directory's contents first)");
        }
        if (!existing.resumable() && (durable || hasContent(root))) {
          throw destination(
              root
                  + " holds an interrupted restore that kept no journal and cannot be continued;"
                  + " delete the directory and start again");
        }
        for (Point point : new Point[] {existing.applied(), existing.durable()}) {
          if (point != null
              && (point.extractor() == null
                  || point.archiveHashState() == null
                  || point.nextChunk() != point.extractor().nextChunk())) {
            throw destination(root + ": the restore journal is incomplete; delete the directory");
          }
        }
        Point from = existing.resumePoint();
        // a new run starts from its resume point: that point is both applied and (as far as this
        // boot can tell) the state on disk
        content = existing.with("in-progress", null, from, existing.durable());
      } else {
        if (hasContent(root)) {
          throw destination(
              root
                  + " is not empty and holds no chainsnap restore marker ("
                  + JOURNAL
                  + "); restore into an empty or new directory");
        }
        Instant now = Instant.now();
        content =
            new Content(
                VERSION,
                NOTE,
                "in-progress",
                null,
                metadata.snapshotId(),
                metadata.archive().sha256(),
                metadata.archive().compressedSize(),
                metadata.archive().chunks().size(),
                durable,
                now,
                now,
                BOOT_ID,
                null,
                null);
      }
      FileChannel log =
          durable
              ? FileChannel.open(
                  root.resolve(CREATED),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE,
                  StandardOpenOption.APPEND,
                  LinkOption.NOFOLLOW_LINKS)
              : null;
      RestoreJournal journal =
          new RestoreJournal(
              root,
              durable,
              syncInterval,
              (int)
                  Math.min(
                      Integer.MAX_VALUE, Math.max(1, syncBytes / metadata.archive().chunkSize())),
              lockChannel,
              lock,
              content,
              log);
      journal.keepDone = keepDone;
      journal.write(content, durable);
      return journal;
    } catch (IOException e) {
      giveUp(lockFile, lockExisted, lock, lockChannel);
      throw new RestoreException(
          RestoreException.Reason.DISK, "cannot prepare " + root + ": " + e, -1, e);
    } catch (RuntimeException e) {
      giveUp(lockFile, lockExisted, lock, lockChannel);
      throw e;
    }
  }

  /** Leaves a refused destination as it was: our lock file goes if we created it. */
  private static void giveUp(Path lockFile, boolean existed, FileLock lock, FileChannel channel) {
    try {
      if (!existed && lock != null) {
        Files.deleteIfExists(lockFile);
      }
    } catch (IOException e) {
      // nothing more to do
    }
    closeQuietly(channel);
  }

  /** The extractor state to resume from, or {@code null} to start at chunk 0. */
  ExtractionState state() {
    return resume == null ? null : resume.extractor();
  }

  /** The whole-archive hash state at {@link #state()}, or {@code null}. */
  String hashState() {
    return resume == null ? null : resume.archiveHashState();
  }

  /** The destination's real path. */
  Path root() {
    return root;
  }

  /** Sets where checkpoints get the whole-archive hash state after their chunk. */
  void hashStates(HashStates states) {
    this.hashStates = states;
  }

  /**
   * Deletes the regular files a crashed run created after the durable point (their sequence is
   * above the journal's file count): they are extracted again.
   */
  void removeLeftovers() {
    if (!durable) {
      return;
    }
    long files = resume == null ? 0 : resume.extractor().files();
    List<String> lines;
    try {
      lines = Files.readAllLines(root.resolve(CREATED), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      throw new RestoreException(
          RestoreException.Reason.DISK, "cannot read " + root.resolve(CREATED) + ": " + e, -1, e);
    }
    Set<String> remove = new LinkedHashSet<>();
    for (String line : lines) {
      int tab = line.indexOf('\t');
      if (tab <= 0) {
        continue;
      }
      try {
        if (Long.parseLong(line.substring(0, tab)) > files) {
          remove.add(line.substring(tab + 1));
        }
      } catch (NumberFormatException e) {
        // a torn last line: its file was never created
      }
    }
    for (String rel : remove) {
      deleteLeftover(rel);
    }
  }

  private void deleteLeftover(String rel) {
    Path p = root;
    String[] parts = rel.split("/");
    try {
      for (int i = 0; i < parts.length; i++) {
        String part = parts[i];
        if (part.isEmpty() || part.equals(".") || part.equals("..")) {
          throw destination("restore log names an unexpected path '" + rel + "'");
        }
        p = p.resolve(part);
        BasicFileAttributes attrs =
            Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        boolean last = i == parts.length - 1;
        if (!last && !attrs.isDirectory()) {
          throw destination("'" + rel + "' in " + root + " is not below real directories");
        }
        if (last) {
          if (!attrs.isRegularFile()) {
            throw destination("'" + rel + "' in " + root + " is not a regular file any more");
          }
          Files.delete(p);
        }
      }
    } catch (NoSuchFileException e) {
      // never created, or already gone
    } catch (IOException e) {
      throw new RestoreException(
          RestoreException.Reason.DISK,
          "cannot remove '" + rel + "' from " + root + ": " + e,
          -1,
          e);
    }
  }

  @Override
  public void beforeCreate(long sequence, String path) {
    if (!durable) {
      return;
    }
    byte[] line = (sequence + "\t" + path + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      ByteBuffer b = ByteBuffer.wrap(line);
      while (b.hasRemaining()) {
        createdLog.write(b);
      }
    } catch (IOException e) {
      throw new RestoreException(
          RestoreException.Reason.DISK,
          "cannot append to " + root.resolve(CREATED) + ": " + e,
          -1,
          e);
    }
  }

  @Override
  public void chunkApplied(ExtractionState state, List<Path> written) {
    if (!durable) {
      return;
    }
    Checkpoint point =
        new Checkpoint(
            new Point(state.nextChunk(), hashStates.after(state.nextChunk() - 1), state),
            List.copyOf(written));
    synchronized (this) {
      while (syncFailure == null && pending.size() >= MAX_PENDING) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new RestoreException(RestoreException.Reason.CANCELLED, "interrupted", -1, e);
        }
      }
      if (syncFailure != null) {
        throw syncFailure;
      }
      pending.addLast(point);
      notifyAll();
    }
  }

  /**
   * Writes the applied point after each batch of chunk boundaries, and every {@code syncInterval}
   * (or when asked by {@link #drain}) syncs the destination and records the durable point.
   */
  private void syncLoop() {
    while (true) {
      List<Checkpoint> batch;
      boolean sync;
      synchronized (this) {
        while (pending.isEmpty() && !syncNow && !closing) {
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (pending.isEmpty() && !syncNow) {
          return;
        }
        batch = new ArrayList<>(pending);
        pending.clear();
        int reached =
            batch.isEmpty() ? lastSyncChunk : batch.get(batch.size() - 1).point().nextChunk();
        sync =
            syncNow
                || System.nanoTime() - lastSync >= syncIntervalNanos
                || reached - lastSyncChunk >= syncEveryChunks;
        syncNow = false;
        syncing = true;
        notifyAll();
      }
      try {
        for (Checkpoint c : batch) {
          unsynced.addAll(c.written());
        }
        Content current;
        synchronized (this) {
          current = content;
        }
        Point applied = batch.isEmpty() ? current.applied() : batch.get(batch.size() - 1).point();
        Point durablePoint = current.durable();
        if (sync) {
          // everything written before the sync starts is on disk once it returns
          if (!syncFileSystem()) {
            fsyncAll(unsynced);
          }
          unsynced.clear();
          lastSync = System.nanoTime();
          lastSyncChunk = applied == null ? lastSyncChunk : applied.nextChunk();
          durablePoint = applied;
        }
        Content next = current.with("in-progress", null, applied, durablePoint);
        write(next, sync);
        synchronized (this) {
          content = next;
        }
      } catch (IOException | RuntimeException e) {
        synchronized (this) {
          syncFailure =
              new RestoreException(
                  RestoreException.Reason.DISK,
                  "cannot write the restore journal or sync the restored files: " + e,
                  -1,
                  e);
          pending.clear();
        }
      } finally {
        synchronized (this) {
          syncing = false;
          notifyAll();
        }
      }
    }
  }

  /**
   * Makes everything written to the destination's file system durable with one {@code syncfs(2)}
   * ({@code sync -f DIR}, coreutils 8.24+): far cheaper than an fsync per file when a chunk holds
   * thousands of small files, whose fsyncs also stall file creation behind ext4 journal commits.
   * Checked once; where it is not available (or fails), files are fsynced one by one.
   *
   * @return whether the file system was synced
   */
  private boolean syncFileSystem() throws IOException {
    if (Boolean.FALSE.equals(syncfs)) {
      return false;
    }
    try {
      Process p =
          new ProcessBuilder("sync", "-f", root.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      int code = p.waitFor();
      if (code == 0) {
        syncfs = true;
        return true;
      }
      if (Boolean.TRUE.equals(syncfs)) {
        throw new IOException("sync -f " + root + " failed with exit code " + code);
      }
    } catch (IOException e) {
      if (Boolean.TRUE.equals(syncfs)) {
        throw e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while syncing " + root);
    }
    syncfs = false;
    return false;
  }

  /**
   * fsyncs many paths with several threads: each fsync mostly waits for the device, and concurrent
   * ones share journal commits (thousands of small files otherwise take seconds one by one).
   */
  private void fsyncAll(Set<Path> paths) throws IOException {
    if (paths.size() <= 2) {
      for (Path p : paths) {
        fsync(p);
      }
      return;
    }
    List<Path> list = new ArrayList<>(paths);
    int threads = Math.min(SYNC_THREADS, list.size());
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      done.add(
          syncPool()
              .submit(
                  () -> {
                    for (int i = next.getAndIncrement();
                        i < list.size();
                        i = next.getAndIncrement()) {
                      fsync(list.get(i));
                    }
                    return null;
                  }));
    }
    for (Future<?> f : done) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while syncing");
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        throw cause instanceof IOException io ? io : new IOException(cause);
      }
    }
  }

  private synchronized ExecutorService syncPool() {
    if (syncPool == null) {
      syncPool =
          Executors.newFixedThreadPool(
              SYNC_THREADS,
              r -> {
                Thread t = new Thread(r, "chainsnap-restore-fsync");
                t.setDaemon(true);
                return t;
              });
    }
    return syncPool;
  }

  /**
   * Waits until every checkpoint handed over so far is in the journal; with {@code sync}, also
   * synced to disk.
   */
  private void drain(boolean sync) {
    if (!durable) {
      return;
    }
    synchronized (this) {
      if (sync) {
        syncNow = true;
        notifyAll();
      }
      while (syncFailure == null && (!pending.isEmpty() || syncing || syncNow)) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new RestoreException(RestoreException.Reason.CANCELLED, "interrupted", -1, e);
        }
      }
      if (syncFailure != null) {
        throw syncFailure;
      }
    }
  }

  /**
   * The restore succeeded: syncs everything (files, directories and their final mtimes), then
   * removes the journal, the log and the lock.
   */
  void complete() {
    drain(true);
    stopSyncer();
    try {
      if (keepDone) {
        Done done =
            new Done(1, DONE_NOTE, content.snapshotId(), content.archiveSha256(), Instant.now());
        FileTrees.replace(
            root.resolve(DONE),
            root.resolve(DONE + ".tmp"),
            MAPPER.writeValueAsBytes(done),
            durable);
      }
      closeQuietly(createdLog);
      Files.deleteIfExists(root.resolve(CREATED));
      Files.deleteIfExists(root.resolve(TEMP));
      Files.deleteIfExists(root.resolve(JOURNAL));
      Files.deleteIfExists(root.resolve(LOCK));
      if (durable) {
        fsync(root);
      }
    } catch (IOException e) {
      throw new RestoreException(
          RestoreException.Reason.DISK, "cannot finish the restore in " + root + ": " + e, -1, e);
    } finally {
      releaseLock();
    }
  }

  /**
   * The restore failed: keeps the last durable point and records the reason in the marker.
   *
   * @param reason operator-facing reason
   */
  void fail(String reason) {
    try {
      drain(false);
    } catch (RestoreException e) {
      // keep whatever point was written
    }
    stopSyncer();
    try {
      Content failed;
      synchronized (this) {
        failed = content.with("failed", reason, content.applied(), content.durable());
        content = failed;
      }
      write(failed, durable);
    } catch (IOException | RuntimeException e) {
      // the in-progress marker stays, which is still a marker
    }
  }

  @Override
  public void close() {
    stopSyncer();
    stopPool();
    closeQuietly(createdLog);
    releaseLock();
  }

  private void stopSyncer() {
    synchronized (this) {
      closing = true;
      notifyAll();
    }
    boolean interrupted = false;
    while (syncer.isAlive()) {
      try {
        syncer.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized void stopPool() {
    if (syncPool != null) {
      syncPool.shutdownNow();
      syncPool = null;
    }
  }

  private void releaseLock() {
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } catch (IOException e) {
      // closing the channel releases it anyway
    }
    closeQuietly(lockChannel);
  }

  private void write(Content c, boolean sync) throws IOException {
    byte[] json;
    try {
      json = MAPPER.writeValueAsBytes(c);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    FileTrees.replace(root.resolve(JOURNAL), root.resolve(TEMP), json, sync);
  }

  /** Reads the journal of {@code dir}, or {@code null} if it has none. */
  static Content read(Path dir) {
    Path file = dir.resolve(JOURNAL);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new RestoreException(
          RestoreException.Reason.DISK, "cannot read " + file + ": " + e, -1, e);
    }
    try {
      Content c = MAPPER.readValue(bytes, Content.class);
      if (c.journalVersion() != VERSION || c.snapshotId() == null || c.archiveSha256() == null) {
        throw destination(file + " is a restore journal of another version; delete the directory");
      }
      return c;
    } catch (IOException e) {
      throw destination(file + " is not a readable restore journal (" + e.getMessage() + ")");
    }
  }

  private static String bootId() {
    try {
      String id = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
      return id.isEmpty() ? null : id;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The record of a finished restore in {@code root}, or {@code null}. */
  private static Done readDone(Path root) {
    Path file = root.resolve(DONE);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    try {
      Done done = MAPPER.readValue(Files.readAllBytes(file), Done.class);
      if (done.snapshotId() == null || done.archiveSha256() == null) {
        throw destination(file + " is not a readable record of a finished restore");
      }
      return done;
    } catch (IOException e) {
      throw destination(file + " is not a readable record of a finished restore");
    }
  }

  /** Deletes everything in {@code root} but the lock file (symbolic links are not followed). */
  private static void emptyExceptLock(Path root) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path p : entries) {
        if (p.getFileName().toString().equals(LOCK)) {
          continue;
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          try {
            FileTrees.delete(p);
          } catch (UncheckedIOException e) {
            throw e.getCause();
          }
        } else {
          Files.delete(p);
        }
      }
    }
  }

  private static boolean hasContent(Path root) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path p : entries) {
        if (!p.getFileName().toString().startsWith(ResumableExtractor.RESERVED_PREFIX)) {
          return true;
        }
      }
    }
    return false;
  }

  /** fsync of a file or directory (Linux allows opening a directory for reading). */
  static void fsync(Path p) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (NoSuchFileException e) {
      // removed since (a leftover): nothing to sync
    } catch (IOException e) {
      if (!Files.isDirectory(p)) {
        throw e;
      }
      // some systems cannot open directories: their entries are synced with the journal's
    }
  }

  private static RestoreException destination(String message) {
    return new RestoreException(RestoreException.Reason.DESTINATION, message);
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        // nothing to do
      }
    }
  }
}
