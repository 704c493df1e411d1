package io.chainsnap.chain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JSON-RPC 2.0 over HTTP POST (monerod's {@code /json_rpc}, Ethereum, Substrate, NEAR), and the
 * reading of JSON-RPC 2.0 envelopes that other transports return (CometBFT's URI endpoints).
 */
final class JsonRpc2 {
  private final NodeHttp http;
  private final String path;
  private final AtomicLong ids = new AtomicLong();

  /**
   * @param http the node
   * @param path where the JSON-RPC endpoint is, relative to the node's endpoint ("" for the
   *     endpoint itself)
   */
  JsonRpc2(NodeHttp http, String path) {
    this.http = http;
    this.path = path;
  }

  /** Calls {@code method}; {@code params} is a JSON value (array or object) or null for none. */
  JsonNode call(String method, Object params) {
    ObjectNode request = NodeHttp.JSON.createObjectNode();
    request.put("jsonrpc", "2.0");
    request.put("id", ids.incrementAndGet());
    request.put("method", method);
    if (params != null) {
      request.set("params", NodeHttp.JSON.valueToTree(params));
    }
    byte[] body;
    try {
      body = NodeHttp.JSON.writeValueAsBytes(request);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode the parameters of " + method, e);
    }
    return result(method, http.post(path, body, method));
  }

  /**
   * The {@code result} of a JSON-RPC 2.0 answer, or a {@link ChainRpcException} with the node's
   * error code and message (plus its {@code data}, and NEAR's {@code cause.name}).
   */
  static JsonNode result(String what, NodeHttp.Response response) {
    JsonNode body = NodeHttp.parse(response, what);
    JsonNode error = body.path("error");
    if (!error.isMissingNode() && !error.isNull()) {
      throw new ChainRpcException(what + ": " + describe(error), errorCode(error, response));
    }
    if (response.status() >= 400) {
      throw new ChainRpcException(
          what + ": HTTP " + response.status() + ": " + response.snippet(), response.status());
    }
    JsonNode result = body.path("result");
    if (result.isMissingNode()) {
      throw new ChainRpcException(
          what + ": answer has neither result nor error: " + response.snippet(),
          ChainRpcException.BAD_ANSWER);
    }
    return result;
  }

  private static int errorCode(JsonNode error, NodeHttp.Response response) {
    JsonNode code = error.path("code");
    return code.canConvertToInt() ? code.asInt() : response.status();
  }

  /** "message [CAUSE]: data", leaving out what the node did not send or only repeated. */
  private static String describe(JsonNode error) {
    if (error.isTextual()) {
      return error.asText();
    }
    String message = error.path("message").asText("");
    StringBuilder text = new StringBuilder(message.isEmpty() ? "error" : message);
    String cause = error.path("cause").path("name").asText("");
    if (!cause.isEmpty()) {
      text.append(" [").append(cause).append(']');
    }
    JsonNode data = error.path("data");
    if (!data.isMissingNode() && !data.isNull()) {
      String detail = data.isTextual() ? data.asText() : data.toString();
      if (!detail.isBlank() && !detail.equals(message)) {
        text.append(": ").append(detail);
      }
    }
    return text.toString();
  }

  /** A hex quantity ({@code 0x1a}) as a number; a {@link ChainRpcException} if it is not one. */
  static long hexQuantity(JsonNode value, String what) {
    String text = value.asText("");
    if (value.isTextual() && text.matches("0[xX][0-9a-fA-F]{1,16}")) {
      return Long.parseUnsignedLong(text.substring(2), 16);
    }
    if (value.isIntegralNumber()) {
      return value.asLong();
    }
    throw new ChainRpcException(
        what + ": expected a hex quantity, got " + value, ChainRpcException.BAD_ANSWER);
  }
}
