package io.chainsnap.cli.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainsnap.cli.CliException;
import io.chainsnap.cli.ExitCodes;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

/**
 * The highest {@code sequence} of a verified index seen per index URL, so that an older signed
 * index served again (a rollback: a mirror or attacker replaying a still-valid old version) is
 * refused. One small JSON file, {@value #FILE_NAME}, under {@code --state-dir}, else {@code
 * $XDG_STATE_HOME/chainsnap} (default {@code ~/.local/state/chainsnap}); updated under a file lock
 * and replaced atomically.
 */
public final class SequenceState {

  /** The state file's name. */
  public static final String FILE_NAME = "index-sequences.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;

  public SequenceState(Path dir) {
    this.dir = dir;
  }

  /** {@code --state-dir}, or the default. */
  public static SequenceState at(Path stateDir) {
    if (stateDir != null) {
      return new SequenceState(stateDir);
    }
    String xdg = System.getenv("XDG_STATE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return new SequenceState(Path.of(xdg, "chainsnap"));
    }
    return new SequenceState(
        Path.of(System.getProperty("user.home"), ".local", "state", "chainsnap"));
  }

  /** The state file. */
  public Path file() {
    return dir.resolve(FILE_NAME);
  }

  /** The last sequence seen for {@code index}, if any. */
  public synchronized Optional<Long> last(String index) throws IOException {
    JsonNode entry = read().path("indexes").path(index);
    return entry.path("sequence").isIntegralNumber()
        ? Optional.of(entry.path("sequence").asLong())
        : Optional.empty();
  }

  /**
   * Checks {@code sequence} against the last one seen for {@code index} and records it when higher,
   * in one locked step.
   *
   * @throws CliException {@link ExitCodes#ROLLBACK} when it is lower than the last one seen
   */
  public synchronized void advance(String index, long sequence, Instant issuedAt)
      throws IOException {
    Files.createDirectories(dir);
    try (FileChannel lockFile =
            FileChannel.open(
                dir.resolve(FILE_NAME + ".lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = lockFile.lock()) {
      ObjectNode state = read();
      ObjectNode indexes =
          state.get("indexes") instanceof ObjectNode o ? o : state.putObject("indexes");
      JsonNode seen = indexes.path(index).path("sequence");
      if (seen.isIntegralNumber() && sequence < seen.asLong()) {
        throw new CliException(
            ExitCodes.ROLLBACK,
            index
                + " has sequence "
                + sequence
                + ", lower than sequence "
                + seen.asLong()
                + " already seen here (recorded in "
                + file()
                + "): an older index is being served (a stale mirror or a replay). Try again"
                + " later or another mirror; if the publisher's index was really reset, remove"
                + " its entry from that file");
      }
      if (seen.isIntegralNumber() && sequence == seen.asLong()) {
        return;
      }
      ObjectNode entry = indexes.putObject(index);
      entry.put("sequence", sequence);
      if (issuedAt != null) {
        entry.put("issuedAt", issuedAt.toString());
      }
      entry.put("seenAt", Instant.now().toString());
      state.put("formatVersion", 1);
      Path tmp = Files.createTempFile(dir, FILE_NAME, ".tmp");
      try {
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
        Files.move(
            tmp, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
  }

  private ObjectNode read() throws IOException {
    Path f = file();
    if (!Files.exists(f)) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode tree = JSON.readTree(f.toFile());
      if (tree instanceof ObjectNode o) {
        return o;
      }
    } catch (IOException e) {
      // fall through
    }
    throw new CliException(
        ExitCodes.IO,
        f
            + " (the index sequences seen) is not readable JSON: fix or delete it (deleting it"
            + " forgets the sequences, so a rollback is caught again only from the next index"
            + " read)");
  }
}
