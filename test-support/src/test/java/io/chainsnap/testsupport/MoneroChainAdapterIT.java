package io.chainsnap.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.chain.AbstractChainAdapterTest;
import io.chainsnap.chain.ChainAdapter;
import io.chainsnap.chain.ChainRpcException;
import io.chainsnap.chain.ChainStatus;
import io.chainsnap.chain.JsonRpcFaultProxy;
import io.chainsnap.chain.MoneroChainAdapter;
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
 * The chain adapter contract against a real Monero node (Debian's monerod, regtest, offline; see
 * {@link MoneroNode}), plus what only a real monerod can show: that the tip {@code flush()} reports
 * is the tip a copy of the database restores to, and that {@code --rpc-login} (HTTP digest) works.
 * An offline regtest node cannot be made to sync: that case runs on fixtures in chain's {@code
 * MoneroChainAdapterTest}.
 */
class MoneroChainAdapterIT extends AbstractChainAdapterTest {
  private Path dir;
  private MoneroNode node;
  private JsonRpcFaultProxy proxy;

  @BeforeAll
  void startNode() throws IOException {
    dir = Files.createTempDirectory("chainsnap-monero-it");
    node = MoneroNode.start(dir.resolve("node"));
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
    return node.adapter();
  }

  @Override
  protected ChainAdapter adapterFor(URI endpoint, Duration timeout) {
    return new MoneroChainAdapter(endpoint, null, null, timeout);
  }

  @Override
  protected Tip referenceTip() {
    // get_last_block_header, not the adapter's get_info
    MoneroNode.Top top = node.topBlock();
    return new Tip(top.height(), top.hash());
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
    return Pattern.compile("monerod 0\\.18\\.\\S+");
  }

  @Override
  protected NodeError nodeError() {
    return new NodeError(
        new MoneroChainAdapter(proxy.uri(), null, null, Duration.ofSeconds(30)),
        -32601,
        "Method not found");
  }

  @Test
  void copyTakenRightAfterFlushRestoresToTheFlushedTip() throws IOException {
    node.mine(2);
    ChainStatus flushed = node.adapter().flush();

    Path copy = dir.resolve("copy");
    Files.createDirectories(copy.resolve("fake/lmdb"));
    // data.mdb only: lock.mdb is the live node's reader table, never part of a snapshot
    Files.copy(node.chainDir().resolve("data.mdb"), copy.resolve("fake/lmdb/data.mdb"));

    MoneroNode restored = MoneroNode.start(copy);
    ChainStatus status;
    try {
      status = restored.adapter().status();
    } finally {
      // the adapter's HTTP client keeps its connection open: the node must not wait for it
      long started = System.nanoTime();
      restored.close();
      Duration stop = Duration.ofNanos(System.nanoTime() - started);
      assertTrue(stop.compareTo(Duration.ofSeconds(10)) < 0, "monerod took " + stop + " to stop");
    }
    assertEquals(flushed.height(), status.height(), "restored height");
    assertEquals(flushed.bestBlockHash(), status.bestBlockHash(), "restored tip");
  }

  @Test
  void rpcLoginIsAnsweredWithDigestCredentials() throws IOException {
    try (MoneroNode guarded = MoneroNode.start(dir.resolve("login"), "chainsnap:regtest-secret")) {
      MoneroChainAdapter adapter = guarded.adapter();
      ChainStatus status = adapter.status();
      assertEquals(0, status.height(), "a fresh regtest chain has only its genesis block");
      // later calls reuse the digest challenge (nonce count 2, 3, ...), save_bc included
      assertEquals(status, adapter.flush());
      assertEquals(status, adapter.status());

      ChainRpcException wrong =
          assertThrows(
              ChainRpcException.class,
              new MoneroChainAdapter(guarded.rpcUri(), "chainsnap", "wrong", Duration.ofSeconds(30))
                  ::status);
      assertEquals(401, wrong.code(), wrong::getMessage);
      assertTrue(wrong.getMessage().contains("credentials refused"), wrong.getMessage());

      ChainRpcException none =
          assertThrows(
              ChainRpcException.class,
              new MoneroChainAdapter(guarded.rpcUri(), null, null, Duration.ofSeconds(30))::status);
      assertEquals(401, none.code(), none::getMessage);
    }
  }
}
