package io.chainsnap.snapshotter.quiesce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.chainsnap.chain.HttpCall;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watchdog's network-on request: what the real curl sends from the config file it is given. */
class PauseWatchdogTest {
  @TempDir Path dir;

  @Test
  void curlSendsTheCallFromAConfigOnlyTheOwnerCanRead() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    CompletableFuture<String> seen = new CompletableFuture<>();
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          seen.complete(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestHeaders().getFirst("Authorization")
                  + " "
                  + exchange.getRequestHeaders().getFirst("Content-Type")
                  + " "
                  + body);
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
    try {
      String body = "{\"method\":\"setnetworkactive\",\"params\":[true],\"odd\":\"a\\\\b\"}";
      HttpCall call =
          new HttpCall(
              URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"),
              "Basic dXNlcjpwYXNz",
              "text/plain",
              body);
      Path config = PauseWatchdog.writeCurlConfig(dir.resolve("w.curl"), call);
      assertEquals(
          "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
      Process curl =
          new ProcessBuilder("curl", "-s", "-o", "/dev/null", "--config", config.toString())
              .redirectErrorStream(true)
              .start();
      assertEquals(true, curl.waitFor(20, TimeUnit.SECONDS));
      assertEquals(0, curl.exitValue(), new String(curl.getInputStream().readAllBytes()));
      assertEquals("POST Basic dXNlcjpwYXNz text/plain " + body, seen.get(10, TimeUnit.SECONDS));
    } finally {
      server.stop(0);
    }
  }
}
