package io.chainsnap.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.chainsnap.chain.FixtureHttpServer.Answer;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link NearChainAdapter} against <b>documented-shape fixtures, not a real node</b>: a local HTTP
 * server answers {@code GET /status} and the JSON-RPC method {@code network_info} with hand-written
 * JSON shaped like nearcore's documented answers ({@code fixtures/near/}), including nearcore's
 * structured error ({@code name}, {@code cause}) and its empty 503 when it cannot report status.
 */
class NearChainAdapterTest extends AbstractChainAdapterTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final FixtureChain chain = nearChain();
  private FixtureHttpServer node;
  private FixtureHttpServer syncingNode;
  private FixtureHttpServer failingNode;
  private FixtureHttpServer unavailableNode;

  private static FixtureChain nearChain() {
    return new FixtureChain("near", 104_812_331L, 3, FixtureHashes::base58);
  }

  @BeforeAll
  void startFixtures() {
    node = serve(chain, false, false);
    syncingNode = serve(nearChain().syncing(true), false, false);
    failingNode = serve(nearChain(), true, false);
    unavailableNode = serve(nearChain(), false, true);
  }

  @AfterAll
  void stopFixtures() {
    for (FixtureHttpServer server :
        new FixtureHttpServer[] {node, syncingNode, failingNode, unavailableNode}) {
      if (server != null) {
        server.close();
      }
    }
  }

  private static FixtureHttpServer serve(
      FixtureChain chain, boolean networkInfoFails, boolean statusUnavailable) {
    return FixtureHttpServer.start()
        .get(
            "/status",
            () -> {
              if (statusUnavailable) {
                return new Answer(503, ""); // what nearcore's /status handler sends on any error
              }
              long height = chain.height();
              return Answer.json(
                  FixtureHttpServer.fill(
                      "near/status.json",
                      Map.of(
                          "height", height,
                          "hash", chain.hashAt(height),
                          "syncing", chain.syncing())));
            })
        .jsonRpc(
            "/",
            "network_info",
            (id, params) ->
                networkInfoFails
                    ? new Answer(
                        500,
                        FixtureHttpServer.fill("near/network_info_error.json", Map.of("id", id)))
                    : Answer.json(
                        FixtureHttpServer.fill("near/network_info.json", Map.of("id", id))));
  }

  @Override
  protected ChainAdapter adapter() {
    return new NearChainAdapter(node.uri(), null, null, TIMEOUT);
  }

  @Override
  protected ChainAdapter adapterFor(URI endpoint, Duration timeout) {
    return new NearChainAdapter(endpoint, null, null, timeout);
  }

  @Override
  protected Tip referenceTip() {
    return new Tip(chain.height(), chain.hash());
  }

  @Override
  protected void advance(int blocks) {
    chain.advance(blocks);
  }

  @Override
  protected int expectedPeers() {
    return 3;
  }

  @Override
  protected Pattern hashFormat() {
    return Pattern.compile("[1-9A-HJ-NP-Za-km-z]{43,44}");
  }

  @Override
  protected Pattern versionFormat() {
    return Pattern.compile("nearcore \\d+\\.\\d+\\.\\d+ \\(build .+\\)");
  }

  @Override
  protected NodeError nodeError() {
    return new NodeError(
        new NearChainAdapter(failingNode.uri(), null, null, TIMEOUT),
        -32000,
        "Server error [INTERNAL_ERROR]: PeerManager is not responding");
  }

  @Override
  protected Optional<ChainAdapter> syncingNode() {
    return Optional.of(new NearChainAdapter(syncingNode.uri(), null, null, TIMEOUT));
  }

  @Test
  void statusUnavailableIsTheHttpStatus() {
    ChainAdapter adapter = new NearChainAdapter(unavailableNode.uri(), null, null, TIMEOUT);

    ChainRpcException e = assertThrows(ChainRpcException.class, adapter::status);
    assertEquals(503, e.code(), e::getMessage);
  }
}
