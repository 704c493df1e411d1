package io.chainsnap.chain;

import io.chainsnap.chain.FixtureHttpServer.Answer;
import java.net.URI;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link CometBftChainAdapter} against <b>documented-shape fixtures, not a real node</b>: a local
 * HTTP server answers CometBFT's URI endpoints {@code /status} and {@code /net_info} with
 * hand-written JSON shaped like the documented answers ({@code fixtures/cometbft/}): JSON-RPC 2.0
 * envelopes with {@code id} -1, 64-bit numbers as decimal strings, upper-case hex hashes, and an
 * error envelope with HTTP 500 for failures.
 */
class CometBftChainAdapterTest extends AbstractChainAdapterTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final FixtureChain chain = cometChain();
  private FixtureHttpServer node;
  private FixtureHttpServer syncingNode;
  private FixtureHttpServer failingNode;

  private static FixtureChain cometChain() {
    return new FixtureChain(
        "cometbft", 1_049L, 2, b -> HexFormat.of().formatHex(b).toUpperCase(Locale.ROOT));
  }

  @BeforeAll
  void startFixtures() {
    node = serve(chain, false);
    syncingNode = serve(cometChain().syncing(true), false);
    failingNode = serve(cometChain(), true);
  }

  @AfterAll
  void stopFixtures() {
    for (FixtureHttpServer server : new FixtureHttpServer[] {node, syncingNode, failingNode}) {
      if (server != null) {
        server.close();
      }
    }
  }

  private static FixtureHttpServer serve(FixtureChain chain, boolean fails) {
    Answer error = new Answer(500, FixtureHttpServer.fill("cometbft/error.json", Map.of()));
    return FixtureHttpServer.start()
        .get(
            "/status",
            () -> {
              if (fails) {
                return error;
              }
              long height = chain.height();
              return Answer.json(
                  FixtureHttpServer.fill(
                      "cometbft/status.json",
                      Map.of(
                          "height", height,
                          "hash", chain.hashAt(height),
                          "syncing", chain.syncing())));
            })
        .get(
            "/net_info",
            () ->
                fails
                    ? error
                    : Answer.json(
                        FixtureHttpServer.fill(
                            "cometbft/net_info.json", Map.of("peers", chain.peers()))));
  }

  @Override
  protected ChainAdapter adapter() {
    return new CometBftChainAdapter(node.uri(), null, null, TIMEOUT);
  }

  @Override
  protected ChainAdapter adapterFor(URI endpoint, Duration timeout) {
    return new CometBftChainAdapter(endpoint, null, null, timeout);
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
    return 2;
  }

  @Override
  protected Pattern hashFormat() {
    return Pattern.compile("[0-9A-F]{64}");
  }

  @Override
  protected Pattern versionFormat() {
    return Pattern.compile("CometBFT \\d+\\.\\d+\\.\\d+");
  }

  @Override
  protected NodeError nodeError() {
    return new NodeError(
        new CometBftChainAdapter(failingNode.uri(), null, null, TIMEOUT),
        -32603,
        "Internal error: failed to load block meta at height 1049");
  }

  @Override
  protected Optional<ChainAdapter> syncingNode() {
    return Optional.of(new CometBftChainAdapter(syncingNode.uri(), null, null, TIMEOUT));
  }
}
