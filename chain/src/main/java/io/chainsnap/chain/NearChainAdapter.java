package io.chainsnap.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Chain adapter for NEAR (nearcore).
 *
 * <ul>
 *   <li>height, hash, syncing: {@code GET /status}, {@code sync_info.latest_block_height}, {@code
 *       latest_block_hash} (base58) and {@code syncing}; nearcore answers 503 with an empty body
 *       when it cannot tell.
 *   <li>version: {@code version.version} and {@code version.build} of the same answer.
 *   <li>peers: {@code num_active_peers} of the JSON-RPC method {@code network_info} ({@code POST
 *       /}), whose errors carry NEAR's structured {@code name}/{@code cause}.
 * </ul>
 *
 * <p>nearcore has no RPC flush or network switch.
 */
public final class NearChainAdapter implements ChainAdapter {
  private final NodeHttp http;
  private final JsonRpc2 rpc;

  /**
   * @param endpoint the RPC base URL, e.g. {@code http://127.0.0.1:3030}
   * @param user HTTP basic user (a proxy in front of the node), or null
   * @param password HTTP basic password
   * @param timeout limit for each call
   */
  public NearChainAdapter(URI endpoint, String user, String password, Duration timeout) {
    this.http = new NodeHttp(endpoint, user, password, timeout);
    this.rpc = new JsonRpc2(http, "");
  }

  @Override
  public ChainStatus status() {
    String what = "GET /status";
    NodeHttp.Response response = http.get("status", what);
    if (response.status() != 200) {
      throw new ChainRpcException(
          what
              + ": HTTP "
              + response.status()
              + (response.body().length == 0
                  ? " (node cannot report status)"
                  : ": " + response.snippet()),
          response.status());
    }
    JsonNode status = NodeHttp.parse(response, what);
    JsonNode sync = Fields.required(status, what, "sync_info");
    JsonNode version = Fields.required(status, what, "version");
    String build = version.path("build").asText("");
    JsonNode network = rpc.call("network_info", List.of());
    long peers = Fields.number(network, "network_info", "num_active_peers");
    return new ChainStatus(
        Fields.number(sync, what, "latest_block_height"),
        Fields.text(sync, what, "latest_block_hash"),
        Fields.bool(sync, what, "syncing"),
        Fields.count(peers, "network_info", "num_active_peers"),
        "nearcore "
            + Fields.text(version, what, "version")
            + (build.isEmpty() ? "" : " (build " + build + ")"));
  }
}
