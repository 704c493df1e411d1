package io.chainsnap.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Bitcoin Core and its forks (bitcoind, litecoind): JSON-RPC 1.0 ({@link BitcoinCoreChainAdapter}),
 * run as a daemon by {@link BitcoinCoreDaemon} or by any other controller, chain data in the
 * network's directory of the data dir, LevelDB tables and closed block files never modified.
 */
final class BitcoinCoreFamily implements ChainFamily {
  private static final Logger LOG = Logger.getLogger(BitcoinCoreFamily.class);

  static final String NAME = "bitcoin-core";

  /** {@code blocks/blkNNNNN.dat} (blocks) and {@code blocks/revNNNNN.dat} (undo data). */
  private static final Pattern BLOCK_FILE = Pattern.compile("blocks/(blk|rev)(\\d+)\\.dat");

  /**
   * Wallets, logs, locks, pid files, peer lists, mempool and fee caches, settings, the RPC cookie
   * and Tor keys. Logs are {@code /*.log}, top level only: LevelDB's write-ahead logs ({@code
   * blocks/index/NNNNNN.log}, {@code chainstate/NNNNNN.log}) hold chain data.
   */
  private static final List<String> PRIVATE_FILES =
      List.of(
          "wallets/**",
          "wallets",
          "**/wallet.dat",
          "debug.log",
          "/*.log",
          ".lock",
          "**/LOCK",
          "*.pid",
          "peers.dat",
          "anchors.dat",
          "banlist.dat",
          "banlist.json",
          "mempool.dat",
          "fee_estimates.dat",
          "settings.json",
          ".cookie",
          "onion*");

  /**
   * Flags that cut a verification node off: no listening, no outgoing connections, no DNS seeds, no
   * UPnP, no wallet, and an old tip is not "initial block download".
   */
  private static final List<String> ISOLATION =
      List.of(
          "-listen=0",
          "-connect=0",
          "-dnsseed=0",
          "-upnp=0",
          "-disablewallet",
          // a snapshot's tip is old by the time it is verified; do not treat that as syncing
          "-maxtipage=2000000000");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ChainAdapter createAdapter(URI endpoint, String user, String password, Duration timeout) {
    return new BitcoinCoreChainAdapter(
        new BitcoinCoreRpc(
            endpoint, user == null ? "" : user, password == null ? "" : password, timeout));
  }

  /** All four: {@code daemon} runs the binary itself ({@link BitcoinCoreDaemon}). */
  @Override
  public Set<String> controllers() {
    return ChainFamilies.controllers(CONTROLLERS);
  }

  /** {@link BitcoinCoreDaemon#chainDir} of the node's network flag ({@link #networkFlag}). */
  @Override
  public Path chainDir(Path dataDir, String network) {
    return BitcoinCoreDaemon.chainDir(dataDir, networkFlag(network));
  }

  @Override
  public List<String> privateFiles() {
    return PRIVATE_FILES;
  }

  /**
   * LevelDB tables ({@code *.ldb}, {@code *.sst}: written once, then only deleted by compaction)
   * and every {@code blocks/blk*.dat} and {@code blocks/rev*.dat} but the newest of each kind (the
   * node appends to the newest only).
   */
  @Override
  public Predicate<String> neverModifiedInPlace(Collection<String> relativePaths) {
    int newestBlk = -1;
    int newestRev = -1;
    for (String path : relativePaths) {
      Matcher m = BLOCK_FILE.matcher(path);
      if (m.matches()) {
        int number = Integer.parseInt(m.group(2));
        if (m.group(1).equals("blk")) {
          newestBlk = Math.max(newestBlk, number);
        } else {
          newestRev = Math.max(newestRev, number);
        }
      }
    }
    int blk = newestBlk;
    int rev = newestRev;
    return relative -> {
      if (relative.endsWith(".ldb") || relative.endsWith(".sst")) {
        return true;
      }
      Matcher m = BLOCK_FILE.matcher(relative);
      if (m.matches()) {
        int number = Integer.parseInt(m.group(2));
        return number < (m.group(1).equals("blk") ? blk : rev);
      }
      return false;
    };
  }

  @Override
  public boolean supportsIsolatedBoot() {
    return true;
  }

  /**
   * Runs the binary as a {@link BitcoinCoreDaemon} with the operator's arguments, then the
   * isolation flags ({@code -listen=0 -connect=0 -dnsseed=0 -upnp=0 -disablewallet
   * -maxtipage=2000000000}), RPC on a free loopback port with a random password; reads {@code
   * getblockchaininfo} and friends; stops it with RPC {@code stop}.
   */
  @Override
  public ChainStatus bootIsolated(IsolatedBoot boot) {
    return bootIsolated(boot, ChainChecks.NONE).status();
  }

  /**
   * As {@link #bootIsolated(IsolatedBoot)}, then, with the node still running: {@code verifychain
   * <level> <blocks>} (false fails with {@link ChainCheckFailedException}) and {@code
   * gettxoutsetinfo} with the node's default hash type, whose UTXO set hash ({@code
   * hash_serialized_2} in Litecoin Core 0.21, {@code hash_serialized_3} in Bitcoin Core 26+, or
   * {@code muhash}) is returned. Both calls may take long on a big chain: they wait up to the boot
   * timeout each.
   */
  @Override
  public ChainChecks.Result bootIsolated(IsolatedBoot boot, ChainChecks checks) {
    List<String> args = new ArrayList<>(boot.extraArgs());
    args.addAll(ISOLATION);
    BitcoinCoreDaemon daemon =
        new BitcoinCoreDaemon(
            new BitcoinCoreDaemon.Config(
                boot.binary(),
                boot.dataDir(),
                networkFlag(boot.network()),
                IsolatedBoot.freeLoopbackPort(),
                "verifier",
                UUID.randomUUID().toString(),
                args));
    try {
      daemon.start(boot.timeout());
      ChainStatus status = new BitcoinCoreChainAdapter(daemon.rpc()).status();
      return deeperChecks(daemon, status, checks, boot.timeout());
    } catch (UncheckedIOException | ChainCheckFailedException e) {
      throw e; // the binary cannot be run or the data dir written: the caller's trouble
    } catch (RuntimeException e) {
      throw new ChainBootException(
          "the node did not start on the restored data: " + e.getMessage(), e);
    } finally {
      try {
        daemon.stop(Duration.ofMinutes(2));
      } catch (RuntimeException e) {
        LOG.warnf("could not stop the verification node: %s", e.getMessage());
      }
    }
  }

  /**
   * Runs {@code checks} on the running {@code daemon}; see {@link #bootIsolated(IsolatedBoot,
   * ChainChecks)}.
   */
  private static ChainChecks.Result deeperChecks(
      BitcoinCoreDaemon daemon, ChainStatus status, ChainChecks checks, Duration timeout) {
    if (checks.verifyChainLevel() == null && !checks.utxoSetHash()) {
      return ChainChecks.Result.tipOnly(status);
    }
    // both calls take minutes on a big chain: a client that waits as long as the boot may
    BitcoinCoreRpc rpc =
        new BitcoinCoreRpc(
            daemon.rpc().endpoint(),
            daemon.config().rpcUser(),
            daemon.config().rpcPassword(),
            timeout);
    Integer level = checks.verifyChainLevel();
    if (level != null) {
      JsonNode ok = rpc.call("verifychain", level, checks.verifyChainBlocks());
      if (!ok.asBoolean(false)) {
        throw new ChainCheckFailedException(
            "verifychain "
                + level
                + " "
                + checks.verifyChainBlocks()
                + " answered "
                + ok
                + " on the restored data at height "
                + status.height()
                + ": the node's own check of its blocks and chain state failed");
      }
      LOG.infof(
          "verifychain level %d over %s passed",
          level,
          checks.verifyChainBlocks() == 0 ? "all blocks" : checks.verifyChainBlocks() + " blocks");
    }
    String hashType = null;
    String hash = null;
    long height = -1;
    if (checks.utxoSetHash()) {
      JsonNode info = rpc.call("gettxoutsetinfo");
      for (String field : UTXO_HASH_FIELDS) {
        if (info.hasNonNull(field)) {
          hashType = field;
          hash = info.get(field).asText();
          break;
        }
      }
      height = info.path("height").asLong(-1);
      if (hashType == null) {
        LOG.warnf("gettxoutsetinfo returned no UTXO set hash (fields %s)", fieldNames(info));
      } else {
        LOG.infof("gettxoutsetinfo at height %d: %s %s", height, hashType, hash);
      }
    }
    return new ChainChecks.Result(
        status, level, level == null ? null : checks.verifyChainBlocks(), hashType, hash, height);
  }

  /** The UTXO set hash fields of {@code gettxoutsetinfo}, newest algorithm first. */
  private static final List<String> UTXO_HASH_FIELDS =
      List.of("hash_serialized_3", "hash_serialized_2", "muhash");

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Override
  public List<String> missing() {
    return List.of();
  }

  /**
   * The node's network flag for a network name: {@code mainnet} -> {@code main}, {@code testnet} ->
   * {@code test}; the flags themselves and other names ({@code regtest}, {@code signet}) as given.
   */
  static String networkFlag(String network) {
    return switch (network) {
      case "mainnet" -> "main";
      case "testnet" -> "test";
      default -> network;
    };
  }
}
