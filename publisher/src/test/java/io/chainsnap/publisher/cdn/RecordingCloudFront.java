package io.chainsnap.publisher.cdn;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * A local HTTP server in place of the CloudFront API: records every request and answers {@code
 * CreateInvalidation} the way the API documents it (201, an {@code Invalidation} document echoing
 * the batch), or with an error status when told to. No CloudFront endpoint is reachable here; this
 * shows what the real SDK client sends.
 */
public final class RecordingCloudFront implements AutoCloseable {
  /** The API's XML namespace. */
  public static final String NAMESPACE = "http://cloudfront.amazonaws.com/doc/2020-05-31/";

  /** A recorded request. */
  public record Request(
      String method, String path, Map<String, List<String>> headers, String body) {
    /** The first value of header {@code name} (case-insensitive), or null. */
    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }

    /** The {@code CallerReference} of the batch sent. */
    public String callerReference() {
      return text(parse(body).getElementsByTagNameNS(NAMESPACE, "CallerReference"));
    }

    /** The {@code Path} items of the batch sent. */
    public List<String> paths() {
      NodeList nodes = parse(body).getElementsByTagNameNS(NAMESPACE, "Path");
      List<String> paths = new ArrayList<>();
      for (int i = 0; i < nodes.getLength(); i++) {
        paths.add(nodes.item(i).getTextContent());
      }
      return paths;
    }

    /** The {@code Quantity} of the batch sent. */
    public int quantity() {
      return Integer.parseInt(text(parse(body).getElementsByTagNameNS(NAMESPACE, "Quantity")));
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();
  private volatile int failWith;

  /** Starts on a free port of 127.0.0.1. */
  public RecordingCloudFront() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  /** The endpoint to give the client ({@code endpointOverride}). */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The requests received so far. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Answers every request with {@code status} (0: answer normally again). */
  public void failWith(int status) {
    failWith = status;
  }

  /** Waits until at least {@code count} requests arrived; the requests then. */
  public List<Request> await(int count, Duration atMost) throws InterruptedException {
    Instant deadline = Instant.now().plus(atMost);
    while (requests.size() < count && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
    }
    return requests();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Request request =
        new Request(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath(),
            Map.copyOf(exchange.getRequestHeaders()),
            body);
    requests.add(request);
    int status = failWith;
    String answer;
    if (status != 0) {
      answer =
          "<?xml version=\"1.0\"?><ErrorResponse xmlns=\""
              + NAMESPACE
              + "\"><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code>"
              + "<Message>recording server told to fail</Message></Error>"
              + "<RequestId>test</RequestId></ErrorResponse>";
    } else if (!"POST".equals(request.method()) || !request.path().endsWith("/invalidation")) {
      status = 404;
      answer =
          "<?xml version=\"1.0\"?><ErrorResponse xmlns=\""
              + NAMESPACE
              + "\"><Error><Type>Sender</Type><Code>NoSuchResource</Code>"
              + "<Message>not recorded</Message></Error></ErrorResponse>";
    } else {
      status = 201;
      String id = "I" + ids.incrementAndGet() + "TESTINVALIDATION";
      StringBuilder items = new StringBuilder();
      request.paths().forEach(p -> items.append("<Path>").append(p).append("</Path>"));
      answer =
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Invalidation xmlns=\""
              + NAMESPACE
              + "\"><Id>"
              + id
              + "</Id><Status>InProgress</Status><CreateTime>"
              + Instant.now()
              + "</CreateTime><InvalidationBatch><Paths><Quantity>"
              + request.paths().size()
              + "</Quantity><Items>"
              + items
              + "</Items></Paths><CallerReference>"
              + request.callerReference()
              + "</CallerReference></InvalidationBatch></Invalidation>";
      exchange.getResponseHeaders().add("Location", endpoint() + request.path() + "/" + id);
    }
    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "text/xml");
    exchange.getResponseHeaders().add("x-amz-request-id", "test-" + requests.size());
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static Document parse(String xml) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      return factory
          .newDocumentBuilder()
          .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalArgumentException("not XML: " + xml, e);
    }
  }

  private static String text(NodeList nodes) {
    return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
