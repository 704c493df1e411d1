package io.chainsnap.publisher.cdn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The base of public object URLs: CloudFront domain, configured base URL, or S3 (the default). */
class PublicUrlsTest {
  @Test
  void cloudFrontDomainGivesHttpsOnTheDomain() {
    assertEquals(
        "https://d111111abcdef8.cloudfront.net",
        PublicUrls.base(
            Optional.of("D111111abcdef8.cloudfront.net"),
            Optional.empty(),
            Optional.of("http://127.0.0.1:9000"),
            "bucket"));
  }

  @Test
  void withoutADomainNothingChanges() {
    assertEquals(
        "http://127.0.0.1:9000/chainsnap",
        PublicUrls.base(
            Optional.empty(), Optional.empty(), Optional.of("http://127.0.0.1:9000"), "chainsnap"));
    assertEquals(
        "https://s3.amazonaws.com/chainsnap",
        PublicUrls.base(Optional.empty(), Optional.empty(), Optional.empty(), "chainsnap"));
    assertEquals(
        "https://downloads.example.org",
        PublicUrls.base(
            Optional.empty(),
            Optional.of("https://downloads.example.org/"),
            Optional.empty(),
            "chainsnap"));
  }

  @Test
  void refusesADomainWithABaseUrlOrAUrlForADomain() {
    IllegalArgumentException both =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PublicUrls.base(
                    Optional.of("d1.cloudfront.net"),
                    Optional.of("https://x.example"),
                    Optional.empty(),
                    "b"));
    assertTrue(both.getMessage().contains("not both"), both.getMessage());
    IllegalArgumentException url =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PublicUrls.base(
                    Optional.of("https://d1.cloudfront.net/"),
                    Optional.empty(),
                    Optional.empty(),
                    "b"));
    assertTrue(url.getMessage().contains("without https://"), url.getMessage());
  }
}
