package io.chainsnap.snapshotter.staging;

import io.chainsnap.snapshotter.config.SnapshotterConfig;
import io.chainsnap.snapshotter.targets.SourceNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Whether staging can take a snapshot of a target: its chain dir's size plus {@code
 * staging.min-free-space} must be free (the archive is at most about the data's size).
 */
@ApplicationScoped
public class StagingSpace {
  private final Path staging;
  private final long minFree;

  public StagingSpace(SnapshotterConfig config) {
    this.staging = config.staging().dir();
    this.minFree = config.staging().minFreeSpace().bytes();
  }

  /** Why staging cannot take a snapshot of {@code node} now, or empty if it can. */
  public Optional<String> shortfall(SourceNode node) {
    try {
      Files.createDirectories(staging);
      long needed = directorySize(node.chainDir()) + minFree;
      long free = Files.getFileStore(staging).getUsableSpace();
      return free < needed
          ? Optional.of("staging " + staging + " has " + free + " bytes free, needs " + needed)
          : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check staging space", e);
    }
  }

  static long directorySize(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  return 0; // vanished while walking (logs, locks): not ours to archive anyway
                }
              })
          .sum();
    }
  }
}
