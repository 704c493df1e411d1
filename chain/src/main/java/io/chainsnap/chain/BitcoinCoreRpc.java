package io.chainsnap.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
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
  private static final int CONNECT_TIMEOUT_MILLIS = 5000;

  private final URI endpoint;
  private final String authorization;
  private final Duration timeout;

  public BitcoinCoreRpc(URI endpoint, String user, String password, Duration timeout) {
    this.endpoint = endpoint;
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    this.timeout = timeout;
  }

  public URI endpoint() {
    return endpoint;
  }

  /** The request {@link #call} would make, spelled out for another process to make. */
  HttpCall request(String method, Object... params) {
    return new HttpCall(
        endpoint,
        authorization,
        "text/plain",
        new String(body(method, params), java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The JSON-RPC 1.0 body of {@code method} with positional parameters. */
  private static byte[] body(String method, Object... params) {
    ObjectNode request = JSON.createObjectNode();
    request.put("jsonrpc", "1.0");
    request.put("id", "chainsnap");
    request.put("method", method);
    ArrayNode array = request.putArray("params");
    for (Object param : params) {
      array.add(JSON.valueToTree(param));
    }
    try {
      return JSON.writeValueAsBytes(request);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("parameters of " + method + " are not JSON", e);
    }
  }

  /** Calls {@code method} with positional parameters and returns its {@code result}. */
  public JsonNode call(String method, Object... params) {
    Response response;
    try {
      response = post(body(method, params));
    } catch (IOException e) {
      throw new ChainRpcException(
          method + ": node at " + endpoint + " not reachable: " + e, UNREACHABLE, e);
    }
    if (response.status() == 401 || response.status() == 403) {
      throw new ChainRpcException(
          method + ": RPC credentials refused by " + endpoint, response.status());
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new ChainRpcException(
          method + ": not a JSON-RPC answer (HTTP " + response.status() + ")",
          response.status(),
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

  private record Response(int status, String body) {}

  /**
   * One HTTP/1.0 POST on a fresh connection, closed after the answer. Deliberately not a pooled
   * HTTP/1.1 client: the node's shutdown waits for idle keep-alive RPC connections to time out
   * ({@code -rpcservertimeout}, 30 s by default), which would add half a minute of downtime to
   * every snapshot.
   */
  private Response post(byte[] body) throws IOException {
    int port = endpoint.getPort() > 0 ? endpoint.getPort() : 80;
    String path =
        endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty()
            ? "/"
            : endpoint.getRawPath();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(endpoint.getHost(), port), CONNECT_TIMEOUT_MILLIS);
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      OutputStream out = socket.getOutputStream();
      String head =
          "POST "
              + path
              + " HTTP/1.0\r\n"
              + "Host: "
              + endpoint.getHost()
              + ":"
              + port
              + "\r\n"
              + "Authorization: "
              + authorization
              + "\r\n"
              + "Content-Type: application/json\r\n"
              + "Content-Length: "
              + body.length
              + "\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      byte[] answer = socket.getInputStream().readAllBytes();
      String text = new String(answer, StandardCharsets.UTF_8);
      int headerEnd = text.indexOf("\r\n\r\n");
      if (!text.startsWith("HTTP/") || headerEnd < 0) {
        throw new IOException("not an HTTP answer");
      }
      String[] statusLine = text.substring(0, text.indexOf("\r\n")).split(" ", 3);
      return new Response(Integer.parseInt(statusLine[1]), text.substring(headerEnd + 4));
    }
  }
}
