package io.chainsnap.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal static HTTP/1.1 file server on 127.0.0.1 for the restore benchmark: {@code GET} and
 * {@code HEAD}, single byte ranges ({@code Range: bytes=A-B}, {@code bytes=A-}), persistent
 * connections, one thread per connection, bodies sent with {@code FileChannel.transferTo}
 * (sendfile) so the server costs little CPU, like a CDN that is not on this machine. The same
 * server serves the baseline's {@code curl} and chainsnap's ranged requests.
 *
 * <pre>
 * java -cp ... io.chainsnap.bench.RangeServer --root DIR [--port N] [--port-file FILE]
 * </pre>
 *
 * Runs until killed; writes its port into {@code --port-file} once it listens.
 */
public final class RangeServer {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  private final Path root;

  private RangeServer(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public static void main(String[] args) throws IOException {
    Path root = null;
    int port = 0;
    Path portFile = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--root" -> root = Path.of(args[++i]);
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--port-file" -> portFile = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (root == null) {
      throw new IllegalArgumentException(
          "usage: RangeServer --root DIR [--port N] [--port-file F]");
    }
    RangeServer server = new RangeServer(root);
    ServerSocketChannel listener = ServerSocketChannel.open();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    int bound = ((InetSocketAddress) listener.getLocalAddress()).getPort();
    if (portFile != null) {
      Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
      Files.writeString(tmp, bound + "\n");
      Files.move(tmp, portFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    System.out.println("serving " + server.root + " on http://127.0.0.1:" + bound + "/");
    while (true) {
      SocketChannel client = listener.accept();
      Thread t = new Thread(() -> server.serve(client), "conn-" + client.socket().getPort());
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(SocketChannel client) {
    try (client) {
      client.socket().setTcpNoDelay(true);
      InputStream in = new java.io.BufferedInputStream(Channels.newInputStream(client), 8192);
      while (true) {
        Request request = Request.read(in);
        if (request == null) {
          return;
        }
        if (!respond(client, request)) {
          return;
        }
      }
    } catch (IOException e) {
      // the client went away: nothing to do
    }
  }

  /** Answers one request; false when the connection must be closed. */
  private boolean respond(SocketChannel client, Request request) throws IOException {
    if (!request.method.equals("GET") && !request.method.equals("HEAD")) {
      head(client, 405, "Method Not Allowed", 0, null, request.keepAlive);
      return request.keepAlive;
    }
    String path = request.path;
    int q = path.indexOf('?');
    if (q >= 0) {
      path = path.substring(0, q);
    }
    Path file = root.resolve(path.replaceFirst("^/+", "")).normalize();
    if (!file.startsWith(root) || !Files.isRegularFile(file)) {
      head(client, 404, "Not Found", 0, null, request.keepAlive);
      return request.keepAlive;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      long from = 0;
      long to = size - 1;
      int status = 200;
      String contentRange = null;
      if (request.range != null) {
        Matcher m = RANGE.matcher(request.range.strip());
        if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
          if (m.group(1).isEmpty()) {
            from = Math.max(0, size - Long.parseLong(m.group(2)));
          } else {
            from = Long.parseLong(m.group(1));
            to = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
          }
          if (from >= size || from > to) {
            head(
                client,
                416,
                "Range Not Satisfiable",
                0,
                "Content-Range: bytes */" + size,
                request.keepAlive);
            return request.keepAlive;
          }
          status = 206;
          contentRange = "Content-Range: bytes " + from + "-" + to + "/" + size;
        }
      }
      long length = to - from + 1;
      head(
          client,
          status,
          status == 206 ? "Partial Content" : "OK",
          length,
          contentRange,
          request.keepAlive);
      if (request.method.equals("GET")) {
        long sent = 0;
        while (sent < length) {
          long n = channel.transferTo(from + sent, length - sent, client);
          if (n <= 0) {
            throw new IOException("transfer stalled");
          }
          sent += n;
        }
      }
    }
    return request.keepAlive;
  }

  private static void head(
      SocketChannel client, int status, String reason, long length, String extra, boolean keepAlive)
      throws IOException {
    StringBuilder h = new StringBuilder();
    h.append("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
    h.append("Content-Length: ").append(length).append("\r\n");
    h.append("Accept-Ranges: bytes\r\n");
    h.append("Content-Type: application/octet-stream\r\n");
    if (extra != null) {
      h.append(extra).append("\r\n");
    }
    h.append(keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n");
    h.append("\r\n");
    ByteBuffer bytes = ByteBuffer.wrap(h.toString().getBytes(StandardCharsets.ISO_8859_1));
    while (bytes.hasRemaining()) {
      client.write(bytes);
    }
  }

  /** The parts of a request this server looks at. */
  private record Request(String method, String path, String range, boolean keepAlive) {
    /** Reads a request head; null at a clean end of the connection. */
    static Request read(InputStream in) throws IOException {
      String line = line(in);
      if (line == null) {
        return null;
      }
      while (line.isEmpty()) {
        line = line(in);
        if (line == null) {
          return null;
        }
      }
      String[] parts = line.split(" ");
      if (parts.length < 3) {
        throw new IOException("bad request line " + line);
      }
      boolean keepAlive = parts[2].equals("HTTP/1.1");
      String range = null;
      long body = 0;
      String header;
      while ((header = line(in)) != null && !header.isEmpty()) {
        int colon = header.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = header.substring(colon + 1).strip();
        switch (name) {
          case "range" -> range = value;
          case "connection" -> keepAlive = !value.equalsIgnoreCase("close");
          case "content-length" -> body = Long.parseLong(value);
          default -> {}
        }
      }
      in.skipNBytes(body);
      return new Request(parts[0], parts[1], range, keepAlive);
    }

    private static String line(InputStream in) throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream(128);
      int c;
      while ((c = in.read()) >= 0) {
        if (c == '\n') {
          String s = b.toString(StandardCharsets.ISO_8859_1);
          return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }
        if (b.size() > 16384) {
          throw new IOException("header line too long");
        }
        b.write(c);
      }
      return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
