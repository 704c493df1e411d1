package io.chainsnap.chain;

import java.util.function.Function;

/**
 * The state behind a fixture node: a chain that grows when the test says so, with deterministic
 * hashes printed in the chain's own format, a sync flag and a peer count. Not a node.
 */
public final class FixtureChain {
  private final String name;
  private final Function<byte[], String> format;
  private volatile long height;
  private volatile boolean syncing;
  private final int peers;

  /**
   * @param name seed of the hashes (two chains of the same name have the same hashes)
   * @param height the initial tip
   * @param peers connected peers reported
   * @param format how the chain prints 32 hash bytes
   */
  public FixtureChain(String name, long height, int peers, Function<byte[], String> format) {
    this.name = name;
    this.height = height;
    this.peers = peers;
    this.format = format;
  }

  public long height() {
    return height;
  }

  public String hash() {
    return hashAt(height);
  }

  public String hashAt(long height) {
    return format.apply(FixtureHashes.bytes(name + "/" + height));
  }

  public synchronized void advance(int blocks) {
    height += blocks;
  }

  public boolean syncing() {
    return syncing;
  }

  public FixtureChain syncing(boolean syncing) {
    this.syncing = syncing;
    return this;
  }

  public int peers() {
    return peers;
  }
}
