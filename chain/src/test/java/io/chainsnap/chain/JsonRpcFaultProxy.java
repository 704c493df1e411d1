package io.chainsnap.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
      Answer answer = forward(exchange.getRequestMethod(), pathAndQuery, exchange, body);
      for (Map.Entry<String, List<String>> header : answer.headers().entrySet()) {
        for (String value : header.getValue()) {
          exchange.getResponseHeaders().add(header.getKey(), value);
        }
      }
      exchange.sendResponseHeaders(
          answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
      if (answer.body().length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer.body());
        }
      }
    }
  }

  private record Answer(int status, Map<String, List<String>> headers, byte[] body) {}

  /**
   * One HTTP/1.1 exchange with {@code Connection: close} on a fresh connection: a pooled keep-alive
   * client would leave an idle connection that litecoind waits for when it stops (30 s, {@code
   * -rpcservertimeout}); HTTP/1.0 is no way out, ganache does not answer it at all.
   */
  private Answer forward(String method, String pathAndQuery, HttpExchange exchange, byte[] body)
      throws IOException {
    int port = target.getPort() > 0 ? target.getPort() : 80;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(target.getHost(), port), 5000);
      socket.setSoTimeout(30_000);
      StringBuilder head =
          new StringBuilder(method)
              .append(' ')
              .append(pathAndQuery)
              .append(" HTTP/1.1\r\nHost: ")
              .append(target.getHost())
              .append(':')
              .append(port)
              .append("\r\nConnection: close\r\nContent-Length: ")
              .append(body.length)
              .append("\r\n");
      for (String header : FORWARDED_HEADERS) {
        String value = exchange.getRequestHeaders().getFirst(header);
        if (value != null) {
          head.append(header).append(": ").append(value).append("\r\n");
        }
      }
      head.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
      while (!endsWithBlankLine(headBytes)) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("not an HTTP answer from " + target);
        }
        headBytes.write(b);
      }
      String[] lines = headBytes.toString(StandardCharsets.ISO_8859_1).strip().split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ", 3)[1]);
      Map<String, List<String>> headers = new LinkedHashMap<>();
      int contentLength = -1;
      boolean chunked = false;
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        String name = colon < 0 ? "" : lines[i].substring(0, colon).trim();
        String value = colon < 0 ? "" : lines[i].substring(colon + 1).trim();
        if (name.equalsIgnoreCase("Content-Length")) {
          contentLength = Integer.parseInt(value);
        } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
          chunked = value.equalsIgnoreCase("chunked");
        } else if (name.equalsIgnoreCase("Content-Type")
            || name.equalsIgnoreCase("WWW-Authenticate")) {
          headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
      }
      byte[] answer =
          chunked
              ? dechunk(in)
              : contentLength >= 0 ? in.readNBytes(contentLength) : in.readAllBytes();
      return new Answer(status, headers, answer);
    }
  }

  /** A chunked body: hex size line, data, CRLF; a zero size ends it (trailers are skipped). */
  private static byte[] dechunk(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(in);
      int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
      if (size == 0) {
        while (!readLine(in).isEmpty()) {
          // trailer
        }
        return body.toByteArray();
      }
      body.write(in.readNBytes(size));
      readLine(in);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        line.write(b);
      }
    }
    if (b < 0 && line.size() == 0) {
      throw new IOException("connection closed inside a chunked body");
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  private static boolean endsWithBlankLine(ByteArrayOutputStream head) {
    byte[] bytes = head.toByteArray();
    int n = bytes.length;
    return n >= 4
        && bytes[n - 4] == '\r'
        && bytes[n - 3] == '\n'
        && bytes[n - 2] == '\r'
        && bytes[n - 1] == '\n';
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
