package io.chainsnap.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.cli.CliException;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class CreateCommandTest {

  @Test
  void sizes() {
    assertEquals(64 << 20, CreateCommand.parseSize("64MiB"));
    assertEquals(64 << 20, CreateCommand.parseSize("64M"));
    assertEquals(1 << 20, CreateCommand.parseSize("1mb"));
    assertEquals(512 << 10, CreateCommand.parseSize("512k"));
    assertEquals(1 << 30, CreateCommand.parseSize("1GiB"));
    assertEquals(4096, CreateCommand.parseSize("4096"));
    assertThrows(CliException.class, () -> CreateCommand.parseSize("1KiB"));
    assertThrows(CliException.class, () -> CreateCommand.parseSize("2GiB"));
    assertThrows(CliException.class, () -> CreateCommand.parseSize("lots"));
  }

  @Test
  void excludes() {
    Predicate<String> keep =
        CreateCommand.filter(List.of("*.lock", "wallets", "blocks/index/*", "debug.log"));
    assertFalse(keep.test(".lock") && keep.test("x.lock"));
    assertFalse(keep.test("chainstate/LOCK.lock"), "name patterns match at any depth");
    assertFalse(keep.test("wallets"));
    assertFalse(keep.test("regtest/wallets"));
    assertFalse(keep.test("blocks/index/000001.ldb"));
    assertTrue(keep.test("blocks/index"), "the directory itself stays, its content goes");
    assertTrue(keep.test("blocks/blk00000.dat"));
    assertFalse(keep.test("debug.log"));
    assertTrue(keep.test("debug.log.old"));
  }
}
