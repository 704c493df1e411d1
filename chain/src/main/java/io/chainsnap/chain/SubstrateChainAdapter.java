package io.chainsnap.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Chain adapter for Substrate nodes (Polkadot, Kusama, parachains) over their JSON-RPC API.
 *
 * <ul>
 *   <li>height: {@code chain_getHeader} (best block), {@code number} in hex.
 *   <li>hash: {@code chain_getBlockHash(number)}: the hash of that very block ({@code 0x} hex);
 *       hashing the header ourselves would need SCALE and BLAKE2.
 *   <li>syncing and peers: {@code system_health} ({@code isSyncing}, {@code peers}).
 *   <li>version: {@code system_name} and {@code system_version}.
 * </ul>
 *
 * <p>Substrate has no RPC flush (RocksDB/ParityDB commit per block) and no network switch.
 */
public final class SubstrateChainAdapter implements ChainAdapter {
  private final JsonRpc2 rpc;

  /**
   * @param endpoint the JSON-RPC URL, e.g. {@code http://127.0.0.1:9944}
   * @param user HTTP basic user (a proxy in front of the node), or null
   * @param password HTTP basic password
   * @param timeout limit for each call
   */
  public SubstrateChainAdapter(URI endpoint, String user, String password, Duration timeout) {
    this.rpc = new JsonRpc2(new NodeHttp(endpoint, user, password, timeout), "");
  }

  @Override
  public ChainStatus status() {
    JsonNode header = rpc.call("chain_getHeader", List.of());
    long height =
        JsonRpc2.hexQuantity(
            Fields.required(header, "chain_getHeader", "number"), "chain_getHeader");
    JsonNode hash = rpc.call("chain_getBlockHash", List.of(height));
    if (!hash.isTextual() || hash.asText().isEmpty()) {
      throw Fields.bad("chain_getBlockHash", "no hash for block " + height + ": " + hash);
    }
    String what = "system_health";
    JsonNode health = rpc.call(what, List.of());
    long peers = Fields.number(health, what, "peers");
    return new ChainStatus(
        height,
        hash.asText(),
        Fields.bool(health, what, "isSyncing"),
        Fields.count(peers, what, "peers"),
        text(rpc.call("system_name", List.of()), "system_name")
            + " "
            + text(rpc.call("system_version", List.of()), "system_version"));
  }

  private static String text(JsonNode value, String what) {
    if (!value.isTextual() || value.asText().isEmpty()) {
      throw Fields.bad(what, "not a string: " + value);
    }
    return value.asText();
  }
}
