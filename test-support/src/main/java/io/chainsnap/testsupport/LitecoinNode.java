package io.chainsnap.testsupport;

import io.chainsnap.chain.BitcoinCoreDaemon;
import io.chainsnap.chain.BitcoinCoreRpc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Litecoin Core node (Debian's litecoind) in regtest mode with a deterministic chain: fixed
 * mock time and a fixed output script, so the same number of blocks always has the same hashes.
 */
public final class LitecoinNode implements AutoCloseable {
  /** The fixed clock of the generated chain. */
  public static final long MOCK_TIME = 1_700_000_000L;

  /** Coinbase outputs go to {@code OP_TRUE}: no wallet, no address, same hashes every run. */
  public static final String MINING_DESCRIPTOR = "raw(51)";

  public static final String RPC_USER = "chainsnap";
  public static final String RPC_PASSWORD = "chainsnap-regtest";

  private final BitcoinCoreDaemon daemon;

  private LitecoinNode(BitcoinCoreDaemon daemon) {
    this.daemon = daemon;
  }

  /** The arguments of a regtest source node: offline, deterministic, no wallet. */
  public static List<String> regtestArgs() {
    return List.of(
        "-listen=0",
        "-dnsseed=0",
        "-upnp=0",
        "-disablewallet",
        "-fallbackfee=0.0001",
        "-checkblockindex=0",
        "-checkmempool=0",
        // without this, mining fails after block 431 for lack of an MWEB transaction
        "-vbparams=mweb:0:0",
        "-mocktime=" + MOCK_TIME,
        // a copy with an old tip would otherwise report initial block download
        "-maxtipage=2000000000");
  }

  /** The daemon config of a regtest node in {@code dataDir} answering RPC on {@code rpcPort}. */
  public static BitcoinCoreDaemon.Config config(Path dataDir, int rpcPort) {
    return new BitcoinCoreDaemon.Config(
        Components.litecoind(), dataDir, "regtest", rpcPort, RPC_USER, RPC_PASSWORD, regtestArgs());
  }

  /** Starts a node on {@code dataDir} (a free RPC port when {@code rpcPort} is 0). */
  public static LitecoinNode start(Path dataDir, int rpcPort) {
    BitcoinCoreDaemon daemon =
        new BitcoinCoreDaemon(config(dataDir, rpcPort == 0 ? Ports.free() : rpcPort));
    daemon.start(Duration.ofSeconds(60));
    return new LitecoinNode(daemon);
  }

  /** Mines {@code blocks} more blocks and returns the new height. */
  public long mine(int blocks) {
    daemon.rpc().call("generatetodescriptor", blocks, MINING_DESCRIPTOR);
    return height();
  }

  /** Mines until the chain is {@code height} blocks high. */
  public long mineTo(long height) {
    long now = height();
    if (now < height) {
      mine((int) (height - now));
    }
    return height();
  }

  public long height() {
    return daemon.rpc().call("getblockcount").asLong();
  }

  public String bestBlockHash() {
    return daemon.rpc().call("getbestblockhash").asText();
  }

  public BitcoinCoreDaemon daemon() {
    return daemon;
  }

  public BitcoinCoreRpc rpc() {
    return daemon.rpc();
  }

  public int rpcPort() {
    return daemon.config().rpcPort();
  }

  public Path dataDir() {
    return daemon.config().dataDir();
  }

  @Override
  public void close() {
    daemon.stop(Duration.ofSeconds(60));
  }
}
