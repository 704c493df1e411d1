package io.chainsnap.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Quarkus test resource: a real litecoind regtest node with a deterministic chain of {@value
 * #INITIAL_BLOCKS} blocks, in a temporary directory. Its settings are exposed as {@code
 * chainsnap.test.litecoin.*} properties for {@code application.properties} to reference.
 */
public class LitecoinResource implements QuarkusTestResourceLifecycleManager {
  /** Blocks mined before the tests start. */
  public static final int INITIAL_BLOCKS = 200;

  private static volatile LitecoinNode current;

  private LitecoinNode node;
  private Path dir;

  @Override
  public Map<String, String> start() {
    try {
      dir = Files.createTempDirectory("chainsnap-litecoin-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    node = LitecoinNode.start(dir.resolve("node"), 0);
    node.mineTo(INITIAL_BLOCKS);
    current = node;
    return Map.of(
        "chainsnap.test.litecoin.binary", Components.litecoind().toString(),
        "chainsnap.test.litecoin.data-dir", node.dataDir().toString(),
        "chainsnap.test.litecoin.rpc-port", String.valueOf(node.rpcPort()),
        "chainsnap.test.litecoin.rpc-user", LitecoinNode.RPC_USER,
        "chainsnap.test.litecoin.rpc-password", LitecoinNode.RPC_PASSWORD,
        "chainsnap.test.litecoin.args", String.join(",", LitecoinNode.regtestArgs()));
  }

  @Override
  public void stop() {
    try {
      if (node != null) {
        node.close();
      }
    } finally {
      current = null;
      node = null;
      Components.deleteRecursively(dir);
    }
  }

  /** The running node (same class loader as the resource). */
  public static LitecoinNode node() {
    LitecoinNode node = current;
    if (node == null) {
      throw new IllegalStateException("no LitecoinResource node is running");
    }
    return node;
  }
}
