package io.chainsnap.events;

/**
 * What a snapshot is of.
 *
 * @param chain chain family and chain, e.g. {@code litecoin}
 * @param network e.g. {@code mainnet}, {@code regtest}
 * @param mode {@code archive}, {@code full} or {@code pruned}
 */
public record SnapshotTarget(String chain, String network, String mode) {
  /** {@code chain/network/mode}, the prefix of the snapshot's object keys. */
  public String path() {
    return chain + "/" + network + "/" + mode;
  }
}
