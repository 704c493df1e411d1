package io.chainsnap.chain;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainsnap.chain.FixtureHttpServer.Answer;
import java.net.URI;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link SubstrateChainAdapter} against <b>documented-shape fixtures, not a real node</b>: a local
 * JSON-RPC server answers {@code chain_getHeader}, {@code chain_getBlockHash}, {@code
 * system_health}, {@code system_name} and {@code system_version} with hand-written JSON shaped like
 * a Polkadot node's documented answers ({@code fixtures/substrate/}). {@code chain_getBlockHash}
 * answers for the block number asked, and {@code null} for unknown ones, as Substrate does.
 */
class SubstrateChainAdapterTest extends AbstractChainAdapterTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final FixtureChain chain = substrateChain();
  private FixtureHttpServer node;
  private FixtureHttpServer syncingNode;
  private FixtureHttpServer failingNode;

  private static FixtureChain substrateChain() {
    return new FixtureChain("substrate", 23_145_872L, 12, b -> "0x" + HexFormat.of().formatHex(b));
  }

  @BeforeAll
  void startFixtures() {
    node = serve(chain, false);
    syncingNode = serve(substrateChain().syncing(true), false);
    failingNode = serve(substrateChain(), true);
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
    FixtureHttpServer server = FixtureHttpServer.start();
    for (String method :
        new String[] {
          "chain_getHeader", "chain_getBlockHash", "system_health", "system_name", "system_version"
        }) {
      server.jsonRpc(
          "/",
          method,
          (id, params) -> {
            if (fails) {
              return Answer.json(FixtureHttpServer.fill("substrate/error.json", Map.of("id", id)));
            }
            return Answer.json(answer(chain, method, id, params));
          });
    }
    return server;
  }

  private static String answer(FixtureChain chain, String method, String id, JsonNode params) {
    long height = chain.height();
    return switch (method) {
      case "chain_getHeader" ->
          FixtureHttpServer.fill(
              "substrate/chain_getHeader.json",
              Map.of(
                  "id",
                  id,
                  "numberHex",
                  "0x" + Long.toHexString(height),
                  "parentHash",
                  chain.hashAt(height - 1)));
      case "chain_getBlockHash" -> {
        long asked =
            params.path(0).isTextual()
                ? Long.parseLong(params.path(0).asText().substring(2), 16)
                : params.path(0).asLong(-1);
        yield asked >= 0 && asked <= height
            ? FixtureHttpServer.fill(
                "substrate/chain_getBlockHash.json", Map.of("id", id, "hash", chain.hashAt(asked)))
            : "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":null}";
      }
      case "system_health" ->
          FixtureHttpServer.fill(
              "substrate/system_health.json",
              Map.of("id", id, "peers", chain.peers(), "syncing", chain.syncing()));
      default -> FixtureHttpServer.fill("substrate/" + method + ".json", Map.of("id", id));
    };
  }

  @Override
  protected ChainAdapter adapter() {
    return new SubstrateChainAdapter(node.uri(), null, null, TIMEOUT);
  }

  @Override
  protected ChainAdapter adapterFor(URI endpoint, Duration timeout) {
    return new SubstrateChainAdapter(endpoint, null, null, timeout);
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
    return 12;
  }

  @Override
  protected Pattern hashFormat() {
    return Pattern.compile("0x[0-9a-f]{64}");
  }

  @Override
  protected Pattern versionFormat() {
    return Pattern.compile("Parity Polkadot \\d+\\.\\d+\\.\\d+-[0-9a-f]+");
  }

  @Override
  protected NodeError nodeError() {
    return new NodeError(
        new SubstrateChainAdapter(failingNode.uri(), null, null, TIMEOUT),
        -32601,
        "Method not found");
  }

  @Override
  protected Optional<ChainAdapter> syncingNode() {
    return Optional.of(new SubstrateChainAdapter(syncingNode.uri(), null, null, TIMEOUT));
  }
}
