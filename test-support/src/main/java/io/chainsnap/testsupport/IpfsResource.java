package io.chainsnap.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Quarkus test resource: a real js-ipfs node (offline, loopback ports) with a fresh repository in a
 * temporary directory, exposed as {@code chainsnap.test.ipfs.api-url} and {@code
 * chainsnap.test.ipfs.gateway-url}.
 */
public class IpfsResource implements QuarkusTestResourceLifecycleManager {
  private static volatile IpfsNode current;

  private IpfsNode node;
  private Path dir;

  @Override
  public Map<String, String> start() {
    try {
      dir = Files.createTempDirectory("chainsnap-ipfs-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    node = IpfsNode.start(dir.resolve("repo"), IpfsNode.defaultJsipfs());
    current = node;
    return Map.of(
        "chainsnap.test.ipfs.api-url", node.apiUrl(),
        "chainsnap.test.ipfs.gateway-url", node.gatewayUrl());
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
  public static IpfsNode node() {
    IpfsNode node = current;
    if (node == null) {
      throw new IllegalStateException("no IpfsResource node is running");
    }
    return node;
  }
}
