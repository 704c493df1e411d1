package io.chainsnap.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.chain.AbstractChainAdapterTest;
import io.chainsnap.chain.ChainAdapter;
import io.chainsnap.chain.ChainStatus;
import io.chainsnap.chain.EthereumChainAdapter;
import io.chainsnap.chain.JsonRpcFaultProxy;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chain adapter contract against a real Ethereum JSON-RPC node: ganache 7.9.2 (see {@link
 * GanacheNode}). ganache always reports {@code eth_syncing false} and no peers; the syncing case
 * runs on fixtures in chain's {@code EthereumChainAdapterTest}.
 */
class EthereumChainAdapterIT extends AbstractChainAdapterTest {
  /** Block 5 of GanacheNode's deterministic chain, the same on every run. */
  private static final String BLOCK_5_HASH =
      "0x09e87f6114aea3f09edae4f4edd238d0433abbd4ad6615423688b45485e3b528";

  private Path dir;
  private GanacheNode node;
  private JsonRpcFaultProxy proxy;

  @BeforeAll
  void startNode() throws IOException {
    dir = Files.createTempDirectory("chainsnap-ganache-it");
    node = GanacheNode.start(dir.resolve("node"));
    node.mine(5);
    proxy = JsonRpcFaultProxy.start(node.rpcUri());
  }

  @AfterAll
  void stopNode() {
    if (proxy != null) {
      proxy.close();
    }
    if (node != null) {
      node.close();
    }
    Components.deleteRecursively(dir);
  }

  @Override
  protected ChainAdapter adapter() {
    return new EthereumChainAdapter(node.rpcUri(), null, null, Duration.ofSeconds(30));
  }

  @Override
  protected ChainAdapter adapterFor(URI endpoint, Duration timeout) {
    return new EthereumChainAdapter(endpoint, null, null, timeout);
  }

  @Override
  protected Tip referenceTip() {
    // eth_blockNumber, then the hash of that block by number: not the adapter's "latest"
    long height = node.height();
    return new Tip(height, node.blockHash(height));
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
    return Pattern.compile("0x[0-9a-f]{64}");
  }

  @Override
  protected Pattern versionFormat() {
    return Pattern.compile("Ganache/v7\\.9\\.2/.+");
  }

  @Override
  protected NodeError nodeError() {
    // ganache answers an unknown method with code -32700 (JSON-RPC's "parse error"), as it is
    return new NodeError(
        new EthereumChainAdapter(proxy.uri(), null, null, Duration.ofSeconds(30)),
        -32700,
        "The method " + JsonRpcFaultProxy.UNKNOWN_METHOD + " does not exist/is not available");
  }

  @Test
  void restartedNodeReportsTheSameDeterministicTip() {
    Path db = dir.resolve("restart");
    ChainStatus before;
    try (GanacheNode fresh = GanacheNode.start(db)) {
      fresh.mine(5);
      before =
          new EthereumChainAdapter(fresh.rpcUri(), null, null, Duration.ofSeconds(30)).status();
    }
    assertEquals(5, before.height());
    assertEquals(BLOCK_5_HASH, before.bestBlockHash(), "GanacheNode's chain is deterministic");

    GanacheNode restarted = GanacheNode.start(db);
    ChainStatus after;
    try {
      after =
          new EthereumChainAdapter(restarted.rpcUri(), null, null, Duration.ofSeconds(30)).status();
    } finally {
      // the adapter's HTTP client keeps its connection open: the node must not wait for it
      long started = System.nanoTime();
      restarted.close();
      Duration stop = Duration.ofNanos(System.nanoTime() - started);
      assertTrue(stop.compareTo(Duration.ofSeconds(5)) < 0, "ganache took " + stop + " to stop");
    }
    assertEquals(before, after);
  }
}
