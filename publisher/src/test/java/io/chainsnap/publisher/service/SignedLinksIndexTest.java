package io.chainsnap.publisher.service;

import static io.chainsnap.publisher.cdn.CloudFrontSignatures.cannedPolicy;
import static io.chainsnap.publisher.cdn.CloudFrontSignatures.query;
import static io.chainsnap.publisher.cdn.CloudFrontSignatures.resource;
import static io.chainsnap.publisher.cdn.CloudFrontSignatures.verifies;
import static io.chainsnap.publisher.service.Events.created;
import static io.chainsnap.publisher.service.Events.id;
import static io.chainsnap.publisher.service.Events.target;
import static io.chainsnap.publisher.service.Events.uploaded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.domain.Mode;
import io.chainsnap.events.SnapshotTarget;
import io.chainsnap.publisher.CatalogStage;
import io.chainsnap.publisher.cdn.CloudFrontSignatures;
import io.chainsnap.publisher.cdn.CloudFrontUrlSigner;
import io.chainsnap.publisher.cdn.DownloadLinks;
import io.chainsnap.publisher.cdn.SignedLinkRefresh;
import io.chainsnap.publisher.store.CatalogKeys;
import io.chainsnap.publisher.store.InMemoryArchiveStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed links through the real {@link IndexService} and {@link IndexBuilder}: a new entry and the
 * entries already listed are signed afresh at every index write, and {@link SignedLinkRefresh}
 * writes an index again once its links are half their lifetime old.
 */
class SignedLinksIndexTest {
  static final SnapshotTarget FULL = target(Mode.FULL);
  static final String INDEX = CatalogKeys.index("litecoin", "regtest");
  static final Duration LIFETIME = Duration.ofHours(12);

  /** A clock the test moves. */
  static final class MovingClock extends Clock {
    Instant now = Instant.parse("2026-12-03T12:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  final InMemoryArchiveStore store = new InMemoryArchiveStore();
  final Catalog catalog = new Catalog(store);
  final MovingClock clock = new MovingClock();

  SnapshotIndex stored() {
    return SnapshotIndex.read(store.peek(INDEX).orElseThrow());
  }

  /** Asserts that {@code url} is signed, verifies with {@code pair}, and expires at {@code at}. */
  static void assertSignedUntil(KeyPair pair, String url, Instant at) throws Exception {
    Map<String, String> query = query(url);
    assertEquals(at.getEpochSecond(), Long.parseLong(query.get("Expires")), url);
    assertTrue(
        verifies(
            pair.getPublic(),
            cannedPolicy(resource(url), at.getEpochSecond()),
            query.get("Signature")),
        url);
  }

  @Test
  void listedEntriesAreSignedAfreshAndRefreshedAtHalfTheirLifetime(@TempDir Path dir)
      throws Exception {
    KeyPair pair = CloudFrontSignatures.rsa2048();
    CloudFrontUrlSigner signer =
        new CloudFrontUrlSigner(
            "K2JCJMDEHXQW5F",
            CloudFrontUrlSigner.readPrivateKey(
                CloudFrontSignatures.writePrivatePem(pair, dir.resolve("k.pem"))),
            CloudFrontUrlSigner.Policy.CANNED,
            LIFETIME,
            Optional.empty(),
            Optional.empty());
    DownloadLinks links =
        new DownloadLinks(
            Optional.of(signer),
            Optional.of(Set.of("litecoin/regtest")),
            "https://cdn.example/",
            clock);
    IndexService service =
        new IndexService(
            store,
            catalog,
            new IndexBuilder(Optional.empty()).withLinks(links),
            new PublisherMetrics(new SimpleMeterRegistry()));
    SignedLinkRefresh refresh = new SignedLinkRefresh(links, service, store, null, clock);

    String first = id(Mode.FULL, 1);
    catalog.record(FULL, first, CatalogStage.CREATED, created(Mode.FULL, 1));
    catalog.record(FULL, first, CatalogStage.UPLOADED, uploaded(Mode.FULL, 1));
    Instant t0 = clock.now;
    service.changed(FULL, first);
    SnapshotIndex.Entry entry = stored().snapshots().get(0);
    assertSignedUntil(pair, entry.sources().get("https"), t0.plus(LIFETIME));
    assertSignedUntil(pair, entry.sources().get("manifest"), t0.plus(LIFETIME));
    assertEquals(
        uploaded(Mode.FULL, 1).archiveUrl(), resource(entry.sources().get("https")), "same object");
    assertEquals(
        "s3://test-bucket/" + uploaded(Mode.FULL, 1).archiveKey(), entry.sources().get("s3"));

    // another snapshot an hour later: the listed entry is signed again, once
    clock.now = t0.plus(Duration.ofHours(1));
    String second = id(Mode.FULL, 2);
    catalog.record(FULL, second, CatalogStage.CREATED, created(Mode.FULL, 2));
    catalog.record(FULL, second, CatalogStage.UPLOADED, uploaded(Mode.FULL, 2));
    service.changed(FULL, second);
    for (SnapshotIndex.Entry listed : stored().snapshots()) {
      String https = listed.sources().get("https");
      assertSignedUntil(pair, https, clock.now.plus(LIFETIME));
      assertEquals(3, query(https).size(), "one signature: " + https);
    }
    long sequence = stored().sequence();

    // before half the lifetime nothing is due; after it the index is written again
    clock.now = t0.plus(Duration.ofHours(6));
    refresh.refreshDue();
    assertEquals(sequence, stored().sequence(), "links signed at t0+1h are not due at t0+6h");
    clock.now = t0.plus(Duration.ofHours(7)).plusSeconds(1);
    refresh.refreshDue();
    assertEquals(sequence + 1, stored().sequence());
    for (SnapshotIndex.Entry listed : stored().snapshots()) {
      assertSignedUntil(pair, listed.sources().get("https"), clock.now.plus(LIFETIME));
    }
    assertEquals(LIFETIME, links.maxDownloadWindow());
  }
}
