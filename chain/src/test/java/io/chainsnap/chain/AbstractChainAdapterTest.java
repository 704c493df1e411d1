package io.chainsnap.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract every {@link ChainAdapter} keeps, run against every implementation: real nodes in
 * test-support's {@code *ChainAdapterIT}, documented-shape fixtures in this module's tests.
 *
 * <p>A subclass starts its node (or fixture) once, in a {@code @BeforeAll} method (the test
 * instance is per class), and stops it in {@code @AfterAll}. It tells the contract what the node
 * reports through another channel ({@link #referenceTip()}: a different RPC call, or the fixture's
 * state) so that the adapter's reading can be checked, not merely looked at.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractChainAdapterTest {

  /** A tip read independently of the adapter. */
  public record Tip(long height, String hash) {}

  /**
   * An adapter whose node answers the adapter's calls with an RPC error.
   *
   * @param adapter the adapter to call
   * @param code the node's error code the exception must carry
   * @param message text of the node's error the exception message must contain
   */
  public record NodeError(ChainAdapter adapter, int code, String message) {}

  /** The adapter under test, on the node started for this class. */
  protected abstract ChainAdapter adapter();

  /** An adapter of the same kind for another endpoint (same path layout as the real one). */
  protected abstract ChainAdapter adapterFor(URI endpoint, Duration timeout);

  /** The node's tip, read without the adapter. */
  protected abstract Tip referenceTip();

  /** Makes the chain grow by {@code blocks} blocks (mining, or the fixture's next blocks). */
  protected abstract void advance(int blocks);

  /** Peers the node has (0 for an offline regtest node). */
  protected abstract int expectedPeers();

  /** How this chain prints a block hash. */
  protected abstract Pattern hashFormat();

  /** What the adapter's client version looks like. */
  protected abstract Pattern versionFormat();

  /** The case of an RPC error answer. */
  protected abstract NodeError nodeError();

  /**
   * An adapter on a node that is catching up, where the test can have one; empty (and the test
   * skipped, with the reason in the report) where it cannot.
   */
  protected Optional<ChainAdapter> syncingNode() {
    return Optional.empty();
  }

  @Test
  void statusReportsTheNodesTipPeersAndVersion() {
    Tip reference = referenceTip();
    ChainStatus status = adapter().status();

    assertEquals(reference.height(), status.height(), "height");
    assertEquals(reference.hash(), status.bestBlockHash(), "best block hash");
    assertTrue(
        hashFormat().matcher(status.bestBlockHash()).matches(),
        () -> "hash " + status.bestBlockHash() + " does not look like " + hashFormat());
    assertEquals(expectedPeers(), status.peers(), "peers");
    assertTrue(
        versionFormat().matcher(status.clientVersion()).matches(),
        () -> "version '" + status.clientVersion() + "' does not look like " + versionFormat());
  }

  @Test
  void heightGrowsAsTheChainAdvances() {
    ChainStatus before = adapter().status();
    advance(3);
    ChainStatus after = adapter().status();

    assertEquals(before.height() + 3, after.height(), "height after 3 more blocks");
    assertNotEquals(before.bestBlockHash(), after.bestBlockHash(), "best block hash");
    assertEquals(referenceTip(), new Tip(after.height(), after.bestBlockHash()));
  }

  @Test
  void settledNodeIsNotSyncing() {
    assertFalse(adapter().status().syncing(), "a node at its tip reports syncing");
  }

  @Test
  void catchingUpNodeIsSyncing() {
    Optional<ChainAdapter> syncing = syncingNode();
    assumeTrue(syncing.isPresent(), "this node cannot be made to catch up in a test");
    assertTrue(syncing.get().status().syncing(), "a catching-up node reports no syncing");
  }

  @Test
  void flushOfAnIdleNodeReportsItsTip() {
    ChainStatus flushed = adapter().flush();
    Tip reference = referenceTip();

    assertEquals(reference, new Tip(flushed.height(), flushed.bestBlockHash()));
  }

  @Test
  void closedPortIsUnreachable() {
    ChainAdapter adapter =
        adapterFor(URI.create("http://127.0.0.1:" + closedPort() + "/"), Duration.ofSeconds(5));

    ChainRpcException e = assertThrows(ChainRpcException.class, adapter::status);
    assertEquals(ChainRpcException.UNREACHABLE, e.code(), e::getMessage);
  }

  @Test
  void silentNodeTimesOutAsUnreachable() throws IOException {
    // accepts connections (backlog) and never answers: a hung node
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      ChainAdapter adapter =
          adapterFor(
              URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/"),
              Duration.ofMillis(500));

      ChainRpcException e =
          assertTimeoutPreemptively(
              Duration.ofSeconds(10), () -> assertThrows(ChainRpcException.class, adapter::status));
      assertEquals(ChainRpcException.UNREACHABLE, e.code(), e::getMessage);
    }
  }

  @Test
  void rpcErrorCarriesTheNodesCodeAndMessage() {
    NodeError error = nodeError();

    ChainRpcException e = assertThrows(ChainRpcException.class, error.adapter()::status);
    assertTrue(
        e.getMessage().contains(error.message()),
        () -> "message '" + e.getMessage() + "' lacks the node's '" + error.message() + "'");
    assertEquals(error.code(), e.code(), e::getMessage);
  }

  @Test
  void adapterIsSafeToCallConcurrently() throws Exception {
    // the snapshotter's health gate and a REST status call may read the same node at once
    Tip reference = referenceTip();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<ChainStatus>> futures = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        futures.add(pool.submit(() -> adapter().status()));
      }
      for (Future<ChainStatus> future : futures) {
        ChainStatus status = future.get(60, TimeUnit.SECONDS);
        assertEquals(reference, new Tip(status.height(), status.bestBlockHash()));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A loopback port that nothing listens on. */
  protected static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
