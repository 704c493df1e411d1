package io.chainsnap.publisher.mirror;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay in front of the S3 server that counts the bytes the server sends to clients (HTTP
 * headers, listings and object bodies alike): what a sync really costs in transfer, measured
 * independently of what the clients report.
 */
final class CountingProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final AtomicLong toClient = new AtomicLong();
  private final AtomicLong toServer = new AtomicLong();
  private final Thread acceptor;

  CountingProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::accept, "counting-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** Bytes sent by the server to clients so far. */
  long toClient() {
    return toClient.get();
  }

  /** Bytes sent by clients to the server so far. */
  long toServer() {
    return toServer.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        pump(client, upstream, toServer);
        pump(upstream, client, toClient);
      } catch (IOException e) {
        // closed
      }
    }
  }

  private static void pump(Socket from, Socket to, AtomicLong counter) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[1 << 16];
              try (InputStream in = from.getInputStream()) {
                OutputStream out = to.getOutputStream();
                for (int n; (n = in.read(buffer)) >= 0; ) {
                  out.write(buffer, 0, n);
                  counter.addAndGet(n);
                }
              } catch (IOException e) {
                // connection closed by either side
              } finally {
                try {
                  to.shutdownOutput();
                } catch (IOException ignored) {
                  // already closed
                }
              }
            },
            "counting-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
