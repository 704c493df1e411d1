package io.chainsnap.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Chain adapter for Tezos (Octez node RPC, REST over HTTP).
 *
 * <ul>
 *   <li>height and hash: {@code GET /chains/main/blocks/head/header}, {@code level} and {@code
 *       hash} (base58, {@code B...}) of one header.
 *   <li>syncing: {@code GET /chains/main/is_bootstrapped}; synced only when {@code bootstrapped} is
 *       true and {@code sync_state} is {@code synced} ({@code unsynced} and {@code stuck} are not).
 *   <li>peers: the length of {@code GET /network/connections}.
 *   <li>version: {@code GET /version}, {@code Octez <major>.<minor>} plus {@code additional_info}
 *       unless it is {@code release}.
 * </ul>
 *
 * <p>Octez reports failures as HTTP 500 with a JSON list of errors ({@code kind}, {@code id}, often
 * {@code msg}); those become the exception's message. No RPC flush, no network switch.
 */
public final class TezosChainAdapter implements ChainAdapter {
  private final NodeHttp http;

  /**
   * @param endpoint the node's RPC base URL, e.g. {@code http://127.0.0.1:8732}
   * @param user HTTP basic user (a proxy in front of the node), or null
   * @param password HTTP basic password
   * @param timeout limit for each call
   */
  public TezosChainAdapter(URI endpoint, String user, String password, Duration timeout) {
    this.http = new NodeHttp(endpoint, user, password, timeout);
  }

  @Override
  public ChainStatus status() {
    String headWhat = "GET /chains/main/blocks/head/header";
    JsonNode header = get("chains/main/blocks/head/header", headWhat);
    String syncWhat = "GET /chains/main/is_bootstrapped";
    JsonNode bootstrap = get("chains/main/is_bootstrapped", syncWhat);
    boolean synced =
        Fields.bool(bootstrap, syncWhat, "bootstrapped")
            && "synced".equals(Fields.text(bootstrap, syncWhat, "sync_state"));
    String peersWhat = "GET /network/connections";
    JsonNode connections = get("network/connections", peersWhat);
    if (!connections.isArray()) {
      throw Fields.bad(peersWhat, "not a list of connections: " + connections);
    }
    return new ChainStatus(
        Fields.number(header, headWhat, "level"),
        Fields.text(header, headWhat, "hash"),
        !synced,
        connections.size(),
        version(get("version", "GET /version")));
  }

  private static String version(JsonNode answer) {
    String what = "GET /version";
    JsonNode version = Fields.required(answer, what, "version");
    String text =
        "Octez "
            + Fields.number(version, what, "major")
            + "."
            + Fields.number(version, what, "minor");
    JsonNode info = version.path("additional_info");
    if (info.isTextual() && !info.asText().isEmpty() && !info.asText().equals("release")) {
      text += " " + info.asText();
    } else if (info.isObject()) {
      text += " " + info;
    }
    return text;
  }

  private JsonNode get(String path, String what) {
    NodeHttp.Response response = http.get(path, what);
    if (response.status() == 200) {
      return NodeHttp.parse(response, what);
    }
    throw new ChainRpcException(what + ": " + errors(response), response.status());
  }

  /** Octez's error list as text ("id: msg; id"), or the HTTP status and body if it is not one. */
  private static String errors(NodeHttp.Response response) {
    JsonNode body;
    try {
      body = NodeHttp.JSON.readTree(response.body());
    } catch (java.io.IOException e) {
      body = null;
    }
    if (body != null && body.isArray() && body.size() > 0) {
      List<String> parts = new ArrayList<>();
      for (JsonNode error : body) {
        String id = error.path("id").asText("");
        String msg = error.path("msg").asText("");
        parts.add(msg.isEmpty() ? id : id.isEmpty() ? msg : id + ": " + msg);
      }
      return String.join("; ", parts) + " (HTTP " + response.status() + ")";
    }
    return "HTTP "
        + response.status()
        + (response.body().length == 0 ? "" : ": " + response.snippet());
  }
}
