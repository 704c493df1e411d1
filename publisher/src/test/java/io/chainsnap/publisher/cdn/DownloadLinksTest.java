package io.chainsnap.publisher.cdn;

import static io.chainsnap.publisher.cdn.CloudFrontSignatures.cannedPolicy;
import static io.chainsnap.publisher.cdn.CloudFrontSignatures.query;
import static io.chainsnap.publisher.cdn.CloudFrontSignatures.resource;
import static io.chainsnap.publisher.cdn.CloudFrontSignatures.verifies;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.publisher.cdn.CloudFrontUrlSigner.Policy;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which index sources {@link DownloadLinks} signs, and the download window it reports. */
class DownloadLinksTest {
  static final String PREFIX = "https://d111111abcdef8.cloudfront.net/";
  static final Instant NOW = Instant.parse("2026-12-03T18:00:00Z");

  static KeyPair pair;
  static CloudFrontUrlSigner signer;

  @BeforeAll
  static void keys(@TempDir Path dir) throws Exception {
    pair = CloudFrontSignatures.rsa2048();
    Path pem = CloudFrontSignatures.writePrivatePem(pair, dir.resolve("k.pem"));
    signer =
        new CloudFrontUrlSigner(
            "K2JCJMDEHXQW5F",
            CloudFrontUrlSigner.readPrivateKey(pem),
            Policy.CANNED,
            Duration.ofHours(12),
            Optional.empty(),
            Optional.empty());
  }

  static Map<String, String> sources() {
    Map<String, String> sources = new LinkedHashMap<>();
    sources.put("https", PREFIX + "litecoin/regtest/s1/snapshot.tar.zst");
    sources.put("manifest", PREFIX + "litecoin/regtest/s1/snapshot.json");
    sources.put("s3", "s3://bucket/litecoin/regtest/s1/snapshot.tar.zst");
    sources.put("ipfs", "ipfs://bafy");
    sources.put("ipfs-gateway", "https://ipfs.io/ipfs/bafy");
    return sources;
  }

  @Test
  void signsTheCloudFrontSourcesOfNonPublicTargetsOnly() throws Exception {
    DownloadLinks links =
        new DownloadLinks(
            Optional.of(signer),
            Optional.of(Set.of("litecoin/regtest")),
            PREFIX,
            Clock.fixed(NOW, ZoneOffset.UTC));

    Map<String, String> signed = links.links("litecoin", "regtest", sources());
    for (String name : new String[] {"https", "manifest"}) {
      String url = signed.get(name);
      assertEquals(sources().get(name), resource(url));
      Map<String, String> query = query(url);
      long expires = Long.parseLong(query.get("Expires"));
      assertEquals(NOW.plus(Duration.ofHours(12)).getEpochSecond(), expires);
      assertTrue(
          verifies(pair.getPublic(), cannedPolicy(resource(url), expires), query.get("Signature")));
    }
    for (String name : new String[] {"s3", "ipfs", "ipfs-gateway"}) {
      assertEquals(sources().get(name), signed.get(name), name + " is not a CloudFront link");
    }

    Map<String, String> publicTarget = sources();
    assertSame(publicTarget, links.links("litecoin", "mainnet", publicTarget), "public: as is");
    // a link signed earlier (the target was non-public then) is published plain again
    Map<String, String> unsigned = links.links("litecoin", "mainnet", signed);
    assertEquals(sources(), unsigned);

    assertTrue(links.signs("litecoin", "regtest"));
    assertEquals(Duration.ofHours(12), links.maxDownloadWindow());
  }

  @Test
  void withoutSignedUrlsLinksArePlainAndTheWindowIsZero() {
    DownloadLinks plain =
        new DownloadLinks(Optional.empty(), Optional.empty(), PREFIX, Clock.systemUTC());
    Map<String, String> sources = sources();
    assertSame(sources, plain.links("litecoin", "regtest", sources));
    assertEquals(Duration.ZERO, plain.maxDownloadWindow());

    DownloadLinks all =
        new DownloadLinks(Optional.of(signer), Optional.empty(), PREFIX, Clock.systemUTC());
    assertTrue(all.signs("any", "network"), "no targets listed: every chain/network");
  }
}
