package io.chainsnap.publisher.page;

import static io.chainsnap.publisher.page.Pages.T0;
import static io.chainsnap.publisher.page.Pages.entry;
import static io.chainsnap.publisher.page.Pages.index;
import static io.chainsnap.publisher.page.Pages.parse;
import static io.chainsnap.publisher.page.Pages.text;
import static io.chainsnap.publisher.page.Pages.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.VerificationStatus;
import io.chainsnap.publisher.store.InMemoryArchiveStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** {@link PagePublisher} over an in-memory store, with a clock the test moves. */
class PagePublisherTest {
  static final String INDEX = "litecoin/regtest/index.json";

  /** A clock the test sets. */
  static final class MovableClock extends Clock {
    Instant now = T0;

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
  final MovableClock clock = new MovableClock();
  final PagePublisher pages =
      new PagePublisher(
          store,
          new StalePolicy(Duration.ofHours(36), Map.of()),
          clock,
          true,
          Duration.ofMinutes(15));

  SnapshotIndex stored(long sequence) {
    SnapshotIndex.Entry e = entry("ltc-a-100", Mode.FULL, 100, T0, VerificationStatus.VERIFIED);
    SnapshotIndex i = index("litecoin", "regtest", List.of(e));
    SnapshotIndex index =
        new SnapshotIndex(
            1, i.chain(), i.network(), sequence, i.generatedAt(), i.latest(), i.snapshots());
    store.putRaw(INDEX, index.toJson());
    return index;
  }

  Document page() throws Exception {
    return parse(
        new String(
            store.peek("litecoin/regtest/index.html").orElseThrow(), StandardCharsets.UTF_8));
  }

  @Test
  void writesPageAndFeedBesideTheIndexWithTheirContentTypes() throws Exception {
    pages.published(INDEX, stored(3));
    assertEquals(
        "text/html; charset=utf-8", store.contentType("litecoin/regtest/index.html").orElseThrow());
    assertEquals(
        "application/atom+xml; charset=utf-8",
        store.contentType("litecoin/regtest/feed.atom").orElseThrow());
    Document feed =
        parse(
            new String(
                store.peek("litecoin/regtest/feed.atom").orElseThrow(), StandardCharsets.UTF_8));
    assertEquals(
        1, feed.getElementsByTagNameNS("http://www.w3.org/2005/Atom", "entry").getLength());
    Document page = page();
    List<String> expected =
        new java.util.ArrayList<>(
            List.of(
                "https://cdn.example/litecoin/regtest/index.json",
                "https://cdn.example/litecoin/regtest/feed.atom"));
    for (io.chainsnap.archive.DocumentSchema schema :
        io.chainsnap.archive.DocumentSchema.values()) {
      expected.add("https://cdn.example/litecoin/regtest/" + schema.fileName());
    }
    assertEquals(expected, values(page, "//nav//a/@href"));
    assertTrue(text(page, "//nav").contains("not signed"));

    // once the signature is stored beside the index, the page links it
    store.putRaw("litecoin/regtest/index.json.sig", new byte[64]);
    pages.published(INDEX, stored(4));
    assertTrue(
        values(page(), "//nav//a/@href")
            .contains("https://cdn.example/litecoin/regtest/index.json.sig"));
  }

  @Test
  void aRefreshFollowsTheClockButNeverWritesAnOlderIndexOverANewerPage() throws Exception {
    pages.published(INDEX, stored(5));
    assertEquals("Up to date", text(page(), "//ul[@class='status']/li/span"));

    clock.now = T0.plus(Duration.ofHours(40));
    pages.refreshAll();
    assertEquals("Stale", text(page(), "//ul[@class='status']/li/span"), "no index change needed");

    // the store answers an older index (a refresh racing a newer write): page left alone
    stored(4);
    clock.now = T0;
    assertFalse(pages.refresh(INDEX));
    assertEquals("Stale", text(page(), "//ul[@class='status']/li/span"));
    assertTrue(text(page(), "//header/p").contains("sequence 5"));
  }

  @Test
  void disabledWritesNothingAndBadIntervalsFailAtStartUp() {
    PagePublisher off =
        new PagePublisher(
            store,
            new StalePolicy(Duration.ofHours(1), Map.of()),
            clock,
            false,
            Duration.ofMinutes(1));
    off.published(INDEX, stored(1));
    assertTrue(store.peek("litecoin/regtest/index.html").isEmpty());
    assertTrue(store.peek("litecoin/regtest/feed.atom").isEmpty());
    IllegalArgumentException interval =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new PagePublisher(
                    store,
                    new StalePolicy(Duration.ofHours(1), Map.of()),
                    clock,
                    true,
                    Duration.ZERO));
    assertTrue(interval.getMessage().contains("publisher.page.refresh-interval"));
    IllegalArgumentException stale =
        assertThrows(
            IllegalArgumentException.class, () -> new StalePolicy(Duration.ofHours(-1), Map.of()));
    assertTrue(stale.getMessage().contains("publisher.page.stale-after"));
    IllegalArgumentException key =
        assertThrows(
            IllegalArgumentException.class,
            () -> new StalePolicy(Duration.ofHours(1), Map.of("litecoin", Duration.ofHours(1))));
    assertTrue(key.getMessage().contains("\"<chain>/<network>\""), key.getMessage());
  }
}
