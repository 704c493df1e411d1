package io.chainsnap.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChainFamiliesTest {
  private static final Path DATA = Path.of("/srv/node");
  private static final ChainFamily BITCOIN = ChainFamilies.get("bitcoin-core");
  private static final ChainFamily MONERO = ChainFamilies.get("monero");
  private static final List<String> STATUS_ONLY =
      List.of("ethereum", "near", "substrate", "tezos", "cometbft");

  @Test
  void everyAdapterNameHasItsFamily() {
    assertEquals(ChainAdapters.NAMES, ChainFamilies.NAMES);
    assertEquals(
        List.of("bitcoin-core", "monero", "ethereum", "near", "substrate", "tezos", "cometbft"),
        ChainFamilies.NAMES);
    for (String name : ChainFamilies.NAMES) {
      assertEquals(name, ChainFamilies.get(name).name());
    }
    assertSame(BITCOIN, ChainFamilies.get(" bitcoin-core "), "blanks around the name are ignored");
    assertEquals(List.of("bitcoin-core", "monero"), ChainFamilies.bootable());
  }

  @Test
  void anUnknownNameIsRefusedNamingTheKnownOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ChainFamilies.get("bitcoind"));
    assertTrue(e.getMessage().contains("'bitcoind'"), e.getMessage());
    assertTrue(
        e.getMessage().contains("bitcoin-core, monero, ethereum, near, substrate, tezos, cometbft"),
        e.getMessage());
    assertEquals(Optional.empty(), ChainFamilies.find("bitcoind"));
    assertEquals(Optional.empty(), ChainFamilies.find(null));
  }

  @Test
  void eachFamilyCreatesItsAdapter() {
    URI endpoint = URI.create("http://127.0.0.1:1/");
    Duration timeout = Duration.ofSeconds(1);
    assertInstanceOf(
        BitcoinCoreChainAdapter.class, BITCOIN.createAdapter(endpoint, null, null, timeout));
    assertInstanceOf(MoneroChainAdapter.class, MONERO.createAdapter(endpoint, null, null, timeout));
    assertInstanceOf(
        EthereumChainAdapter.class,
        ChainFamilies.get("ethereum").createAdapter(endpoint, "u", "p", timeout));
    assertInstanceOf(
        CometBftChainAdapter.class,
        ChainFamilies.get("cometbft").createAdapter(endpoint, "u", "p", timeout));
  }

  @Test
  void bitcoinCoreChainDirIsTheNetworksDirectory() {
    assertEquals(DATA, BITCOIN.chainDir(DATA, "mainnet"));
    assertEquals(DATA, BITCOIN.chainDir(DATA, "main"));
    assertEquals(DATA.resolve("testnet4"), BITCOIN.chainDir(DATA, "testnet"));
    assertEquals(DATA.resolve("testnet4"), BITCOIN.chainDir(DATA, "test"));
    assertEquals(DATA.resolve("regtest"), BITCOIN.chainDir(DATA, "regtest"));
    assertEquals(DATA.resolve("signet"), BITCOIN.chainDir(DATA, "signet"));
    // the daemon the snapshotter runs puts its chain in the same place
    assertEquals(
        new BitcoinCoreDaemon.Config(Path.of("litecoind"), DATA, "regtest", 1, "u", "p", List.of())
            .chainDir(),
        BITCOIN.chainDir(DATA, "regtest"));
  }

  @Test
  void moneroChainDirIsTheNetworksLmdbDirectory() {
    assertEquals(DATA.resolve("lmdb"), MONERO.chainDir(DATA, "mainnet"));
    assertEquals(DATA.resolve("lmdb"), MONERO.chainDir(DATA, "main"));
    assertEquals(DATA.resolve("testnet/lmdb"), MONERO.chainDir(DATA, "testnet"));
    assertEquals(DATA.resolve("testnet/lmdb"), MONERO.chainDir(DATA, "test"));
    assertEquals(DATA.resolve("stagenet/lmdb"), MONERO.chainDir(DATA, "stagenet"));
    assertEquals(DATA.resolve("fake/lmdb"), MONERO.chainDir(DATA, "regtest"));
    assertEquals(MoneroDaemon.chainDir(DATA, "regtest"), MONERO.chainDir(DATA, "regtest"));
  }

  @Test
  void bitcoinCorePrivateFilesAreWalletsKeysLocksLogsAndPeerLists() {
    List<String> globs = BITCOIN.privateFiles();
    for (String expected :
        List.of(
            "wallets/**",
            "**/wallet.dat",
            "debug.log",
            "/*.log",
            "**/LOCK",
            "peers.dat",
            ".cookie")) {
      assertTrue(globs.contains(expected), expected + " in " + globs);
    }
    // a name pattern matches at any depth: "*.log" would take LevelDB's write-ahead logs
    // (chainstate/000003.log), which hold chain data
    assertFalse(globs.contains("*.log"), "" + globs);
  }

  @Test
  void moneroPrivateFilesAreTheLmdbLockPeersAndLogs() {
    List<String> globs = MONERO.privateFiles();
    for (String expected :
        List.of("lock.mdb", "**/lock.mdb", "p2pstate.bin", "bitmonero.log*", "rpcpayments.bin")) {
      assertTrue(globs.contains(expected), expected + " in " + globs);
    }
    assertFalse(globs.stream().anyMatch(g -> g.contains("data.mdb")), "the chain is archived");
  }

  @Test
  void bitcoinCoreNeverModifiesTablesAndClosedBlockFiles() {
    List<String> files =
        List.of(
            "blocks/blk00000.dat",
            "blocks/blk00001.dat",
            "blocks/blk00002.dat",
            "blocks/rev00000.dat",
            "blocks/rev00001.dat",
            "blocks/index/000005.ldb",
            "blocks/index/CURRENT",
            "blocks/index/MANIFEST-000004",
            "blocks/index/000006.log",
            "chainstate/000010.ldb",
            "chainstate/000011.sst",
            "chainstate/LOCK",
            "blocks/xor.dat",
            "indexes/blockfilter/basic/fltr00000.dat",
            "peers.dat");
    Predicate<String> rule = BITCOIN.neverModifiedInPlace(files);
    List<String> linked = files.stream().filter(rule).toList();
    assertEquals(
        List.of(
            "blocks/blk00000.dat",
            "blocks/blk00001.dat",
            "blocks/rev00000.dat",
            "blocks/index/000005.ldb",
            "chainstate/000010.ldb",
            "chainstate/000011.sst"),
        linked,
        "the newest blk and rev files are appended to; CURRENT, MANIFEST and logs are rewritten");
  }

  @Test
  void theNewestBlockFileIsTheNewestInBlocksOnly() {
    // a stray copy elsewhere must not make the node's newest block file look closed
    List<String> files =
        List.of("blocks/blk00000.dat", "blocks/blk00001.dat", "backup/blocks/blk00099.dat");
    Predicate<String> rule = BITCOIN.neverModifiedInPlace(files);
    assertTrue(rule.test("blocks/blk00000.dat"));
    assertFalse(rule.test("blocks/blk00001.dat"));
    assertFalse(rule.test("backup/blocks/blk00099.dat"));
  }

  @Test
  void aSingleBlockFileIsBeingWritten() {
    Predicate<String> rule =
        BITCOIN.neverModifiedInPlace(List.of("blocks/blk00000.dat", "blocks/rev00000.dat"));
    assertFalse(rule.test("blocks/blk00000.dat"));
    assertFalse(rule.test("blocks/rev00000.dat"));
  }

  @Test
  void moneroAndStatusOnlyFamiliesCopyEveryFile() {
    List<String> files = List.of("data.mdb", "lock.mdb", "blocks/blk00000.dat", "x/000001.sst");
    for (ChainFamily family : ChainFamilies.all()) {
      if (family == BITCOIN) {
        continue;
      }
      Predicate<String> rule = family.neverModifiedInPlace(files);
      assertTrue(files.stream().noneMatch(rule), family.name() + " links nothing");
    }
  }

  @Test
  void onlyBitcoinCoreRunsUnderTheDaemonController() {
    assertEquals(Set.copyOf(ChainFamily.CONTROLLERS), BITCOIN.controllers());
    assertTrue(BITCOIN.supportsController("daemon"));
    for (ChainFamily family : ChainFamilies.all()) {
      for (String controller : List.of("exec", "systemd", "kubernetes")) {
        assertTrue(family.supportsController(controller), family.name() + " " + controller);
      }
      assertFalse(family.supportsController("docker"), family.name());
      if (family != BITCOIN) {
        assertFalse(family.supportsController("daemon"), family.name());
        assertEquals(List.of("exec", "systemd", "kubernetes"), List.copyOf(family.controllers()));
      }
    }
  }

  @Test
  void statusOnlyFamiliesSayWhatTheyLack() {
    assertEquals(List.of(), BITCOIN.missing());
    assertEquals(List.of(), MONERO.missing());
    assertTrue(BITCOIN.supportsIsolatedBoot());
    assertTrue(MONERO.supportsIsolatedBoot());
    IsolatedBoot boot =
        new IsolatedBoot(
            Path.of("geth"), DATA, "mainnet", List.of(), Duration.ofSeconds(1), Path.of("logs"));
    for (String name : STATUS_ONLY) {
      ChainFamily family = ChainFamilies.get(name);
      assertFalse(family.supportsIsolatedBoot(), name);
      assertFalse(family.missing().isEmpty(), name);
      assertEquals(List.of(), family.privateFiles(), name);
      assertEquals(DATA, family.chainDir(DATA, "mainnet"), name);
      UnsupportedOperationException e =
          assertThrows(UnsupportedOperationException.class, () -> family.bootIsolated(boot));
      assertTrue(e.getMessage().contains(name), e.getMessage());
      assertTrue(e.getMessage().contains("isolated boot"), e.getMessage());
    }
  }

  @Test
  void aBitcoinCoreNodeThatFailsToStartIsABootFailure(@TempDir Path dir) throws IOException {
    IsolatedBoot boot =
        bootOf(fakeNode(dir, "echo 'corrupted block database' >&2; exit 1"), dir, "regtest");
    ChainBootException e = assertThrows(ChainBootException.class, () -> BITCOIN.bootIsolated(boot));
    assertTrue(e.getMessage().contains("corrupted block database"), e.getMessage());
  }

  @Test
  void aMoneroNodeThatExitsIsABootFailure(@TempDir Path dir) throws IOException {
    IsolatedBoot boot =
        bootOf(fakeNode(dir, "echo 'Error opening database'; exit 3"), dir, "regtest");
    ChainBootException e = assertThrows(ChainBootException.class, () -> MONERO.bootIsolated(boot));
    assertTrue(e.getMessage().contains("exited with code 3"), e.getMessage());
    assertTrue(e.getMessage().contains("Error opening database"), e.getMessage());
  }

  @Test
  void aMoneroNodeThatNeverAnswersIsABootFailureAndIsStopped(@TempDir Path dir) throws IOException {
    Path pidFile = dir.resolve("pid");
    IsolatedBoot boot =
        bootOf(fakeNode(dir, "echo $$ > " + pidFile + "; exec sleep 60"), dir, "regtest");
    ChainBootException e = assertThrows(ChainBootException.class, () -> MONERO.bootIsolated(boot));
    assertTrue(e.getMessage().contains("did not answer within"), e.getMessage());
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    assertFalse(
        ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the node is stopped");
  }

  @Test
  void aBinaryThatCannotRunIsNotTheDatasFault(@TempDir Path dir) {
    IsolatedBoot boot = bootOf(dir.resolve("no-such-node"), dir, "regtest");
    assertThrows(UncheckedIOException.class, () -> MONERO.bootIsolated(boot));
    assertThrows(UncheckedIOException.class, () -> BITCOIN.bootIsolated(boot));
  }

  private static IsolatedBoot bootOf(Path binary, Path dir, String network) {
    return new IsolatedBoot(
        binary,
        dir.resolve("data"),
        network,
        List.of(),
        Duration.ofSeconds(2),
        dir.resolve("logs"));
  }

  /** An executable shell script standing in for a node binary. */
  private static Path fakeNode(Path dir, String script) throws IOException {
    Path binary = dir.resolve("fake-node");
    Files.writeString(binary, "#!/bin/sh\n" + script + "\n");
    assertTrue(binary.toFile().setExecutable(true));
    return binary;
  }
}
