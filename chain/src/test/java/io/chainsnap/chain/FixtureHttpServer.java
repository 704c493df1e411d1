package io.chainsnap.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * A loopback HTTP server (the JDK's {@code com.sun.net.httpserver}) that answers like a node's RPC
 * API from hand-written, documented-shape fixture templates. Not a node: it only knows the routes
 * and JSON-RPC methods a test registers; anything else is a 404.
 *
 * <p>Templates are resources under {@code fixtures/}, with {@code {{name}}} placeholders filled
 * from a map ({@link #fill}); JSON-RPC answers get the request's {@code id} as {@code {{id}}}.
 */
public final class FixtureHttpServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One HTTP answer. */
  public record Answer(int status, String body) {
    public static Answer json(String body) {
      return new Answer(200, body);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, Supplier<Answer>> gets = new ConcurrentHashMap<>();
  private final Map<String, Map<String, BiFunction<String, JsonNode, Answer>>> jsonRpc =
      new ConcurrentHashMap<>();

  private FixtureHttpServer(HttpServer server) {
    this.server = server;
  }

  /** Starts a server on a free loopback port. */
  public static FixtureHttpServer start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
      FixtureHttpServer fixture = new FixtureHttpServer(server);
      server.createContext("/", fixture::handle);
      server.setExecutor(fixture.executor);
      server.start();
      return fixture;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start fixture server", e);
    }
  }

  /** The base URL, e.g. {@code http://127.0.0.1:40123}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Answers {@code GET path} (no query) with what {@code answer} gives at request time. */
  public FixtureHttpServer get(String path, Supplier<Answer> answer) {
    gets.put(path, answer);
    return this;
  }

  /**
   * Answers JSON-RPC 2.0 {@code method} POSTed to {@code path}; {@code answer} gets the request id
   * as JSON text (to be filled into the template's {@code {{id}}}) and the request's params.
   */
  public FixtureHttpServer jsonRpc(
      String path, String method, BiFunction<String, JsonNode, Answer> answer) {
    jsonRpc.computeIfAbsent(path, p -> new ConcurrentHashMap<>()).put(method, answer);
    return this;
  }

  /** The resource {@code fixtures/<name>} with every {@code {{key}}} replaced by its value. */
  public static String fill(String name, Map<String, ?> values) {
    String resource = "/fixtures/" + name;
    try (InputStream in = FixtureHttpServer.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + resource);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (Map.Entry<String, ?> entry : values.entrySet()) {
        text = text.replace("{{" + entry.getKey() + "}}", String.valueOf(entry.getValue()));
      }
      if (text.contains("{{")) {
        throw new IllegalArgumentException(
            "fixture " + name + " has unfilled placeholders: " + text);
      }
      JSON.readTree(text); // a fixture must be valid JSON once filled
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException("bad fixture " + resource, e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      byte[] body = exchange.getRequestBody().readAllBytes();
      Answer answer;
      if ("GET".equals(exchange.getRequestMethod()) && gets.containsKey(path)) {
        answer = gets.get(path).get();
      } else if ("POST".equals(exchange.getRequestMethod()) && jsonRpc.containsKey(path)) {
        answer = jsonRpcAnswer(jsonRpc.get(path), body);
      } else {
        answer = new Answer(404, "");
      }
      byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
      if (!answer.body().isEmpty()) {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
      }
      exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  private static Answer jsonRpcAnswer(
      Map<String, BiFunction<String, JsonNode, Answer>> methods, byte[] body) {
    JsonNode request;
    try {
      request = JSON.readTree(body);
    } catch (IOException e) {
      return Answer.json(
          "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"Parse error\"},\"id\":null}");
    }
    String id = request.path("id").toString();
    BiFunction<String, JsonNode, Answer> method = methods.get(request.path("method").asText());
    if (method == null) {
      return Answer.json(
          "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":\"Method not found\"},\"id\":"
              + id
              + "}");
    }
    return method.apply(id, request.path("params"));
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
