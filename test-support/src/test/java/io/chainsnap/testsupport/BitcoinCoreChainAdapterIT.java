package io.chainsnap.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.chain.AbstractChainAdapterTest;
import io.chainsnap.chain.BitcoinCoreChainAdapter;
import io.chainsnap.chain.BitcoinCoreDaemon;
import io.chainsnap.chain.BitcoinCoreRpc;
import io.chainsnap.chain.ChainAdapter;
import io.chainsnap.chain.ChainRpcException;
import io.chainsnap.chain.JsonRpcFaultProxy;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chain adapter contract against a real Litecoin Core node (Debian's litecoind, regtest, see
 * {@link LitecoinNode}). The catching-up node is a second, fresh regtest node without {@code
 * -maxtipage}: its only block is the 2011 genesis, far older than the mock clock, so it reports
 * initial block download exactly as a node that is behind does.
 */
class BitcoinCoreChainAdapterIT extends AbstractChainAdapterTest {
  private Path dir;
  private LitecoinNode node;
  private BitcoinCoreDaemon freshNode;
  private JsonRpcFaultProxy proxy;

  @BeforeAll
  void startNodes() throws IOException {
    dir = Files.createTempDirectory("chainsnap-litecoin-it");
    node = LitecoinNode.start(dir.resolve("node"), 0);
    node.mine(10);
    BitcoinCoreDaemon.Config base = LitecoinNode.config(dir.resolve("fresh"), Ports.free());
    List<String> args =
        base.extraArgs().stream()
            .filter(arg -> !arg.startsWith("-maxtipage="))
            .collect(Collectors.toList());
    freshNode =
        new BitcoinCoreDaemon(
            new BitcoinCoreDaemon.Config(
                base.binary(),
                base.dataDir(),
                base.network(),
                base.rpcPort(),
                base.rpcUser(),
                base.rpcPassword(),
                args));
    freshNode.start(Duration.ofSeconds(60));
    proxy = JsonRpcFaultProxy.start(node.rpc().endpoint());
  }

  @AfterAll
  void stopNodes() {
    if (proxy != null) {
      proxy.close();
    }
    if (freshNode != null) {
      freshNode.stop(Duration.ofSeconds(60));
    }
    if (node != null) {
      node.close();
    }
    Components.deleteRecursively(dir);
  }

  @Override
  protected ChainAdapter adapter() {
    return new BitcoinCoreChainAdapter(node.rpc());
  }

  @Override
  protected ChainAdapter adapterFor(URI endpoint, Duration timeout) {
    return new BitcoinCoreChainAdapter(
        new BitcoinCoreRpc(endpoint, LitecoinNode.RPC_USER, LitecoinNode.RPC_PASSWORD, timeout));
  }

  @Override
  protected Tip referenceTip() {
    // getblockcount + getbestblockhash: not the adapter's getblockchaininfo
    return new Tip(node.height(), node.bestBlockHash());
  }

  @Override
  protected void advance(int blocks) {
    node.mine(blocks);
  }

  @Override
  protected int expectedPeers() {
    return 0;
  }

  @Override
  protected Pattern hashFormat() {
    return Pattern.compile("[0-9a-f]{64}");
  }

  @Override
  protected Pattern versionFormat() {
    return Pattern.compile("/LitecoinCore:0\\.21\\.[0-9.]+/");
  }

  @Override
  protected NodeError nodeError() {
    return new NodeError(
        adapterFor(proxy.uri(), Duration.ofSeconds(30)), -32601, "Method not found");
  }

  @Override
  protected Optional<ChainAdapter> syncingNode() {
    return Optional.of(new BitcoinCoreChainAdapter(freshNode.rpc()));
  }

  @Test
  void networkSwitchReachesTheNode() {
    ChainAdapter adapter = adapter();
    try {
      adapter.setNetworkActive(false);
      assertFalse(node.rpc().call("getnetworkinfo").path("networkactive").asBoolean(true));
    } finally {
      adapter.setNetworkActive(true);
    }
    assertTrue(node.rpc().call("getnetworkinfo").path("networkactive").asBoolean(false));
  }

  @Test
  void wrongPasswordIsRefusedWithTheHttpStatus() {
    ChainAdapter adapter =
        new BitcoinCoreChainAdapter(
            new BitcoinCoreRpc(
                node.rpc().endpoint(), LitecoinNode.RPC_USER, "wrong", Duration.ofSeconds(30)));

    ChainRpcException e = assertThrows(ChainRpcException.class, adapter::status);
    assertEquals(401, e.code(), e::getMessage);
  }
}
