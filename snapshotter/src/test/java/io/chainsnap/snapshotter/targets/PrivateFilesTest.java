package io.chainsnap.snapshotter.targets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.archive.PathFilter;
import io.chainsnap.chain.ChainFamilies;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the snapshotter archives of a real chain dir layout: the family's private files through the
 * one exclude filter. A private-file pattern that matched chain data (LevelDB's write-ahead logs
 * are {@code *.log}) would publish a snapshot that restores to height 0.
 */
class PrivateFilesTest {

  private static PathFilter of(String family) {
    return PathFilter.excluding(ChainFamilies.get(family).privateFiles());
  }

  @Test
  void bitcoinCoreKeepsTheChainAndDropsThePrivateFiles() {
    PathFilter include = of("bitcoin-core");
    for (String chain :
        List.of(
            "blocks/blk00000.dat",
            "blocks/rev00000.dat",
            "blocks/index/000003.log",
            "blocks/index/000005.ldb",
            "blocks/index/CURRENT",
            "blocks/index/MANIFEST-000002",
            "chainstate/000003.log",
            "chainstate/000004.ldb",
            "chainstate/CURRENT",
            "indexes/txindex/000003.log")) {
      assertTrue(include.test(chain), chain + " is chain data");
    }
    for (String own :
        List.of(
            "debug.log",
            "db.log",
            "wallets/default/wallet.dat",
            "wallet.dat",
            ".lock",
            "blocks/index/LOCK",
            "chainstate/LOCK",
            "litecoind.pid",
            "peers.dat",
            "anchors.dat",
            "banlist.json",
            "mempool.dat",
            "fee_estimates.dat",
            "settings.json",
            ".cookie",
            "onion_v3_private_key")) {
      assertFalse(include.test(own), own + " is the node's own");
    }
  }

  @Test
  void moneroKeepsTheLmdbDataAndDropsItsLockPeersAndLogs() {
    PathFilter include = of("monero");
    assertTrue(include.test("data.mdb"));
    assertTrue(include.test("lmdb/data.mdb"));
    for (String own : List.of("lock.mdb", "lmdb/lock.mdb", "p2pstate.bin", "bitmonero.log")) {
      assertFalse(include.test(own), own + " is the node's own");
    }
  }
}
