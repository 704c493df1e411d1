package io.chainsnap.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Chain adapter for Monero (monerod). {@code status()} is one JSON-RPC {@code get_info} call (so
 * height and hash belong together); {@code flush()} is {@code /save_bc}, which makes monerod write
 * its LMDB database to disk, followed by a fresh {@code get_info}.
 *
 * <ul>
 *   <li>height: {@code get_info.height} counts blocks (genesis included), so the best block is
 *       {@code height - 1}; that is the number {@code get_last_block_header} and explorers show.
 *   <li>hash: {@code top_block_hash}, lower-case hex.
 *   <li>syncing: {@code busy_syncing}, or not {@code synchronized}, or {@code untrusted} (the
 *       answer came from a bootstrap daemon because the node itself is not synced).
 *   <li>peers: {@code outgoing_connections_count + incoming_connections_count}.
 *   <li>version: {@code monerod <version>}.
 * </ul>
 *
 * <p>Credentials, when given, are sent as monerod's {@code --rpc-login} wants them (HTTP digest).
 * monerod has no switch to go offline at run time, so {@link #setNetworkActive} is a no-op.
 */
public final class MoneroChainAdapter implements ChainAdapter {
  private final NodeHttp http;
  private final JsonRpc2 rpc;

  /**
   * @param endpoint the daemon's RPC base URL, e.g. {@code http://127.0.0.1:18081}
   * @param user {@code --rpc-login} user, or null for none
   * @param password {@code --rpc-login} password
   * @param timeout limit for each call
   */
  public MoneroChainAdapter(URI endpoint, String user, String password, Duration timeout) {
    this.http = new NodeHttp(endpoint, user, password, timeout);
    this.rpc = new JsonRpc2(http, "json_rpc");
  }

  @Override
  public ChainStatus status() {
    String what = "get_info";
    JsonNode info = rpc.call(what, null);
    checkStatus(info, what);
    long blocks = Fields.number(info, what, "height");
    if (blocks < 1) {
      throw Fields.bad(what, "height " + blocks + " counts no block at all");
    }
    boolean syncing =
        Fields.bool(info, what, "busy_syncing")
            || !Fields.bool(info, what, "synchronized")
            || info.path("untrusted").asBoolean(false);
    long peers =
        Fields.number(info, what, "outgoing_connections_count")
            + Fields.number(info, what, "incoming_connections_count");
    return new ChainStatus(
        blocks - 1,
        Fields.text(info, what, "top_block_hash"),
        syncing,
        Fields.count(peers, what, "connections"),
        "monerod " + Fields.text(info, what, "version"));
  }

  /** {@code /save_bc} (the database is on disk when it answers), then the tip now. */
  @Override
  public ChainStatus flush() {
    String what = "save_bc";
    JsonNode answer =
        NodeHttp.parse(http.post("save_bc", "{}".getBytes(StandardCharsets.UTF_8), what), what);
    checkStatus(answer, what);
    return status();
  }

  /** monerod answers {@code status: "OK"} or a reason ({@code BUSY}, a failure text). */
  private static void checkStatus(JsonNode answer, String what) {
    String status = answer.path("status").asText("");
    if (!"OK".equals(status)) {
      throw new ChainRpcException(
          what + ": node answered status '" + status + "'", ChainRpcException.BAD_ANSWER);
    }
  }
}
