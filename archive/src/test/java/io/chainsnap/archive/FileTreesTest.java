package io.chainsnap.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

  @TempDir Path dir;

  @Test
  void writeDurablyReplacesTheFileAndLeavesNoTemporaryFile() throws IOException {
    Path file = dir.resolve("snapshot.json");
    Files.writeString(file, "{\"old\": \"a much longer content than the new one\"}");
    byte[] json = "{\"new\": 1}".getBytes(StandardCharsets.UTF_8);
    FileTrees.writeDurably(file, json);
    assertArrayEquals(json, Files.readAllBytes(file));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(1, files.count(), "only snapshot.json is left");
    }
  }

  @Test
  void writeDurablyFailsCleanlyWhenTheDirectoryIsMissing() {
    Path file = dir.resolve("missing/snapshot.json");
    assertThrows(IOException.class, () -> FileTrees.writeDurably(file, new byte[] {1}));
    assertFalse(Files.exists(dir.resolve("missing")));
  }
}
