package io.chainsnap.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;

/**
 * Chain adapter for CometBFT (and Tendermint) nodes, over the RPC's URI endpoints ({@code GET},
 * with JSON-RPC 2.0 envelopes in the answers).
 *
 * <ul>
 *   <li>height, hash, syncing: {@code GET /status}, {@code sync_info.latest_block_height} (a
 *       decimal string), {@code latest_block_hash} (upper-case hex) and {@code catching_up}.
 *   <li>version: {@code CometBFT <node_info.version>}.
 *   <li>peers: {@code n_peers} (a decimal string) of {@code GET /net_info}.
 * </ul>
 *
 * <p>The application (Cosmos SDK and others) owns its own database next to CometBFT's: there is no
 * RPC flush and no network switch.
 */
public final class CometBftChainAdapter implements ChainAdapter {
  private final NodeHttp http;

  /**
   * @param endpoint the RPC base URL, e.g. {@code http://127.0.0.1:26657}
   * @param user HTTP basic user (a proxy in front of the node), or null
   * @param password HTTP basic password
   * @param timeout limit for each call
   */
  public CometBftChainAdapter(URI endpoint, String user, String password, Duration timeout) {
    this.http = new NodeHttp(endpoint, user, password, timeout);
  }

  @Override
  public ChainStatus status() {
    String what = "GET /status";
    JsonNode status = JsonRpc2.result(what, http.get("status", what));
    JsonNode sync = Fields.required(status, what, "sync_info");
    JsonNode node = Fields.required(status, what, "node_info");
    String netWhat = "GET /net_info";
    JsonNode net = JsonRpc2.result(netWhat, http.get("net_info", netWhat));
    long peers = Fields.decimalString(net, netWhat, "n_peers");
    return new ChainStatus(
        Fields.decimalString(sync, what, "latest_block_height"),
        Fields.text(sync, what, "latest_block_hash"),
        Fields.bool(sync, what, "catching_up"),
        Fields.count(peers, netWhat, "n_peers"),
        "CometBFT " + Fields.text(node, what, "version"));
  }
}
