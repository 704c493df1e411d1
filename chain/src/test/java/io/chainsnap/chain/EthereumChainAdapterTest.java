package io.chainsnap.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.chain.FixtureHttpServer.Answer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link EthereumChainAdapter} on answers ganache never gives (a syncing node with peers, no latest
 * block), from <b>fixtures shaped like geth's documented answers, not a real node</b>. The real
 * node (ganache) is tested in test-support's {@code EthereumChainAdapterIT}.
 */
class EthereumChainAdapterTest {
  private static final String HASH = "0x" + FixtureHashes.hex("ethereum/1287361");
  private static final String PARENT = "0x" + FixtureHashes.hex("ethereum/1287360");

  private static FixtureHttpServer gethLike(boolean hasLatestBlock) {
    return FixtureHttpServer.start()
        .jsonRpc(
            "/",
            "eth_getBlockByNumber",
            (id, params) ->
                Answer.json(
                    hasLatestBlock
                        ? FixtureHttpServer.fill(
                            "ethereum/eth_getBlockByNumber.json",
                            Map.of(
                                "id", id,
                                "hash", HASH,
                                "parentHash", PARENT,
                                "numberHex", "0x" + Long.toHexString(1_287_361)))
                        : "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":null}"))
        .jsonRpc(
            "/",
            "eth_syncing",
            (id, params) ->
                Answer.json(
                    FixtureHttpServer.fill("ethereum/eth_syncing_progress.json", Map.of("id", id))))
        .jsonRpc(
            "/",
            "net_peerCount",
            (id, params) ->
                Answer.json("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":\"0x19\"}"))
        .jsonRpc(
            "/",
            "web3_clientVersion",
            (id, params) ->
                Answer.json(
                    "{\"jsonrpc\":\"2.0\",\"id\":"
                        + id
                        + ",\"result\":\"Geth/v1.14.11-stable-f3c696fa/linux-amd64/go1.23.2\"}"));
  }

  @Test
  void syncProgressObjectMeansSyncing() {
    try (FixtureHttpServer node = gethLike(true)) {
      ChainStatus status =
          new EthereumChainAdapter(node.uri(), null, null, Duration.ofSeconds(5)).status();

      assertTrue(status.syncing());
      assertEquals(1_287_361, status.height());
      assertEquals(HASH, status.bestBlockHash());
      assertEquals(25, status.peers());
      assertEquals("Geth/v1.14.11-stable-f3c696fa/linux-amd64/go1.23.2", status.clientVersion());
    }
  }

  @Test
  void missingLatestBlockIsABadAnswer() {
    try (FixtureHttpServer node = gethLike(false)) {
      ChainRpcException e =
          assertThrows(
              ChainRpcException.class,
              new EthereumChainAdapter(node.uri(), null, null, Duration.ofSeconds(5))::status);
      assertEquals(ChainRpcException.BAD_ANSWER, e.code(), e::getMessage);
    }
  }
}
