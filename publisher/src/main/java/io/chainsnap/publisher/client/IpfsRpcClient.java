package io.chainsnap.publisher.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A small client of the Kubo RPC API subset that Kubo and js-ipfs share: {@code add}, {@code
 * pin/add}, {@code pin/ls}, {@code pin/rm}, {@code cat} and {@code version} (all POST under {@code
 * /api/v0}).
 *
 * <p>Every call passes its options explicitly rather than relying on node defaults, which differ
 * between Kubo and js-ipfs and between versions: {@code cid-version=1&raw-leaves=true
 * &chunker=size-262144} makes the CID of a file deterministic (CIDv1, raw leaves, 256 KiB chunks)
 * so that the same bytes get the same CID on any node, {@code cid-base=base32} fixes its text form,
 * and {@code timeout=} stops the node from searching forever for content it does not have (the node
 * applies it to the whole call, so it must also cover uploading or streaming the content).
 *
 * <p>CIDs should be compared by decoding them, not as strings. A node may report errors after
 * streaming {@code cat} output, which this client cannot see: check the content's SHA-256.
 */
public final class IpfsRpcClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADD_OPTIONS =
      "cid-version=1&raw-leaves=true&chunker=size-262144&cid-base=base32&pin=true";

  /** The HTTP wait exceeds the node-side timeout so that the node's own error arrives first. */
  private static final Duration HTTP_MARGIN = Duration.ofSeconds(5);

  private final String baseUrl;
  private final Duration timeout;
  private final HttpClient http;

  /** A client of the RPC API at {@code baseUrl}; {@code timeout} bounds each call. */
  public IpfsRpcClient(String baseUrl, Duration timeout) {
    Objects.requireNonNull(baseUrl, "baseUrl");
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build();
  }

  /** Adds and pins a file, streamed from disk, and returns its CIDv1 (base32). */
  public String add(Path file) {
    try {
      return add(file.getFileName().toString(), HttpRequest.BodyPublishers.ofFile(file));
    } catch (FileNotFoundException e) {
      throw new UncheckedIOException("cannot add " + file, e);
    }
  }

  /**
   * Adds and pins content streamed from {@code source} (opened once, read to its end, never held in
   * memory) under the file name {@code name}, and returns its CIDv1 (base32).
   */
  public String add(String name, Supplier<InputStream> source) {
    return add(name, HttpRequest.BodyPublishers.ofInputStream(source));
  }

  private String add(String fileName, HttpRequest.BodyPublisher content) {
    String boundary = "chainsnap-" + UUID.randomUUID();
    String name = fileName.replaceAll("[\"\\\\\r\n]", "_");
    byte[] header =
        ("--"
                + boundary
                + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\""
                + name
                + "\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8);
    byte[] trailer = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    HttpRequest.BodyPublisher body =
        HttpRequest.BodyPublishers.concat(
            HttpRequest.BodyPublishers.ofByteArray(header),
            content,
            HttpRequest.BodyPublishers.ofByteArray(trailer));
    String answer =
        call("add", ADD_OPTIONS, "multipart/form-data; boundary=" + boundary, body).trim();
    if (answer.isEmpty()) {
      throw new IpfsException("add", 200, "empty answer");
    }
    // One JSON object per line (progress and per-file entries); the last one is the file itself.
    String[] lines = answer.split("\n");
    String hash = parse("add", lines[lines.length - 1]).path("Hash").asText("");
    if (hash.isEmpty()) {
      throw new IpfsException("add", 200, "no Hash in answer: " + answer);
    }
    return hash;
  }

  /** Pins {@code cid} recursively, fetching it if the node can find it within the timeout. */
  public void pin(String cid) {
    call("pin/add", "arg=" + encode(cid) + "&recursive=true&cid-base=base32", null, null);
  }

  /** Whether {@code cid} is pinned recursively on the node. */
  public boolean isPinned(String cid) {
    String answer;
    try {
      answer = call("pin/ls", "arg=" + encode(cid) + "&type=recursive", null, null);
    } catch (IpfsException e) {
      if (e.status() > 0 && e.nodeMessage().contains("not pinned")) {
        return false;
      }
      throw e;
    }
    JsonNode keys = parse("pin/ls", answer.trim()).path("Keys");
    return keys.isObject() && keys.size() > 0;
  }

  /** Removes the recursive pin of {@code cid}. */
  public void unpin(String cid) {
    call("pin/rm", "arg=" + encode(cid) + "&recursive=true", null, null);
  }

  /** Streams the content of {@code cid}; the caller closes the stream and checks its digest. */
  public InputStream cat(String cid) {
    String endpoint = "cat";
    HttpRequest request = request(endpoint, "arg=" + encode(cid), null, null);
    HttpResponse<InputStream> response =
        send(endpoint, request, HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() / 100 != 2) {
      String message;
      try (InputStream in = response.body()) {
        message = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
      } catch (IOException e) {
        message = "(unreadable answer: " + e.getMessage() + ")";
      }
      throw new IpfsException(endpoint, response.statusCode(), errorMessage(message));
    }
    return response.body();
  }

  /** The node's version string (Kubo's version; js-ipfs 0.66.1 reports its ipfs-core, 0.18.1). */
  public String version() {
    return parse("version", call("version", "", null, null)).path("Version").asText();
  }

  private String call(
      String endpoint, String query, String contentType, HttpRequest.BodyPublisher body) {
    HttpRequest request = request(endpoint, query, contentType, body);
    HttpResponse<String> response =
        send(endpoint, request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() / 100 != 2) {
      throw new IpfsException(endpoint, response.statusCode(), errorMessage(response.body()));
    }
    return response.body();
  }

  private HttpRequest request(
      String endpoint, String query, String contentType, HttpRequest.BodyPublisher body) {
    String timeoutOption = "timeout=" + timeout.toMillis() + "ms";
    String fullQuery = query.isEmpty() ? timeoutOption : query + "&" + timeoutOption;
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(baseUrl + "/api/v0/" + endpoint + "?" + fullQuery))
            .timeout(timeout.plus(HTTP_MARGIN))
            .POST(body == null ? HttpRequest.BodyPublishers.noBody() : body);
    if (contentType != null) {
      builder.header("Content-Type", contentType);
    }
    return builder.build();
  }

  private <T> HttpResponse<T> send(
      String endpoint, HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request, handler);
    } catch (IOException e) {
      throw new IpfsException(endpoint, -1, e.toString(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IpfsException(endpoint, -1, "interrupted", e);
    }
  }

  private static JsonNode parse(String endpoint, String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new IpfsException(endpoint, 200, "unreadable answer: " + json, e);
    }
  }

  /** Both nodes answer errors as {"Message": "...", "Code": n, "Type": "error"}. */
  private static String errorMessage(String body) {
    try {
      JsonNode message = JSON.readTree(body).path("Message");
      if (message.isTextual()) {
        return message.asText();
      }
    } catch (IOException | RuntimeException e) {
      // not JSON: use the text as it is
    }
    return body.length() > 2000 ? body.substring(0, 2000) + "..." : body.strip();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** A failed RPC call: the endpoint, the HTTP status (-1 if there was no answer) and why. */
  public static final class IpfsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String endpoint;
    private final int status;
    private final String nodeMessage;

    public IpfsException(String endpoint, int status, String nodeMessage) {
      this(endpoint, status, nodeMessage, null);
    }

    public IpfsException(String endpoint, int status, String nodeMessage, Throwable cause) {
      super("IPFS " + endpoint + " failed (" + status + "): " + nodeMessage, cause);
      this.endpoint = endpoint;
      this.status = status;
      this.nodeMessage = nodeMessage == null ? "" : nodeMessage;
    }

    /** The RPC command, for example {@code pin/add}. */
    public String endpoint() {
      return endpoint;
    }

    /** The HTTP status, or -1 if the node did not answer. */
    public int status() {
      return status;
    }

    /** The node's error message (or the transport error). */
    public String nodeMessage() {
      return nodeMessage;
    }
  }
}
