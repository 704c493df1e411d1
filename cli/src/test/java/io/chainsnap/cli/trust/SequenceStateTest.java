package io.chainsnap.cli.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.cli.CliException;
import io.chainsnap.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sequences seen per index URL: kept across runs, per URL, rollbacks refused. */
class SequenceStateTest {
  static final String A = "https://a.example/litecoin/mainnet/index.json";
  static final String B = "https://b.example/litecoin/mainnet/index.json";

  @Test
  void higherAndEqualPassLowerIsARollbackPerUrl(@TempDir Path dir) throws Exception {
    SequenceState state = new SequenceState(dir.resolve("state"));
    assertEquals(Optional.empty(), state.last(A));
    state.advance(A, 5, Instant.now());
    state.advance(A, 5, Instant.now());
    state.advance(A, 7, Instant.now());
    state.advance(B, 2, Instant.now()); // another URL has its own sequence
    // a new run reads the file again
    SequenceState again = new SequenceState(dir.resolve("state"));
    assertEquals(Optional.of(7L), again.last(A));
    assertEquals(Optional.of(2L), again.last(B));
    CliException e = assertThrows(CliException.class, () -> again.advance(A, 6, Instant.now()));
    assertEquals(ExitCodes.ROLLBACK, e.code());
    assertTrue(e.getMessage().contains("lower than sequence 7"), e.getMessage());
    assertEquals(Optional.of(7L), again.last(A), "a refused sequence is not recorded");
  }

  @Test
  void anUnreadableStateFileIsAnErrorNotAFreshStart(@TempDir Path dir) throws Exception {
    SequenceState state = new SequenceState(dir);
    state.advance(A, 9, null);
    Files.writeString(state.file(), "{ not json");
    CliException e = assertThrows(CliException.class, () -> state.advance(A, 1, null));
    assertEquals(ExitCodes.IO, e.code());
    assertTrue(e.getMessage().contains(state.file().toString()), e.getMessage());
  }
}
