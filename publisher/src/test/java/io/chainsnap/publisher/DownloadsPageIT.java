package io.chainsnap.publisher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.archive.ArchiveManifest;
import io.chainsnap.archive.ArchiveWriter;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.QuiesceStrategy;
import io.chainsnap.domain.RejectionStage;
import io.chainsnap.domain.Sha256;
import io.chainsnap.events.ArchiveRef;
import io.chainsnap.events.CloudEventAttributes;
import io.chainsnap.events.EventCodec;
import io.chainsnap.events.EventData;
import io.chainsnap.events.EventType;
import io.chainsnap.events.SnapshotCreated;
import io.chainsnap.events.SnapshotRejected;
import io.chainsnap.events.SnapshotTarget;
import io.chainsnap.events.SnapshotVerified;
import io.chainsnap.publisher.page.AtomFeed;
import io.chainsnap.testsupport.HeadlessChromium;
import io.chainsnap.testsupport.IpfsResource;
import io.chainsnap.testsupport.KafkaResource;
import io.chainsnap.testsupport.KafkaTestClient;
import io.chainsnap.testsupport.S3Resource;
import io.chainsnap.testsupport.StaticFileServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.xml.parsers.DocumentBuilderFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * The downloads page and feed as the publisher writes them to a real s3proxy, after real events
 * over Kafka and real pins on js-ipfs, loaded from their S3 URL by headless Chromium with
 * JavaScript off: the rendered DOM shows the facts, every link on it answers 2xx from the local
 * stack, and screenshots go to {@code target/page-screenshots/}. Same resources as {@link
 * PublisherIT} (one application for both); its own networks ({@code pagetest}, {@code pagestale},
 * whose {@code stale-after} is 1 h in the test profile).
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(S3Resource.class)
@QuarkusTestResource(IpfsResource.class)
@QuarkusTestResource(SigningKeyResource.class)
class DownloadsPageIT {
  static final String HASH = "91280346e339bbc6614a0baf04b1a257da8b197b0b55ced010ad075270eac7cb";
  static final String HOSTILE_CLIENT = "/Litecoin<script>alert(1)</script>:0.21.2.1/";
  static final Duration WAIT = Duration.ofSeconds(120);
  static final Path SCREENSHOTS = Path.of("target", "page-screenshots");

  static Path stagingRoot;
  static StaticFileServer staging;
  final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

  @BeforeAll
  static void startStaging() throws Exception {
    stagingRoot = Files.createTempDirectory("chainsnap-page-staging-").toRealPath();
    staging = new StaticFileServer(stagingRoot);
  }

  @AfterAll
  static void stopStaging() {
    staging.close();
  }

  static String publicUrl(String key) {
    return S3Resource.server().endpoint() + "/chainsnap-test/" + key;
  }

  /** Stages a real archive (about 1 MB of random data) taken at {@code takenAt}. */
  SnapshotCreated stage(SnapshotTarget target, String id, long height, Instant takenAt)
      throws Exception {
    Path data = Files.createTempDirectory("chainsnap-page-data-");
    byte[] block = new byte[1 << 20];
    new Random(height).nextBytes(block);
    Files.createDirectories(data.resolve("blocks"));
    Files.write(data.resolve("blocks/blk00000.dat"), block);
    Path dir = Files.createDirectories(stagingRoot.resolve(id));
    ArchiveManifest manifest =
        ArchiveWriter.builder()
            .chunkSize(1 << 20)
            .build()
            .write(data, dir.resolve("snapshot.tar.zst"));
    SnapshotMetadata metadata =
        new SnapshotMetadata(
            1,
            id,
            target.chain(),
            target.network(),
            target.mode(),
            HOSTILE_CLIENT,
            height,
            HASH,
            takenAt,
            QuiesceStrategy.STOP,
            1000,
            manifest);
    byte[] json = metadata.toJson();
    Files.write(dir.resolve("snapshot.json"), json);
    return new SnapshotCreated(
        id,
        target,
        height,
        HASH,
        HOSTILE_CLIENT,
        takenAt,
        QuiesceStrategy.STOP,
        1000,
        new ArchiveRef(
            staging.url(id + "/snapshot.tar.zst"),
            staging.url(id + "/snapshot.json"),
            manifest.sha256(),
            Sha256.hex(json),
            manifest.compressedSize(),
            manifest.contentSize(),
            manifest.fileCount(),
            manifest.chunks().size(),
            manifest.formatVersion()));
  }

  void send(EventData event) {
    new KafkaTestClient(KafkaResource.bootstrapServers())
        .produce(
            EventType.of(event.getClass()).topic(),
            event.key(),
            EventCodec.encode(event),
            CloudEventAttributes.of("/test", event).toHeaders());
  }

  void awaitEvent(EventType type, String id) {
    new KafkaTestClient(KafkaResource.bootstrapServers())
        .await(type.topic(), r -> id.equals(r.key()), WAIT);
  }

  HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Publishes one snapshot through the real publisher: created, uploaded and pinned. */
  SnapshotCreated publish(SnapshotTarget target, String id, long height, Instant takenAt)
      throws Exception {
    SnapshotCreated created = stage(target, id, height, takenAt);
    send(created);
    awaitEvent(EventType.SNAPSHOT_UPLOADED, id);
    awaitEvent(EventType.SNAPSHOT_PINNED, id);
    return created;
  }

  /**
   * Waits until the published page (fetched over HTTP from S3) contains every one of {@code parts}.
   */
  void awaitPage(String url, String... parts) {
    Awaitility.await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              HttpResponse<String> r = get(url);
              return r.statusCode() == 200 && List.of(parts).stream().allMatch(r.body()::contains);
            });
  }

  static String mediaType(HttpResponse<?> response) {
    return response.headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase();
  }

  @Test
  void thePublishedPageRendersInABrowserWithEveryFactAndEveryLinkResolves() throws Exception {
    HeadlessChromium chromium = HeadlessChromium.withoutJavaScript(); // fails if not installed
    SnapshotTarget target = new SnapshotTarget("litecoin", "pagetest", Mode.FULL);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    SnapshotCreated good =
        publish(target, "litecoin-pagetest-full-a-200", 200, now.minusSeconds(600));
    send(
        new SnapshotVerified(
            good.snapshotId(), target, 200, HASH, publicUrl("x"), 1234, 567, Instant.now()));
    awaitEvent(EventType.SNAPSHOT_PUBLISHED, good.snapshotId());
    SnapshotCreated bad =
        publish(target, "litecoin-pagetest-full-b-210", 210, now.minusSeconds(300));
    send(
        new SnapshotRejected(
            bad.snapshotId(),
            target,
            publicUrl("x"),
            RejectionStage.CHECKSUM,
            "chunk 0 differs <b>bold</b>",
            Instant.now()));

    String pageUrl = publicUrl("litecoin/pagetest/index.html");
    String feedUrl = publicUrl("litecoin/pagetest/feed.atom");
    String indexUrl = publicUrl("litecoin/pagetest/index.json");
    awaitPage(pageUrl, "Rejected", "Latest full", "IPFS gateway");

    // served as HTML and Atom, public, not cached
    HttpResponse<String> pageResponse = get(pageUrl);
    // s3proxy answers the stored type without the blank after ';' (text/html;charset=utf-8)
    assertEquals("text/html;charset=utf-8", mediaType(pageResponse));
    assertEquals(
        "no-cache, max-age=0", pageResponse.headers().firstValue("Cache-Control").orElse(null));
    HttpResponse<String> feedResponse = get(feedUrl);
    assertEquals(200, feedResponse.statusCode());
    assertEquals("application/atom+xml;charset=utf-8", mediaType(feedResponse));
    assertFalse(pageResponse.body().contains("<script"), "the page as served has no script");

    // what a browser without JavaScript shows
    String dom = chromium.dumpDom(pageUrl);
    Files.createDirectories(SCREENSHOTS);
    Files.writeString(SCREENSHOTS.resolve("index.dom.html"), dom);
    Path shot = chromium.screenshot(pageUrl, SCREENSHOTS.resolve("index.png"), 1280, 2400);
    byte[] png = Files.readAllBytes(shot);
    assertTrue(png.length > 10_000, "a real screenshot: " + png.length + " bytes");
    assertEquals((byte) 0x89, png[0]);
    assertEquals("PNG", new String(png, 1, 3, StandardCharsets.US_ASCII));

    assertTrue(dom.contains("<h1>Snapshots of litecoin pagetest</h1>"), dom);
    for (String fact :
        List.of(
            good.snapshotId(),
            bad.snapshotId(),
            HASH,
            good.archive().sha256(),
            bad.archive().sha256(),
            ">200<",
            ">210<",
            "Up to date",
            "Verified",
            "Rejected",
            "Latest full",
            "restored in 1234 ms",
            "checksum: chunk 0 differs &lt;b&gt;bold&lt;/b&gt;",
            "&lt;script&gt;alert(1)&lt;/script&gt;",
            "chainsnap restore --index "
                + indexUrl
                + " --trusted-key "
                + io.chainsnap.archive.signing.Ed25519Keys.fingerprint(
                    SigningKeyResource.key().publicKey())
                + " --chain litecoin --network pagetest --id "
                + good.snapshotId()
                + " --dest ./litecoin-pagetest-data")) {
      assertTrue(dom.contains(fact), "the page shows " + fact);
    }
    assertFalse(dom.contains("<script"), "no script element, the hostile client version is text");
    assertFalse(dom.contains("<b>bold"), "the hostile rejection reason is text");
    assertFalse(
        dom.contains("--id " + bad.snapshotId()), "no restore command for the rejected snapshot");

    // every link answers from the local stack (S3 objects, IPFS gateway) or is an anchor on the
    // page
    List<String> links = HeadlessChromium.links(dom);
    String archiveUrl =
        publicUrl("litecoin/pagetest/full/" + good.snapshotId() + "/snapshot.tar.zst");
    for (String expected :
        List.of(
            indexUrl,
            feedUrl,
            publicUrl("litecoin/pagetest/index.json.sig"),
            publicUrl("litecoin/pagetest/keys.json"),
            publicUrl("litecoin/pagetest/index.v1.schema.json"),
            archiveUrl,
            publicUrl("litecoin/pagetest/full/" + good.snapshotId() + "/snapshot.json"),
            publicUrl("litecoin/pagetest/full/" + good.snapshotId() + "/SHA256SUMS"),
            "#snapshot-" + good.snapshotId())) {
      assertTrue(links.contains(expected), "the page links " + expected + ": " + links);
    }
    assertTrue(
        links.stream().anyMatch(l -> l.startsWith(IpfsResource.node().gatewayUrl() + "/ipfs/")),
        "an IPFS gateway link: " + links);
    List<String> failed = new ArrayList<>();
    for (String link : links) {
      if (link.startsWith("#")) {
        if (!dom.contains("id=\"" + link.substring(1) + "\"")) {
          failed.add(link + " (no such anchor)");
        }
        continue;
      }
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(URI.create(link)).build(),
              HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() / 100 != 2) {
        failed.add(link + " -> " + r.statusCode());
      }
    }
    assertEquals(List.of(), failed, "every link resolves");

    // the feed: well-formed Atom, one entry per snapshot, each pointing at its place on the page
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Document feed =
        factory
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(feedResponse.body().getBytes(StandardCharsets.UTF_8)));
    assertEquals("http://www.w3.org/2005/Atom", feed.getDocumentElement().getNamespaceURI());
    assertEquals(
        2, feed.getElementsByTagNameNS("http://www.w3.org/2005/Atom", "entry").getLength());
    assertTrue(
        feedResponse.body().contains(AtomFeed.entryId("litecoin", "pagetest", good.snapshotId())));
    assertTrue(
        feedResponse.body().contains("href=\"" + pageUrl + "#snapshot-" + bad.snapshotId() + "\""));
    assertTrue(feedResponse.body().contains("at height 210: rejected"));
    assertTrue(dom.contains("rel=\"alternate\" type=\"application/atom+xml\""));
  }

  @Test
  void aChainWhoseNewestVerifiedSnapshotIsTooOldIsMarkedStale() throws Exception {
    HeadlessChromium chromium = HeadlessChromium.withoutJavaScript();
    SnapshotTarget target = new SnapshotTarget("litecoin", "pagestale", Mode.FULL);
    Instant threeHoursAgo = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.MILLIS);
    SnapshotCreated old = publish(target, "litecoin-pagestale-full-a-300", 300, threeHoursAgo);
    send(
        new SnapshotVerified(
            old.snapshotId(), target, 300, HASH, publicUrl("x"), 10, 20, Instant.now()));
    String pageUrl = publicUrl("litecoin/pagestale/index.html");
    awaitPage(pageUrl, "Latest full");

    String dom = chromium.dumpDom(pageUrl);
    chromium.screenshot(pageUrl, SCREENSHOTS.resolve("stale.png"), 1280, 1600);
    assertTrue(dom.contains("<span class=\"badge stale\">Stale</span>"), dom);
    assertTrue(
        dom.contains("Stale: the newest verified full snapshot is older than 1 h."),
        "the banner names the allowance of litecoin/pagestale (1 h in the test profile)");
    assertTrue(dom.contains("taken 3 h ago"), dom);
  }
}
