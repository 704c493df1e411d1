package io.chainsnap.publisher.cdn;

import static io.chainsnap.publisher.cdn.CloudFrontSignatures.cannedPolicy;
import static io.chainsnap.publisher.cdn.CloudFrontSignatures.decode;
import static io.chainsnap.publisher.cdn.CloudFrontSignatures.query;
import static io.chainsnap.publisher.cdn.CloudFrontSignatures.resource;
import static io.chainsnap.publisher.cdn.CloudFrontSignatures.verifies;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainsnap.publisher.cdn.CloudFrontUrlSigner.Policy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed URLs made by the SDK's {@code CloudFrontUtilities} through {@link CloudFrontUrlSigner},
 * checked against CloudFront's documented format with the public key of a key pair made here (no
 * CloudFront edge is reachable to try them).
 */
class CloudFrontUrlSignerTest {
  static final String URL =
      "https://d111111abcdef8.cloudfront.net/litecoin/regtest/litecoin-regtest-full-a-100/snapshot.tar.zst";
  static final Instant NOW = Instant.parse("2026-12-03T18:00:00Z");

  static KeyPair pair;
  static Path pem;

  @BeforeAll
  static void keys(@TempDir Path dir) throws Exception {
    pair = CloudFrontSignatures.rsa2048();
    pem = CloudFrontSignatures.writePrivatePem(pair, dir.resolve("cloudfront.pem"));
  }

  static CloudFrontUrlSigner signer(
      Policy policy, Optional<Duration> skew, Optional<String> ipRange) {
    return new CloudFrontUrlSigner(
        "K2JCJMDEHXQW5F",
        CloudFrontUrlSigner.readPrivateKey(pem),
        policy,
        Duration.ofHours(6),
        skew,
        ipRange);
  }

  @Test
  void cannedPolicyUrlVerifiesWithThePublicKey() throws Exception {
    String signed = signer(Policy.CANNED, Optional.empty(), Optional.empty()).sign(URL, NOW);

    assertEquals(URL, resource(signed));
    Map<String, String> query = query(signed);
    assertEquals(List.of("Expires", "Signature", "Key-Pair-Id"), List.copyOf(query.keySet()));
    long expires = Long.parseLong(query.get("Expires"));
    assertEquals(NOW.plus(Duration.ofHours(6)).getEpochSecond(), expires);
    assertEquals("K2JCJMDEHXQW5F", query.get("Key-Pair-Id"));
    assertTrue(
        query.get("Signature").matches("[A-Za-z0-9~_-]+"),
        "CloudFront base64 has no + = /: " + query.get("Signature"));
    assertEquals(256, decode(query.get("Signature")).length, "an RSA 2048 signature");
    assertTrue(verifies(pair.getPublic(), cannedPolicy(URL, expires), query.get("Signature")));

    // the signature covers the resource and the expiry: another object or time does not verify
    assertFalse(
        verifies(
            pair.getPublic(),
            cannedPolicy(URL.replace("-100/", "-101/"), expires),
            query.get("Signature")));
    assertFalse(verifies(pair.getPublic(), cannedPolicy(URL, expires + 1), query.get("Signature")));
    // nor another key's
    assertFalse(
        verifies(
            CloudFrontSignatures.rsa2048().getPublic(),
            cannedPolicy(URL, expires),
            query.get("Signature")));
  }

  @Test
  void customPolicyUrlCarriesItsPolicyAndVerifies() throws Exception {
    String signed =
        signer(Policy.CUSTOM, Optional.of(Duration.ofMinutes(5)), Optional.of("192.0.2.0/24"))
            .sign(URL, NOW);

    assertEquals(URL, resource(signed));
    Map<String, String> query = query(signed);
    assertEquals(List.of("Policy", "Signature", "Key-Pair-Id"), List.copyOf(query.keySet()));
    assertTrue(query.get("Policy").matches("[A-Za-z0-9~_-]+"), query.get("Policy"));
    String policy = new String(decode(query.get("Policy")), StandardCharsets.UTF_8);

    JsonNode statements = new ObjectMapper().readTree(policy).get("Statement");
    assertEquals(1, statements.size());
    JsonNode statement = statements.get(0);
    assertEquals(URL, statement.get("Resource").asText());
    JsonNode condition = statement.get("Condition");
    assertEquals(
        NOW.plus(Duration.ofHours(6)).getEpochSecond(),
        condition.get("DateLessThan").get("AWS:EpochTime").asLong());
    assertEquals(
        NOW.minus(Duration.ofMinutes(5)).getEpochSecond(),
        condition.get("DateGreaterThan").get("AWS:EpochTime").asLong());
    assertEquals("192.0.2.0/24", condition.get("IpAddress").get("AWS:SourceIp").asText());

    assertTrue(verifies(pair.getPublic(), policy, query.get("Signature")));
    assertFalse(
        verifies(
            pair.getPublic(), policy.replace("192.0.2.0", "198.51.100.0"), query.get("Signature")));
  }

  @Test
  void customPolicyWithExpiryOnlyHasNoOtherCondition() throws Exception {
    String signed = signer(Policy.CUSTOM, Optional.empty(), Optional.empty()).sign(URL, NOW);
    Map<String, String> query = query(signed);
    String policy = new String(decode(query.get("Policy")), StandardCharsets.UTF_8);
    JsonNode condition =
        new ObjectMapper().readTree(policy).get("Statement").get(0).get("Condition");
    assertEquals(List.of("DateLessThan"), list(condition.fieldNames()));
    assertTrue(verifies(pair.getPublic(), policy, query.get("Signature")));
  }

  @Test
  void signingASignedUrlReplacesItsSignature() throws Exception {
    CloudFrontUrlSigner signer = signer(Policy.CANNED, Optional.empty(), Optional.empty());
    String first = signer.sign(URL + "?download=1", NOW);
    String second = signer.sign(first, NOW.plusSeconds(60));

    assertEquals(URL + "?download=1", CloudFrontUrlSigner.unsigned(second));
    Map<String, String> query = query(second);
    assertEquals(
        List.of("download", "Expires", "Signature", "Key-Pair-Id"), List.copyOf(query.keySet()));
    long expires = Long.parseLong(query.get("Expires"));
    assertEquals(NOW.plusSeconds(60).plus(Duration.ofHours(6)).getEpochSecond(), expires);
    // the resource signed includes the URL's own query, as CloudFront requires
    assertTrue(
        verifies(
            pair.getPublic(), cannedPolicy(URL + "?download=1", expires), query.get("Signature")));
    assertEquals(URL, CloudFrontUrlSigner.unsigned(signer.sign(URL, NOW)));
  }

  @Test
  void refusesInvalidSettingsClearly(@TempDir Path dir) throws Exception {
    IllegalArgumentException cannedWithIp =
        assertThrows(
            IllegalArgumentException.class,
            () -> signer(Policy.CANNED, Optional.empty(), Optional.of("192.0.2.0/24")));
    assertTrue(cannedWithIp.getMessage().contains("policy=custom"), cannedWithIp.getMessage());
    IllegalArgumentException badCidr =
        assertThrows(
            IllegalArgumentException.class,
            () -> signer(Policy.CUSTOM, Optional.empty(), Optional.of("192.0.2.0")));
    assertTrue(badCidr.getMessage().contains("ip-range"), badCidr.getMessage());
    IllegalArgumentException policy =
        assertThrows(IllegalArgumentException.class, () -> Policy.of("signed"));
    assertTrue(policy.getMessage().contains("canned or custom"), policy.getMessage());
    Path notAKey = Files.writeString(dir.resolve("not-a-key.pem"), "hello\n");
    IllegalArgumentException key =
        assertThrows(
            IllegalArgumentException.class, () -> CloudFrontUrlSigner.readPrivateKey(notAKey));
    assertTrue(key.getMessage().contains("private-key-file"), key.getMessage());
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> CloudFrontUrlSigner.readPrivateKey(dir.resolve("absent.pem")));
    assertTrue(missing.getMessage().contains("not a readable file"), missing.getMessage());
  }

  private static <T> List<T> list(java.util.Iterator<T> iterator) {
    List<T> list = new java.util.ArrayList<>();
    iterator.forEachRemaining(list::add);
    return list;
  }
}
