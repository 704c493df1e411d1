package io.chainsnap.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback proxy in front of a real node's JSON-RPC endpoint that renames every method it
 * forwards to {@link #UNKNOWN_METHOD}, so that the real node answers with its own "method not
 * found" error: how the contract test gets a genuine RPC error answer out of a healthy node.
 * Everything else (path, credentials, status, body) passes through unchanged.
 */
public final class JsonRpcFaultProxy implements AutoCloseable {
  /** The method name every request is rewritten to. */
  public static final String UNKNOWN_METHOD = "chainsnap_no_such_method";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> FORWARDED_HEADERS = List.of("Authorization", "Content-Type");

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final URI target;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private JsonRpcFaultProxy(HttpServer server, URI target) {
    this.server = server;
    this.target = target;
  }

  /** A proxy for the node whose RPC base URL is {@code target} (e.g. {@code http://h:p}). */
  public static JsonRpcFaultProxy start(URI target) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
      JsonRpcFaultProxy proxy = new JsonRpcFaultProxy(server, target);
      server.createContext("/", proxy::handle);
      server.setExecutor(proxy.executor);
      server.start();
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start proxy", e);
    }
  }

  /** The proxy's base URL, to be used in place of the node's. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = rename(exchange.getRequestBody().readAllBytes());
      String pathAndQuery = exchange.getRequestURI().getRawPath();
      if (exchange.getRequestURI().getRawQuery() != null) {
        pathAndQuery += "?" + exchange.getRequestURI().getRawQuery();
      }
      HttpRequest.Builder request =
          HttpRequest.newBuilder(
                  URI.create(target.getScheme() + "://" + target.getRawAuthority() + pathAndQuery))
              .timeout(Duration.ofSeconds(30))
              .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
      for (String header : FORWARDED_HEADERS) {
        String value = exchange.getRequestHeaders().getFirst(header);
        if (value != null) {
          request.header(header, value);
        }
      }
      HttpResponse<byte[]> answer;
      try {
        answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(502, -1);
        return;
      }
      answer
          .headers()
          .firstValue("Content-Type")
          .ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
      for (String challenge : answer.headers().allValues("WWW-Authenticate")) {
        exchange.getResponseHeaders().add("WWW-Authenticate", challenge);
      }
      byte[] bytes = answer.body();
      exchange.sendResponseHeaders(answer.statusCode(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  /** The body with every JSON-RPC method renamed; non-JSON bodies pass unchanged. */
  private static byte[] rename(byte[] body) {
    try {
      JsonNode request = JSON.readTree(body);
      if (request == null) {
        return body;
      }
      if (request.isObject() && request.has("method")) {
        ((ObjectNode) request).put("method", UNKNOWN_METHOD);
      } else if (request.isArray()) {
        for (JsonNode call : request) {
          if (call.isObject() && call.has("method")) {
            ((ObjectNode) call).put("method", UNKNOWN_METHOD);
          }
        }
      }
      return JSON.writeValueAsBytes(request);
    } catch (IOException e) {
      return body;
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
