package io.chainsnap.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.chain.FixtureHttpServer.Answer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link MoneroChainAdapter}'s reading of {@code get_info} states a regtest monerod never reaches
 * (peers, syncing, a bootstrap daemon, BUSY), against a <b>fixture shaped like a real monerod 0.18
 * answer, not a real node</b>. The real node is tested in test-support's {@code
 * MoneroChainAdapterIT}.
 */
class MoneroChainAdapterTest {
  private static final String HASH =
      "de3c7dc29c68ba358ba67c6a877c7a5ad5ebb53e4316803da6a52a414d07cc05";

  private static ChainStatus statusOf(Map<String, Object> overrides) {
    Map<String, Object> values = new HashMap<>();
    values.put("blocks", 11);
    values.put("hash", HASH);
    values.put("busySyncing", false);
    values.put("synchronized", true);
    values.put("untrusted", false);
    values.put("incoming", 0);
    values.put("outgoing", 0);
    values.put("status", "OK");
    values.putAll(overrides);
    try (FixtureHttpServer node =
        FixtureHttpServer.start()
            .jsonRpc(
                "/json_rpc",
                "get_info",
                (id, params) -> {
                  values.put("id", id);
                  return Answer.json(FixtureHttpServer.fill("monero/get_info.json", values));
                })) {
      return new MoneroChainAdapter(node.uri(), null, null, Duration.ofSeconds(5)).status();
    }
  }

  @Test
  void heightIsTheTopBlockNotTheBlockCount() {
    ChainStatus status = statusOf(Map.of());

    assertEquals(10, status.height()); // 11 blocks: genesis 0 .. top 10
    assertEquals(HASH, status.bestBlockHash());
    assertFalse(status.syncing());
    assertEquals("monerod 0.18.0.0-unknown", status.clientVersion());
  }

  @Test
  void peersAreOutgoingPlusIncoming() {
    assertEquals(12, statusOf(Map.of("outgoing", 8, "incoming", 4)).peers());
  }

  @Test
  void busySyncingNotSynchronizedOrUntrustedMeanSyncing() {
    assertTrue(statusOf(Map.of("busySyncing", true)).syncing());
    assertTrue(statusOf(Map.of("synchronized", false)).syncing());
    // answers relayed from a bootstrap daemon: the node itself is behind
    assertTrue(statusOf(Map.of("untrusted", true)).syncing());
  }

  @Test
  void busyStatusIsAnError() {
    ChainRpcException e =
        assertThrows(ChainRpcException.class, () -> statusOf(Map.of("status", "BUSY")));
    assertTrue(e.getMessage().contains("BUSY"), e.getMessage());
    assertEquals(ChainRpcException.BAD_ANSWER, e.code());
  }
}
