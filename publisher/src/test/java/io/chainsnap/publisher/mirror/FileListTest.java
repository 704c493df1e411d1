package io.chainsnap.publisher.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.domain.Mode;
import io.chainsnap.events.PermanentFailureException;
import io.chainsnap.events.SnapshotTarget;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mirror's key layout and its two JSON documents. */
class FileListTest {
  static final SnapshotTarget TARGET = new SnapshotTarget("litecoin", "mainnet", Mode.PRUNED);

  @Test
  void keysFollowTheLayoutWhateverTheSlashesOfThePrefix() {
    for (String prefix : List.of("mirror", "/mirror/", "mirror//")) {
      MirrorKeys keys = new MirrorKeys(prefix, TARGET);
      assertEquals("mirror/litecoin/mainnet/pruned/tree/", keys.treePrefix());
      assertEquals(
          "mirror/litecoin/mainnet/pruned/tree/blocks/blk00000.dat",
          keys.treeKey("blocks/blk00000.dat"));
      assertEquals("mirror/litecoin/mainnet/pruned/files/snap-1.json", keys.fileList("snap-1"));
      assertEquals("mirror/litecoin/mainnet/pruned/current.json", keys.current());
    }
    assertEquals("litecoin/mainnet/pruned/current.json", new MirrorKeys("", TARGET).current());
  }

  @Test
  void anInvalidSnapshotIdBuildsNoKey() {
    MirrorKeys keys = new MirrorKeys("mirror", TARGET);
    assertThrows(PermanentFailureException.class, () -> keys.fileList("../index"));
  }

  @Test
  void fileListRoundTripsAndRefusesAnotherVersion() {
    FileList list =
        new FileList(
            1,
            "snap-1",
            "litecoin",
            "mainnet",
            "pruned",
            42,
            "ab".repeat(32),
            "2026-12-03T00:00:00Z",
            "chainsnap-mirror",
            "mirror/litecoin/mainnet/pruned/tree/",
            1,
            5,
            List.of(new FileList.Entry("blocks/blk00000.dat", 5, "cd".repeat(32), "etag-1")));
    assertEquals(list, FileList.read(list.toJson()));
    String json = new String(list.toJson(), StandardCharsets.UTF_8);
    assertTrue(json.contains("\"treePrefix\" : \"mirror/litecoin/mainnet/pruned/tree/\""), json);
    byte[] v2 = json.replace("\"formatVersion\" : 1", "\"formatVersion\" : 2").getBytes();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FileList.read(v2));
    assertTrue(e.getMessage().contains("formatVersion 2"), e.getMessage());

    FileList.Current current =
        new FileList.Current(1, "snap-1", 42, "mirror/x.json", "mirror/t/", "2026-12-03T00:00:00Z");
    assertEquals(current, FileList.Current.read(current.toJson()));
    byte[] c2 =
        new String(current.toJson(), StandardCharsets.UTF_8)
            .replace("\"formatVersion\" : 1", "\"formatVersion\" : 3")
            .getBytes();
    assertThrows(IllegalArgumentException.class, () -> FileList.Current.read(c2));
  }
}
