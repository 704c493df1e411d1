package io.chainsnap.publisher.service;

import static io.chainsnap.publisher.service.Events.created;
import static io.chainsnap.publisher.service.Events.id;
import static io.chainsnap.publisher.service.Events.uploaded;
import static io.chainsnap.publisher.service.Events.verified;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.domain.Mode;
import io.chainsnap.events.SnapshotTarget;
import io.chainsnap.publisher.CatalogStage;
import io.chainsnap.publisher.page.PagePublisher;
import io.chainsnap.publisher.page.StalePolicy;
import io.chainsnap.publisher.store.InMemoryArchiveStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every index {@link IndexService} writes is followed by its page and feed. */
class IndexServicePagesTest {

  @Test
  void pageAndFeedFollowEachIndexWrite() {
    InMemoryArchiveStore store = new InMemoryArchiveStore();
    Catalog catalog = new Catalog(store);
    IndexService service =
        new IndexService(
            store,
            catalog,
            new IndexBuilder(Optional.empty()),
            new PublisherMetrics(new SimpleMeterRegistry()));
    service.pages(
        new PagePublisher(
            store,
            new StalePolicy(Duration.ofHours(36), Map.of()),
            Clock.systemUTC(),
            true,
            Duration.ofMinutes(15)));
    SnapshotTarget target = Events.target(Mode.FULL);
    String id = id(Mode.FULL, 1);
    catalog.record(target, id, CatalogStage.CREATED, created(Mode.FULL, 1));
    catalog.record(target, id, CatalogStage.UPLOADED, uploaded(Mode.FULL, 1));
    service.changed(target, id);
    String page = page(store);
    assertTrue(page.contains("id=\"snapshot-" + id + "\""), page);
    assertTrue(page.contains("Not verified yet"));
    String feed =
        new String(store.peek("litecoin/regtest/feed.atom").orElseThrow(), StandardCharsets.UTF_8);
    assertTrue(feed.contains("at height 101: pending"), feed);

    service.verified(verified(Mode.FULL, 1, 3600));
    assertTrue(page(store).contains(">Verified<"));
    assertTrue(
        new String(store.peek("litecoin/regtest/feed.atom").orElseThrow(), StandardCharsets.UTF_8)
            .contains("at height 101: verified"));
  }

  static String page(InMemoryArchiveStore store) {
    return new String(
        store.peek("litecoin/regtest/index.html").orElseThrow(), StandardCharsets.UTF_8);
  }
}
