package io.chainsnap.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Quarkus test resource: a real litecoind regtest node with a deterministic chain of {@value
 * #INITIAL_BLOCKS} blocks (init arg {@code blocks}), in a temporary directory. Its settings are
 * exposed as {@code chainsnap.test.<name>.*} properties for {@code application.properties} to
 * reference; {@code name} is an init arg, {@code litecoin} by default, so a test can run a second
 * node (a reference) beside the first.
 */
public class LitecoinResource implements QuarkusTestResourceLifecycleManager {
  /** Blocks mined before the tests start. */
  public static final int INITIAL_BLOCKS = 200;

  private static final Map<String, LitecoinNode> RUNNING =
      new java.util.concurrent.ConcurrentHashMap<>();

  private LitecoinNode node;
  private Path dir;
  private String name = "litecoin";
  private int blocks = INITIAL_BLOCKS;

  @Override
  public void init(Map<String, String> initArgs) {
    name = initArgs.getOrDefault("name", name);
    blocks = Integer.parseInt(initArgs.getOrDefault("blocks", String.valueOf(blocks)));
  }

  @Override
  public Map<String, String> start() {
    try {
      dir = Files.createTempDirectory("chainsnap-litecoin-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    node = LitecoinNode.start(dir.resolve("node"), 0);
    node.mineTo(blocks);
    RUNNING.put(name, node);
    String p = "chainsnap.test." + name + ".";
    Map<String, String> props = new java.util.LinkedHashMap<>();
    props.put(p + "binary", Components.litecoind().toString());
    props.put(p + "data-dir", node.dataDir().toString());
    props.put(p + "rpc-port", String.valueOf(node.rpcPort()));
    props.put(p + "rpc-url", "http://127.0.0.1:" + node.rpcPort() + "/");
    props.put(p + "rpc-user", LitecoinNode.RPC_USER);
    props.put(p + "rpc-password", LitecoinNode.RPC_PASSWORD);
    props.put(p + "args", String.join(",", LitecoinNode.regtestArgs()));
    // shell hooks an operator could write for this node (the exec controller's commands)
    String pidFile = node.daemon().config().chainDir().resolve("chainsnap-node.pid").toString();
    props.put(
        p + "start-command",
        node.daemon().command().stream()
            .map(arg -> "'" + arg.replace("'", "'\\''") + "'")
            .collect(java.util.stream.Collectors.joining(" ")));
    props.put(
        p + "stop-command",
        "curl -fsS --user "
            + LitecoinNode.RPC_USER
            + ":"
            + LitecoinNode.RPC_PASSWORD
            + " --data '{\"method\":\"stop\",\"params\":[]}' http://127.0.0.1:"
            + node.rpcPort()
            + "/ >/dev/null");
    props.put(p + "status-command", "test -e " + pidFile + " && kill -0 $(cat " + pidFile + ")");
    props.put(p + "pid-command", "cat " + pidFile);
    return props;
  }

  @Override
  public void stop() {
    try {
      if (node != null) {
        node.close();
      }
    } finally {
      RUNNING.remove(name, node);
      node = null;
      Components.deleteRecursively(dir);
    }
  }

  /** The running node named {@code litecoin} (same class loader as the resource). */
  public static LitecoinNode node() {
    return node("litecoin");
  }

  /** The running node of that name. */
  public static LitecoinNode node(String name) {
    LitecoinNode node = RUNNING.get(name);
    if (node == null) {
      throw new IllegalStateException("no LitecoinResource node named " + name + " is running");
    }
    return node;
  }
}
