package io.chainsnap.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChainAdaptersTest {
  private static final URI ENDPOINT = URI.create("http://127.0.0.1:1/");
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  @Test
  void everyKnownNameCreatesItsAdapter() {
    Map<String, Class<? extends ChainAdapter>> expected =
        Map.of(
            "bitcoin-core", BitcoinCoreChainAdapter.class,
            "monero", MoneroChainAdapter.class,
            "ethereum", EthereumChainAdapter.class,
            "near", NearChainAdapter.class,
            "substrate", SubstrateChainAdapter.class,
            "tezos", TezosChainAdapter.class,
            "cometbft", CometBftChainAdapter.class);
    assertEquals(expected.keySet(), java.util.Set.copyOf(ChainAdapters.NAMES));
    expected.forEach(
        (name, type) ->
            assertInstanceOf(type, ChainAdapters.create(name, ENDPOINT, "u", "p", TIMEOUT), name));
  }

  @Test
  void credentialsMayBeAbsent() {
    for (String name : ChainAdapters.NAMES) {
      ChainAdapter adapter = ChainAdapters.create(name, ENDPOINT, null, null, TIMEOUT);
      // nothing listens on port 1: the adapter gets as far as trying
      ChainRpcException e = assertThrows(ChainRpcException.class, adapter::status, name);
      assertEquals(ChainRpcException.UNREACHABLE, e.code(), name);
    }
  }

  @Test
  void unknownNameListsTheKnownOnes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ChainAdapters.create("bitcoind", ENDPOINT, null, null, TIMEOUT));
    assertTrue(e.getMessage().contains("'bitcoind'"), e.getMessage());
    assertTrue(
        e.getMessage().contains("bitcoin-core, monero, ethereum, near, substrate, tezos, cometbft"),
        e.getMessage());
  }

  @Test
  void endpointThatIsNoUrlIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ChainAdapters.create("monero", URI.create("localhost:18081"), null, null, TIMEOUT));
  }
}
