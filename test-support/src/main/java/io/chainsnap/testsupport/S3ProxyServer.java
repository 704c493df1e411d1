package io.chainsnap.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real S3-compatible server: s3proxy with its filesystem backend, checking SigV4 signatures, run
 * as a child process (it bundles its own AWS SDK and Jackson, so never on our classpath).
 */
public final class S3ProxyServer implements AutoCloseable {
  public static final String ACCESS_KEY = "chainsnap-local";
  public static final String SECRET_KEY = "chainsnap-local-secret";
  public static final String REGION = "us-east-1";

  private final ChildProcess process;
  private final int port;

  private S3ProxyServer(ChildProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts s3proxy on {@code port} (0: a free one), storing objects under {@code dataDir}. */
  public static S3ProxyServer start(Path dataDir, int port) {
    int chosen = port == 0 ? Ports.free() : port;
    try {
      Path storage = Files.createDirectories(dataDir.resolve("buckets"));
      Path props = dataDir.resolve("s3proxy.properties");
      Files.writeString(
          props,
          String.join(
              "\n",
              "s3proxy.endpoint=http://127.0.0.1:" + chosen,
              "s3proxy.authorization=aws-v2-or-v4",
              "s3proxy.identity=" + ACCESS_KEY,
              "s3proxy.credential=" + SECRET_KEY,
              // the SDK's multipart client sends headers s3proxy would otherwise answer 501 to
              "s3proxy.ignore-unknown-headers=true",
              "jclouds.provider=filesystem-nio2",
              "jclouds.filesystem.basedir=" + storage.toAbsolutePath(),
              ""));
      ChildProcess child =
          ChildProcess.start(
              "s3proxy",
              List.of(
                  Components.java(),
                  "-Xmx256m",
                  "-jar",
                  Components.s3proxyJar().toString(),
                  "--properties",
                  props.toString()),
              dataDir,
              Map.of(),
              dataDir.resolve("s3proxy.log"));
      S3ProxyServer server = new S3ProxyServer(child, chosen);
      server.awaitReady(Duration.ofSeconds(60));
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare s3proxy in " + dataDir, e);
    }
  }

  private void awaitReady(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      process.checkAlive();
      try {
        // any HTTP answer (403 for an anonymous request) means the server is up
        http.send(
            HttpRequest.newBuilder(URI.create(endpoint() + "/")).GET().build(),
            HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        Components.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    process.stop(Duration.ofSeconds(5));
    throw new IllegalStateException(
        "s3proxy not ready within " + timeout + "; log tail:\n" + process.logTail(30));
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** Process id of the s3proxy process. */
  public long pid() {
    return process.pid();
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(10));
  }
}
