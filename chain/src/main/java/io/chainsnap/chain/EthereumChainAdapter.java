package io.chainsnap.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Chain adapter for Ethereum JSON-RPC (geth, Nethermind, Erigon, Besu, Reth, ganache).
 *
 * <ul>
 *   <li>height and hash: {@code eth_getBlockByNumber("latest", false)}: {@code number} and {@code
 *       hash} of one block object, so the two cannot come from different blocks (a separate {@code
 *       eth_blockNumber} could be one block ahead of the hash).
 *   <li>syncing: {@code eth_syncing} is {@code false} or a progress object.
 *   <li>peers: {@code net_peerCount}; version: {@code web3_clientVersion}.
 * </ul>
 *
 * <p>Execution clients write state as they go and flush on a clean stop; there is no RPC flush and
 * no network switch in the standard API, so {@code flush()} is {@code status()} and {@link
 * #setNetworkActive} is a no-op.
 */
public final class EthereumChainAdapter implements ChainAdapter {
  private final JsonRpc2 rpc;

  /**
   * @param endpoint the JSON-RPC URL, e.g. {@code http://127.0.0.1:8545}
   * @param user HTTP basic user (a proxy in front of the node), or null
   * @param password HTTP basic password
   * @param timeout limit for each call
   */
  public EthereumChainAdapter(URI endpoint, String user, String password, Duration timeout) {
    this.rpc = new JsonRpc2(new NodeHttp(endpoint, user, password, timeout), "");
  }

  @Override
  public ChainStatus status() {
    String what = "eth_getBlockByNumber";
    JsonNode block = rpc.call(what, List.of("latest", false));
    if (!block.isObject()) {
      throw Fields.bad(what, "no latest block: " + block);
    }
    long height = JsonRpc2.hexQuantity(Fields.required(block, what, "number"), what);
    String hash = Fields.text(block, what, "hash");
    JsonNode syncing = rpc.call("eth_syncing", List.of());
    long peers = JsonRpc2.hexQuantity(rpc.call("net_peerCount", List.of()), "net_peerCount");
    JsonNode version = rpc.call("web3_clientVersion", List.of());
    if (!version.isTextual()) {
      throw Fields.bad("web3_clientVersion", "not a string: " + version);
    }
    return new ChainStatus(
        height,
        hash,
        !(syncing.isBoolean() && !syncing.asBoolean()),
        Fields.count(peers, "net_peerCount", "result"),
        version.asText());
  }
}
