package io.chainsnap.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.chain.ChainFamilies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathFilterTest {
  /** Bitcoin Core's private files: the chain module's list itself, not a copy. */
  private static final List<String> BITCOIN_CORE_PRIVATE_FILES =
      ChainFamilies.get("bitcoin-core").privateFiles();

  private static PathFilter excluding(String... globs) {
    return PathFilter.excluding(List.of(globs));
  }

  @Test
  void aNameMatchesAtAnyDepth() {
    PathFilter f = excluding("*.log");
    assertTrue(f.excludes("debug.log"), "top level");
    assertTrue(f.excludes("regtest/debug.log"), "nested");
    assertTrue(f.excludes("testnet3/deep/er/db.log"), "deeply nested");
    assertTrue(f.excludes(".log"), "'*' matches the empty name part, dot files too");
    assertFalse(f.excludes("debug.log.old"));
    assertFalse(f.excludes("logs"));
    assertFalse(f.excludes("blocks/blk00000.dat"));
  }

  @Test
  void aNameThatIsADirectoryExcludesEverythingBelowIt() {
    PathFilter f = excluding("wallets");
    assertTrue(f.excludes("wallets"));
    assertTrue(f.excludes("wallets/default/wallet.dat"));
    assertTrue(f.excludes("regtest/wallets"));
    assertTrue(f.excludes("regtest/wallets/w1/db.log"));
    assertFalse(f.excludes("wallets.bak"));
    assertFalse(f.excludes("mywallets/x"));
  }

  @Test
  void aPatternWithASlashMatchesTheWholePath() {
    PathFilter f = excluding("blocks/index/*");
    assertTrue(f.excludes("blocks/index/000001.ldb"));
    assertTrue(f.excludes("blocks/index/sub/x"), "below an excluded entry");
    assertFalse(f.excludes("blocks/index"), "the directory itself stays, its content goes");
    assertFalse(f.excludes("regtest/blocks/index/000001.ldb"), "anchored at the source");
    assertFalse(f.excludes("blocks/blk00000.dat"));
    assertFalse(f.excludes("index/000001.ldb"));
  }

  @Test
  void doubleStarBelowADirectory() {
    PathFilter f = excluding("wallets/**");
    assertTrue(f.excludes("wallets/wallet.dat"));
    assertTrue(f.excludes("wallets/a/b/c"));
    assertFalse(f.excludes("wallets"), "the directory itself is kept (empty)");
    assertFalse(f.excludes("regtest/wallets/wallet.dat"), "a path pattern is anchored");
  }

  @Test
  void leadingDoubleStarIsZeroOrMoreDirectories() {
    PathFilter f = excluding("**/LOCK");
    assertTrue(f.excludes("LOCK"), "zero directories");
    assertTrue(f.excludes("chainstate/LOCK"));
    assertTrue(f.excludes("blocks/index/LOCK"));
    assertFalse(f.excludes("chainstate/LOCK.old"));
    assertFalse(f.excludes("chainstate/NOLOCK"));
    assertFalse(f.excludes("chainstate"));

    PathFilter middle = excluding("a/**/z");
    assertTrue(middle.excludes("a/z"));
    assertTrue(middle.excludes("a/b/c/z"));
    assertFalse(middle.excludes("a/bz"));
    assertFalse(middle.excludes("b/a/z"));
  }

  @Test
  void aPrefixNameMatchesFilesAndDirectories() {
    PathFilter f = excluding("onion*");
    assertTrue(f.excludes("onion_v3_private_key"));
    assertTrue(f.excludes("onion_private_key"));
    assertTrue(f.excludes("regtest/onion_v3_private_key"));
    assertTrue(f.excludes("onion/keys/k"), "a directory named so, and what is in it");
    assertFalse(f.excludes("myonion"));
  }

  @Test
  void trailingAndLeadingSlashes() {
    PathFilter dir = excluding("wallets/");
    assertTrue(dir.excludes("wallets"));
    assertTrue(dir.excludes("regtest/wallets/x"), "still a name pattern");
    PathFilter rooted = excluding("/debug.log");
    assertTrue(rooted.excludes("debug.log"));
    assertFalse(rooted.excludes("regtest/debug.log"), "a leading '/' anchors at the source");
    PathFilter nested = excluding("blocks/index/");
    assertTrue(nested.excludes("blocks/index"));
    assertTrue(nested.excludes("blocks/index/LOG"));
    assertFalse(nested.excludes("blocks"));
  }

  @Test
  void wildcardsSetsAndAlternatives() {
    assertTrue(excluding("blk?????.dat").excludes("blocks/blk00000.dat"));
    assertFalse(excluding("blk?????.dat").excludes("blocks/blk0000.dat"));
    assertFalse(excluding("a?b").excludes("a/b"), "'?' never matches '/'");
    assertTrue(excluding("a/*").excludes("a/b/c"), "below a match on a/b");

    PathFilter set = excluding("rev[0-9]*.dat", "[!b]x");
    assertTrue(set.excludes("blocks/rev00001.dat"));
    assertFalse(set.excludes("blocks/revx.dat"));
    assertTrue(set.excludes("ax"));
    assertFalse(set.excludes("bx"));
    assertFalse(set.excludes("x"));

    PathFilter alt = excluding("{peers,anchors}.dat", "*.{pid,lock}");
    assertTrue(alt.excludes("peers.dat"));
    assertTrue(alt.excludes("anchors.dat"));
    assertFalse(alt.excludes("banlist.dat"));
    assertTrue(alt.excludes("bitcoind.pid"));
    assertTrue(alt.excludes("x/.lock"));

    PathFilter literal = excluding("a\\*b", "c.d", "(x)+");
    assertTrue(literal.excludes("a*b"));
    assertFalse(literal.excludes("axb"), "'\\' quotes");
    assertFalse(literal.excludes("cxd"), "regex characters are literal");
    assertTrue(literal.excludes("(x)+"));
    assertFalse(literal.excludes("xx"));
  }

  @Test
  void blankPatternsAreIgnoredAndMalformedOnesRefused() {
    PathFilter f = PathFilter.excluding(Arrays.asList(" ", "", " *.log ", null));
    assertEquals(List.of("*.log"), f.patterns());
    assertTrue(f.excludes("debug.log"), "patterns are stripped");
    assertTrue(PathFilter.excluding(List.of()).test("anything/at/all"));
    assertTrue(PathFilter.NONE.test("wallets"));
    for (String bad : List.of("[abc", "{a,b", "{a,{b}}", "x\\")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> excluding(bad), bad);
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
  }

  @Test
  void testIsTheIncludePredicate() {
    PathFilter f = excluding("*.log");
    assertFalse(f.test("debug.log"));
    assertTrue(f.test("blocks/blk00000.dat"));
  }

  @Test
  void theDefaultPrivateFilesOfABitcoinCoreDataDir() {
    PathFilter f = PathFilter.excluding(BITCOIN_CORE_PRIVATE_FILES);
    List<String> leftOut =
        List.of(
            "wallets",
            "wallets/default/wallet.dat",
            "wallet.dat",
            "regtest/wallet.dat",
            "debug.log",
            "regtest/debug.log",
            "db.log",
            ".lock",
            "regtest/.lock",
            "chainstate/LOCK",
            "blocks/index/LOCK",
            "indexes/txindex/LOCK",
            "litecoind.pid",
            "peers.dat",
            "anchors.dat",
            "banlist.dat",
            "banlist.json",
            "mempool.dat",
            "fee_estimates.dat",
            "settings.json",
            ".cookie",
            "regtest/.cookie",
            "onion_v3_private_key",
            "onion_private_key");
    for (String path : leftOut) {
      assertTrue(f.excludes(path), path + " must never leave the machine");
    }
    List<String> kept =
        List.of(
            "blocks",
            "blocks/blk00000.dat",
            "blocks/rev00000.dat",
            "blocks/index",
            "blocks/index/000005.ldb",
            "blocks/index/CURRENT",
            "blocks/index/MANIFEST-000002",
            "blocks/index/000003.log",
            "chainstate/000012.ldb",
            "chainstate/000011.log",
            "chainstate/CURRENT",
            "indexes/txindex/000001.ldb",
            "regtest/blocks/blk00000.dat");
    for (String path : kept) {
      assertTrue(f.test(path), path + " is chain data");
    }
  }

  @Test
  void theWriterLeavesOutWhatTheFilterExcludes(@TempDir Path dir) throws IOException {
    Path src = Files.createDirectories(dir.resolve("src"));
    for (String file :
        List.of(
            "blocks/blk00000.dat",
            "blocks/index/LOCK",
            "blocks/index/000001.ldb",
            "blocks/index/000003.log",
            "regtest/debug.log",
            "regtest/wallets/w/wallet.dat",
            "debug.log",
            "peers.dat")) {
      Path p = src.resolve(file);
      Files.createDirectories(p.getParent());
      Files.writeString(p, file);
    }
    ArchiveManifest manifest =
        ArchiveWriter.builder()
            .filter(PathFilter.excluding(BITCOIN_CORE_PRIVATE_FILES))
            .build()
            .write(src, dir.resolve("a.tar.zst"));
    Path out = Files.createDirectories(dir.resolve("out"));
    ArchiveReader.create().extract(dir.resolve("a.tar.zst"), manifest, out);
    List<String> files = new ArrayList<>();
    try (var walk = Files.walk(out)) {
      walk.filter(Files::isRegularFile)
          .forEach(p -> files.add(out.relativize(p).toString().replace('\\', '/')));
    }
    files.sort(null);
    assertEquals(
        List.of("blocks/blk00000.dat", "blocks/index/000001.ldb", "blocks/index/000003.log"),
        files);
    assertTrue(Files.isDirectory(out.resolve("regtest")), "the directory stays, without its files");
    assertFalse(Files.exists(out.resolve("regtest/wallets")));
  }
}
