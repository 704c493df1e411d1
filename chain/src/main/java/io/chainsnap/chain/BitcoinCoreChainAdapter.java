package io.chainsnap.chain;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Chain adapter for the Bitcoin Core family (bitcoind, litecoind): {@code getblockchaininfo},
 * {@code getconnectioncount}, {@code getnetworkinfo}; the flush is {@code gettxoutsetinfo}, which
 * writes the UTXO set and block index to disk and reports the tip they describe.
 */
public final class BitcoinCoreChainAdapter implements ChainAdapter {
  private final BitcoinCoreRpc rpc;

  public BitcoinCoreChainAdapter(BitcoinCoreRpc rpc) {
    this.rpc = rpc;
  }

  @Override
  public ChainStatus status() {
    JsonNode info = rpc.call("getblockchaininfo");
    int peers = rpc.call("getconnectioncount").asInt();
    String version = rpc.call("getnetworkinfo").path("subversion").asText();
    return new ChainStatus(
        info.path("blocks").asLong(),
        info.path("bestblockhash").asText(),
        info.path("initialblockdownload").asBoolean(),
        peers,
        version);
  }

  @Override
  public ChainStatus flush() {
    ChainStatus now = status();
    // "none": skip hashing the UTXO set, we only want the flush and the tip it describes
    JsonNode flushed = rpc.call("gettxoutsetinfo", "none");
    return new ChainStatus(
        flushed.path("height").asLong(),
        flushed.path("bestblock").asText(),
        now.syncing(),
        now.peers(),
        now.clientVersion());
  }

  @Override
  public void setNetworkActive(boolean active) {
    rpc.call("setnetworkactive", active);
  }

  @Override
  public java.util.Optional<HttpCall> networkOnCall() {
    return java.util.Optional.of(rpc.request("setnetworkactive", true));
  }
}
