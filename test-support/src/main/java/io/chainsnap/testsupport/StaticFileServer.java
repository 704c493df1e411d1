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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server (the JDK's) serving the files under a directory at {@code /files/}, with
 * single byte ranges: a stand-in for staging or a CDN in tests. Requests are logged ({@link
 * #requests()}); an optional throttle caps the bytes per second of all responses together, to make
 * a download slow enough to interrupt.
 */
public final class StaticFileServer implements AutoCloseable {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

  /**
   * One request as served.
   *
   * @param method {@code GET} or {@code HEAD}
   * @param path the path under {@code /files/}
   * @param from first byte of the response body (0 without a range)
   * @param to last byte of the response body (-1 for an empty one)
   * @param status the HTTP status
   */
  public record Request(String method, String path, long from, long to, int status) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final Path root;
  private final long bytesPerSecond;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());
  private long throttleNext;

  public StaticFileServer(Path root) {
    this(root, 0);
  }

  /**
   * @param root the directory served at {@code /files/}
   * @param bytesPerSecond cap on the bytes sent per second by all responses together; 0: none
   */
  public StaticFileServer(Path root, long bytesPerSecond) {
    this.root = root.toAbsolutePath().normalize();
    this.bytesPerSecond = bytesPerSecond;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/files/", this::serve);
    // one thread per exchange: a slow reader must not hold up every other download
    executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    server.start();
  }

  /** The requests served so far, in order of arrival. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Forgets the requests served so far. */
  public void clearRequests() {
    requests.clear();
  }

  /**
   * Waits until no exchange has been in progress for {@code quiet}: after a client is killed, a
   * request it sent just before may still reach a handler and be logged. Call before {@link
   * #clearRequests()} when the next requests must all come from another client.
   *
   * @throws IllegalStateException if the server is not quiet within {@code atMost}
   */
  public void awaitQuiet(Duration quiet, Duration atMost) {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (true) {
      long lastSeen = lastActivity.get();
      if (inFlight.get() == 0 && System.nanoTime() - lastSeen >= quiet.toNanos()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            inFlight.get() + " exchanges still in progress after " + atMost);
      }
      Components.sleep(20);
    }
  }

  /** Waits until sending {@code n} more bytes keeps within the cap. */
  private void throttle(int n) throws IOException {
    if (bytesPerSecond <= 0) {
      return;
    }
    long wait;
    synchronized (this) {
      long now = System.nanoTime();
      long start = Math.max(now, throttleNext);
      throttleNext = start + n * 1_000_000_000L / bytesPerSecond;
      wait = start - now;
    }
    if (wait > 0) {
      try {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    inFlight.incrementAndGet();
    lastActivity.set(System.nanoTime());
    try {
      respond(exchange);
    } finally {
      lastActivity.set(System.nanoTime());
      inFlight.decrementAndGet();
    }
  }

  private void respond(HttpExchange exchange) throws IOException {
    try (exchange) {
      Path file =
          root.resolve(exchange.getRequestURI().getPath().substring("/files/".length()))
              .normalize();
      String relative = exchange.getRequestURI().getPath().substring("/files/".length());
      if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        requests.add(new Request(exchange.getRequestMethod(), relative, 0, -1, 404));
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
            requests.add(new Request(exchange.getRequestMethod(), relative, from, -1, 416));
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
      requests.add(new Request(exchange.getRequestMethod(), relative, from, to, status));
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
          int n =
              in.read(
                  buffer, 0, (int) Math.min(bytesPerSecond > 0 ? 16 << 10 : buffer.length, left));
          if (n < 0) {
            break;
          }
          throttle(n);
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
