package io.chainsnap.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server (the JDK's) serving the files under a directory at {@code /files/}, with
 * single byte ranges: a stand-in for staging or a CDN in tests.
 */
public final class StaticFileServer implements AutoCloseable {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

  private final HttpServer server;
  private final Path root;

  public StaticFileServer(Path root) {
    this.root = root.toAbsolutePath().normalize();
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/files/", this::serve);
    // one thread per exchange: a slow reader must not hold up every other download
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      Path file =
          root.resolve(exchange.getRequestURI().getPath().substring("/files/".length()))
              .normalize();
      if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      long size = Files.size(file);
      long from = 0;
      long to = size - 1;
      int status = 200;
      String range = exchange.getRequestHeaders().getFirst("Range");
      if (range != null) {
        Matcher m = RANGE.matcher(range);
        if (m.matches()) {
          from = Long.parseLong(m.group(1));
          to = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
          if (from > to) {
            exchange.getResponseHeaders().add("Content-Range", "bytes */" + size);
            exchange.sendResponseHeaders(416, -1);
            return;
          }
          status = 206;
          exchange
              .getResponseHeaders()
              .add("Content-Range", "bytes " + from + "-" + to + "/" + size);
        }
      }
      exchange.getResponseHeaders().add("Accept-Ranges", "bytes");
      long length = to - from + 1;
      if (exchange.getRequestMethod().equals("HEAD")) {
        exchange.getResponseHeaders().add("Content-Length", String.valueOf(length));
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
      try (InputStream in = Files.newInputStream(file);
          OutputStream out = exchange.getResponseBody()) {
        in.skipNBytes(from);
        byte[] buffer = new byte[1 << 16];
        long left = length;
        while (left > 0) {
          int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
          if (n < 0) {
            break;
          }
          out.write(buffer, 0, n);
          left -= n;
        }
      }
    }
  }

  /** URL of {@code relative} under the served directory. */
  public String url(String relative) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/files/" + relative;
  }

  @Override
  public void close() {
    server.stop(0);
    ((ExecutorService) server.getExecutor()).shutdownNow();
  }
}
