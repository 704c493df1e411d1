package io.chainsnap.events;

import io.chainsnap.domain.Mode;

/**
 * What a snapshot is of.
 *
 * @param chain chain family and chain, e.g. {@code litecoin}
 * @param network e.g. {@code mainnet}, {@code regtest}
 * @param mode what it keeps of the chain's history
 */
public record SnapshotTarget(String chain, String network, Mode mode) {
  /** {@code chain/network/mode}, the prefix of the snapshot's object keys. */
  public String path() {
    return chain + "/" + network + "/" + mode.wireName();
  }
}
