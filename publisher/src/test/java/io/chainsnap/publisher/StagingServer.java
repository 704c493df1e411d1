package io.chainsnap.publisher;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real HTTP server (the JDK's) serving a directory, standing in for the snapshotter's staging. */
final class StagingServer implements AutoCloseable {
  private final HttpServer server;

  StagingServer(Path root) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/staging/",
        exchange -> {
          Path file = root.resolve(exchange.getRequestURI().getPath().substring("/staging/".length())).normalize();
          if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
          }
          exchange.sendResponseHeaders(200, Files.size(file));
          try (OutputStream out = exchange.getResponseBody()) {
            Files.copy(file, out);
          }
        });
    server.start();
  }

  String url(String relative) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/staging/" + relative;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
