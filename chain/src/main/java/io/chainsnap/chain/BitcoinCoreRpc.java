package io.chainsnap.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** JSON-RPC 1.0 client of the Bitcoin Core family (bitcoind, litecoind) over HTTP basic auth. */
public final class BitcoinCoreRpc {
  /** Error code used when the node did not answer at all. */
  public static final int UNREACHABLE = -1;

  /** The node is starting (loading the block index, verifying blocks). */
  public static final int WARMING_UP = -28;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI endpoint;
  private final String authorization;
  private final Duration timeout;
  private final HttpClient http;

  public BitcoinCoreRpc(URI endpoint, String user, String password, Duration timeout) {
    this.endpoint = endpoint;
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  public URI endpoint() {
    return endpoint;
  }

  /** Calls {@code method} with positional parameters and returns its {@code result}. */
  public JsonNode call(String method, Object... params) {
    ObjectNode request = JSON.createObjectNode();
    request.put("jsonrpc", "1.0");
    request.put("id", "chainsnap");
    request.put("method", method);
    ArrayNode array = request.putArray("params");
    for (Object param : params) {
      array.add(JSON.valueToTree(param));
    }
    HttpResponse<String> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(endpoint)
                  .timeout(timeout)
                  .header("Authorization", authorization)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ChainRpcException(
          method + ": node at " + endpoint + " not reachable: " + e, UNREACHABLE, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChainRpcException(method + ": interrupted", UNREACHABLE, e);
    }
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      throw new ChainRpcException(
          method + ": RPC credentials refused by " + endpoint, response.statusCode());
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new ChainRpcException(
          method + ": not a JSON-RPC answer (HTTP " + response.statusCode() + ")",
          response.statusCode(),
          e);
    }
    JsonNode error = body.path("error");
    if (!error.isMissingNode() && !error.isNull()) {
      throw new ChainRpcException(
          method + ": " + error.path("message").asText(), error.path("code").asInt());
    }
    return body.path("result");
  }

  /** True once the node answers RPC calls (not warming up, reachable). */
  public boolean isReady() {
    try {
      call("getblockcount");
      return true;
    } catch (ChainRpcException e) {
      if (e.code() == UNREACHABLE || e.code() == WARMING_UP) {
        return false;
      }
      throw e;
    }
  }
}
