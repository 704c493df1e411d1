package io.chainsnap.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeHttpTest {

  @Test
  void pathsResolveBelowTheEndpointsPath() {
    NodeHttp root = new NodeHttp(URI.create("http://h:1"), null, null, Duration.ofSeconds(1));
    NodeHttp slash = new NodeHttp(URI.create("http://h:1/"), null, null, Duration.ofSeconds(1));
    NodeHttp prefixed =
        new NodeHttp(URI.create("https://h/tezos"), null, null, Duration.ofSeconds(1));

    assertEquals(URI.create("http://h:1/status"), root.resolve("status"));
    assertEquals(URI.create("http://h:1/json_rpc"), slash.resolve("json_rpc"));
    assertEquals(
        URI.create("https://h/tezos/chains/main/is_bootstrapped"),
        prefixed.resolve("chains/main/is_bootstrapped"));
    assertEquals(URI.create("https://h/tezos"), prefixed.resolve(""));
  }

  @Test
  void digestAnswerMatchesTheRfcExample() {
    // RFC 2617, section 3.5
    HttpHeaders challenge =
        HttpHeaders.of(
            Map.of(
                "WWW-Authenticate",
                List.of(
                    "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\","
                        + " nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\","
                        + " opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"")),
            (a, b) -> true);

    String header =
        DigestAuth.fromChallenge(challenge)
            .orElseThrow()
            .authorization("Mufasa", "Circle Of Life", "GET", "/dir/index.html", "0a4f113b");

    assertTrue(header.contains("response=\"6629fae49393a05397450978507c4ef1\""), header);
    assertTrue(header.contains("nc=00000001"), header);
    assertTrue(header.contains("opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""), header);
  }

  @Test
  void md5SessChallengeIsPassedOverForPlainMd5() {
    // monerod offers both; only MD5 is implemented
    HttpHeaders challenge =
        HttpHeaders.of(
            Map.of(
                "WWW-Authenticate",
                List.of(
                    "Digest qop=\"auth\",algorithm=MD5-sess,realm=\"monero-rpc\",nonce=\"a\"",
                    "Digest qop=\"auth\",algorithm=MD5,realm=\"monero-rpc\",nonce=\"b\"")),
            (a, b) -> true);

    String header =
        DigestAuth.fromChallenge(challenge).orElseThrow().authorization("u", "p", "POST", "/x");

    assertTrue(header.contains("nonce=\"b\""), header);
  }
}
