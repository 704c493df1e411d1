package io.chainsnap.chain;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * {@link TezosChainAdapter} against <b>documented-shape fixtures, not a real node</b>: a local HTTP
 * server answers Octez's {@code /chains/main/is_bootstrapped}, {@code
 * /chains/main/blocks/head/header}, {@code /network/connections} and {@code /version} with
 * hand-written JSON shaped like the documented answers ({@code fixtures/tezos/}), hashes in Tezos'
 * base58check, and failures as Octez sends them: HTTP 500 with a JSON list of errors.
 */
class TezosChainAdapterTest extends AbstractChainAdapterTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final FixtureChain chain = tezosChain();
  private FixtureHttpServer node;
  private FixtureHttpServer syncingNode;
  private FixtureHttpServer stuckNode;
  private FixtureHttpServer failingNode;

  private static FixtureChain tezosChain() {
    return new FixtureChain(
        "tezos", 7_412_305L, 2, b -> FixtureHashes.base58check(FixtureHashes.TEZOS_BLOCK, b));
  }

  @BeforeAll
  void startFixtures() {
    node = serve(chain, true, "synced", false);
    syncingNode = serve(tezosChain(), false, "unsynced", false);
    stuckNode = serve(tezosChain(), true, "stuck", false);
    failingNode = serve(tezosChain(), true, "synced", true);
  }

  @AfterAll
  void stopFixtures() {
    for (FixtureHttpServer server :
        new FixtureHttpServer[] {node, syncingNode, stuckNode, failingNode}) {
      if (server != null) {
        server.close();
      }
    }
  }

  private static FixtureHttpServer serve(
      FixtureChain chain, boolean bootstrapped, String syncState, boolean fails) {
    FixtureHttpServer server = FixtureHttpServer.start();
    Answer error = new Answer(500, FixtureHttpServer.fill("tezos/error.json", Map.of()));
    server.get(
        "/chains/main/blocks/head/header",
        () -> {
          if (fails) {
            return error;
          }
          long height = chain.height();
          return Answer.json(
              FixtureHttpServer.fill(
                  "tezos/header.json",
                  Map.of(
                      "height", height,
                      "hash", chain.hashAt(height),
                      "predecessor", chain.hashAt(height - 1),
                      "fitnessLevel", String.format("%08x", height))));
        });
    server.get(
        "/chains/main/is_bootstrapped",
        () ->
            fails
                ? error
                : Answer.json(
                    FixtureHttpServer.fill(
                        "tezos/is_bootstrapped.json",
                        Map.of("bootstrapped", bootstrapped, "syncState", syncState))));
    server.get(
        "/network/connections",
        () ->
            fails
                ? error
                : Answer.json(FixtureHttpServer.fill("tezos/connections.json", Map.of())));
    server.get(
        "/version",
        () -> fails ? error : Answer.json(FixtureHttpServer.fill("tezos/version.json", Map.of())));
    return server;
  }

  @Override
  protected ChainAdapter adapter() {
    return new TezosChainAdapter(node.uri(), null, null, TIMEOUT);
  }

  @Override
  protected ChainAdapter adapterFor(URI endpoint, Duration timeout) {
    return new TezosChainAdapter(endpoint, null, null, timeout);
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
    return Pattern.compile("B[1-9A-HJ-NP-Za-km-z]{50}");
  }

  @Override
  protected Pattern versionFormat() {
    return Pattern.compile("Octez \\d+\\.\\d+");
  }

  @Override
  protected NodeError nodeError() {
    return new NodeError(
        new TezosChainAdapter(failingNode.uri(), null, null, TIMEOUT),
        500,
        "failure: Unable to read the current head: the store is locked by a merge");
  }

  @Override
  protected Optional<ChainAdapter> syncingNode() {
    return Optional.of(new TezosChainAdapter(syncingNode.uri(), null, null, TIMEOUT));
  }

  @Test
  void stuckNodeCountsAsSyncing() {
    // bootstrapped once, but the chain validator sees no progress: not a node to snapshot
    assertTrue(new TezosChainAdapter(stuckNode.uri(), null, null, TIMEOUT).status().syncing());
  }
}
