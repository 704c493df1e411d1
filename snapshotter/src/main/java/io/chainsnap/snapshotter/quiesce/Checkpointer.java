package io.chainsnap.snapshotter.quiesce;

import io.chainsnap.archive.FileTrees;
import io.chainsnap.snapshotter.targets.SourceNode;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Takes a crash-consistent checkpoint of a frozen node's data dir in seconds: files its chain
 * family never modifies in place ({@code ChainFamily.neverModifiedInPlace}: for Bitcoin Core
 * LevelDB tables and all block and undo files but the newest) are hard-linked, everything else is
 * copied. The node is frozen with SIGSTOP only for that, with a watchdog process ready to SIGCONT
 * it should this agent die, and thawed in a finally block.
 */
@ApplicationScoped
public class Checkpointer {
  private static final Logger LOG = Logger.getLogger(Checkpointer.class);

  private final MeterRegistry metrics;

  public Checkpointer(MeterRegistry metrics) {
    this.metrics = metrics;
  }

  /**
   * A checkpoint.
   *
   * @param dir where it is (delete it after archiving)
   * @param frozenMillis how long the node was frozen
   * @param linked files hard-linked
   * @param copied files copied
   * @param copiedBytes bytes copied while frozen
   */
  public record Checkpoint(Path dir, long frozenMillis, int linked, int copied, long copiedBytes) {}

  /** Freezes {@code node}, checkpoints its data dir next to it, thaws it. */
  public Checkpoint take(SourceNode node, Path watchdogDir) {
    long pid =
        node.controller()
            .pid()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "pause-checkpoint needs the node's pid; its controller does not know it"));
    Path source = node.chainDir();
    Path checkpoint = source.resolveSibling(".chainsnap-checkpoint-" + node.name());
    deleteTree(checkpoint);
    int linked = 0;
    int copied = 0;
    long copiedBytes = 0;
    long frozenAt;
    long thawedAt;
    boolean firedEarly;
    try (PauseWatchdog watchdog =
        PauseWatchdog.arm(
            pid,
            node.config().maxPause(),
            watchdogDir,
            watchdogDir.resolve("watchdog.log"),
            node.adapter().networkOnCall())) {
      Signals.stop(pid);
      frozenAt = System.nanoTime();
      try {
        List<String> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(source)) {
          walk.filter(Files::isRegularFile)
              .forEach(file -> files.add(source.relativize(file).toString().replace('\\', '/')));
        }
        Predicate<String> linkable = node.family().neverModifiedInPlace(files);
        for (String relative : files) {
          if (!node.include().test(relative)) {
            continue;
          }
          Path file = source.resolve(relative);
          Path target = checkpoint.resolve(relative);
          Files.createDirectories(target.getParent());
          if (linkable.test(relative) && link(file, target)) {
            linked++;
          } else {
            Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
            copied++;
            copiedBytes += Files.size(target);
          }
        }
      } finally {
        firedEarly = !watchdog.isArmed();
        Signals.resume(pid);
        thawedAt = System.nanoTime();
      }
      if (firedEarly) {
        // the node ran again while we copied: the checkpoint may mix two states
        throw new IllegalStateException(
            "the checkpoint took longer than max-pause "
                + node.config().maxPause()
                + ": the watchdog resumed the node mid-copy; checkpoint discarded (raise max-pause"
                + " or use the stop strategy)");
      }
    } catch (IOException e) {
      deleteTree(checkpoint);
      throw new UncheckedIOException("checkpoint of " + source + " failed", e);
    } catch (RuntimeException e) {
      deleteTree(checkpoint);
      throw e;
    }
    long frozenMillis = (thawedAt - frozenAt) / 1_000_000;
    metrics
        .counter("chainsnap.snapshot.checkpoint.copied.bytes", "target", node.name())
        .increment(copiedBytes);
    LOG.infof(
        "%s frozen %d ms: %d files hard-linked, %d copied (%d bytes)",
        node.name(), frozenMillis, linked, copied, copiedBytes);
    return new Checkpoint(checkpoint, frozenMillis, linked, copied, copiedBytes);
  }

  private static boolean link(Path file, Path target) throws IOException {
    try {
      Files.createLink(target, file);
      return true;
    } catch (FileSystemException | UnsupportedOperationException e) {
      return false; // another file system: copy instead
    }
  }

  /** Deletes a checkpoint (hard links only drop a name: the node's files stay). */
  public static void deleteTree(Path dir) {
    if (!FileTrees.deleteQuietly(dir)) {
      LOG.warnf("cannot delete checkpoint %s", dir);
    }
  }
}
