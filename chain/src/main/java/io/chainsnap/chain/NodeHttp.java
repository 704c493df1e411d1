package io.chainsnap.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * The HTTP side of the chain adapters other than Bitcoin Core: GET and POST of JSON on a node's RPC
 * endpoint over {@code java.net.http} (HTTP/1.1, TLS where the endpoint is https), with optional
 * credentials (basic, or digest when the node asks for it, as monerod's {@code --rpc-login} does).
 *
 * <p>Every failure becomes a {@link ChainRpcException}: no answer (refused, reset, timed out) is
 * {@link ChainRpcException#UNREACHABLE}; refused credentials carry the HTTP status (401, 403).
 */
final class NodeHttp {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final int SNIPPET = 200;

  /** An HTTP answer: status, headers, body. */
  record Response(int status, HttpHeaders headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The start of the body, for error messages. */
    String snippet() {
      String text = text().strip();
      return text.length() <= SNIPPET ? text : text.substring(0, SNIPPET) + "...";
    }
  }

  private final URI endpoint;
  private final String user;
  private final String password;
  private final Duration timeout;
  private final HttpClient client;
  private volatile DigestAuth digest;

  /**
   * @param endpoint the node's RPC base URL, e.g. {@code http://127.0.0.1:18081}
   * @param user RPC user, or null/blank for none
   * @param password RPC password (ignored without a user)
   * @param timeout limit for connecting and for each answer
   */
  NodeHttp(URI endpoint, String user, String password, Duration timeout) {
    if (endpoint == null || endpoint.getScheme() == null || endpoint.getHost() == null) {
      throw new IllegalArgumentException("not an http(s) URL: " + endpoint);
    }
    this.endpoint = endpoint;
    this.user = user == null || user.isBlank() ? null : user;
    this.password = password == null ? "" : password;
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(
                timeout.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? timeout : MAX_CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  URI endpoint() {
    return endpoint;
  }

  /**
   * {@code relative} below the endpoint's path: {@code http://h:1/base} and {@code status} give
   * {@code http://h:1/base/status}; an empty {@code relative} is the endpoint itself.
   */
  URI resolve(String relative) {
    if (relative.isEmpty()) {
      return endpoint;
    }
    String path = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
    if (!path.endsWith("/")) {
      path += "/";
    }
    String authority = endpoint.getRawAuthority();
    return URI.create(endpoint.getScheme() + "://" + authority + path + relative);
  }

  /** GET {@code relative}; {@code what} names the call in error messages. */
  Response get(String relative, String what) {
    return send("GET", resolve(relative), null, what);
  }

  /** POST a JSON body to {@code relative}. */
  Response post(String relative, byte[] json, String what) {
    return send("POST", resolve(relative), json, what);
  }

  /** The body as JSON, or a {@link ChainRpcException#BAD_ANSWER} naming the call. */
  static JsonNode parse(Response response, String what) {
    try {
      JsonNode node = JSON.readTree(response.body());
      if (node == null || node.isMissingNode()) {
        throw new IOException("empty body");
      }
      return node;
    } catch (IOException e) {
      throw new ChainRpcException(
          what
              + ": not a JSON answer (HTTP "
              + response.status()
              + "): "
              + (response.body().length == 0 ? "(empty body)" : response.snippet()),
          response.status() >= 400 ? response.status() : ChainRpcException.BAD_ANSWER,
          e);
    }
  }

  private Response send(String method, URI uri, byte[] body, String what) {
    Response response = exchange(method, uri, body, authorization(method, uri), what);
    if (response.status() == 401 && user != null) {
      Optional<DigestAuth> challenge = DigestAuth.fromChallenge(response.headers());
      if (challenge.isPresent()) {
        digest = challenge.get();
        response = exchange(method, uri, body, authorization(method, uri), what);
      }
    }
    if (response.status() == 401 || response.status() == 403) {
      throw new ChainRpcException(
          what
              + ": "
              + (user == null ? "the node wants RPC credentials" : "RPC credentials refused")
              + " (HTTP "
              + response.status()
              + " from "
              + endpoint
              + ")",
          response.status());
    }
    return response;
  }

  private String authorization(String method, URI uri) {
    if (user == null) {
      return null;
    }
    DigestAuth current = digest;
    if (current != null) {
      String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      if (uri.getRawQuery() != null) {
        path += "?" + uri.getRawQuery();
      }
      return current.authorization(user, password, method, path);
    }
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private Response exchange(
      String method, URI uri, byte[] body, String authorization, String what) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
    if (body == null) {
      request.GET();
    } else {
      request
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      HttpResponse<byte[]> answer =
          client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(answer.statusCode(), answer.headers(), answer.body());
    } catch (HttpTimeoutException e) {
      throw new ChainRpcException(
          what + ": node at " + endpoint + " did not answer within " + timeout,
          ChainRpcException.UNREACHABLE,
          e);
    } catch (IOException e) {
      throw new ChainRpcException(
          what + ": node at " + endpoint + " not reachable: " + e,
          ChainRpcException.UNREACHABLE,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChainRpcException(
          what + ": interrupted while waiting for " + endpoint, ChainRpcException.UNREACHABLE, e);
    }
  }
}
