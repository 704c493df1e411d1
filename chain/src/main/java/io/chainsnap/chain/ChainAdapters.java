package io.chainsnap.chain;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** Creates a {@link ChainAdapter} from its configured name. */
public final class ChainAdapters {
  /** The known adapter names, in the order they are listed in error messages. */
  public static final List<String> NAMES =
      List.of("bitcoin-core", "monero", "ethereum", "near", "substrate", "tezos", "cometbft");

  private ChainAdapters() {}

  /**
   * The adapter called {@code adapter} for the node at {@code endpoint}.
   *
   * @param adapter one of {@link #NAMES}
   * @param endpoint the node's RPC URL (for REST-style APIs the base under which their paths lie)
   * @param user RPC user, or null/blank for none
   * @param password RPC password
   * @param timeout limit for each call to the node
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static ChainAdapter create(
      String adapter, URI endpoint, String user, String password, Duration timeout) {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(timeout, "timeout");
    String name = adapter == null ? "" : adapter.strip();
    return switch (name) {
      case "bitcoin-core" ->
          new BitcoinCoreChainAdapter(
              new BitcoinCoreRpc(
                  endpoint, user == null ? "" : user, password == null ? "" : password, timeout));
      case "monero" -> new MoneroChainAdapter(endpoint, user, password, timeout);
      case "ethereum" -> new EthereumChainAdapter(endpoint, user, password, timeout);
      case "near" -> new NearChainAdapter(endpoint, user, password, timeout);
      case "substrate" -> new SubstrateChainAdapter(endpoint, user, password, timeout);
      case "tezos" -> new TezosChainAdapter(endpoint, user, password, timeout);
      case "cometbft" -> new CometBftChainAdapter(endpoint, user, password, timeout);
      default ->
          throw new IllegalArgumentException(
              "unknown chain adapter '"
                  + adapter
                  + "'; known adapters: "
                  + String.join(", ", NAMES));
    };
  }
}
