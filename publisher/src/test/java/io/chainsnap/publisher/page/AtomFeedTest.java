package io.chainsnap.publisher.page;

import static io.chainsnap.publisher.page.Pages.LINKS;
import static io.chainsnap.publisher.page.Pages.T0;
import static io.chainsnap.publisher.page.Pages.entry;
import static io.chainsnap.publisher.page.Pages.index;
import static io.chainsnap.publisher.page.Pages.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.VerificationStatus;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** {@link AtomFeed}: a well-formed RFC 4287 feed with one entry per snapshot. */
class AtomFeedTest {
  static final String ATOM = "http://www.w3.org/2005/Atom";

  static List<Element> children(Node parent, String name) {
    List<Element> out = new ArrayList<>();
    NodeList list = parent.getChildNodes();
    for (int i = 0; i < list.getLength(); i++) {
      if (list.item(i) instanceof Element e
          && ATOM.equals(e.getNamespaceURI())
          && name.equals(e.getLocalName())) {
        out.add(e);
      }
    }
    return out;
  }

  static String one(Node parent, String name) {
    List<Element> found = children(parent, name);
    assertEquals(1, found.size(), "exactly one atom:" + name);
    return found.get(0).getTextContent();
  }

  static void rfc3339(String value) {
    OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME); // throws if not
  }

  @Test
  void aWellFormedFeedWithTheRequiredElementsAndOneEntryPerSnapshot() throws Exception {
    SnapshotIndex.Entry verified =
        entry("ltc-a-100", Mode.FULL, 100, T0, VerificationStatus.VERIFIED);
    SnapshotIndex.Entry rejected =
        entry("ltc-r-130", Mode.FULL, 130, T0.plusSeconds(900), VerificationStatus.REJECTED);
    SnapshotIndex.Entry pending =
        entry("ltc-p-140", Mode.PRUNED, 140, T0.plusSeconds(1200), VerificationStatus.PENDING);
    SnapshotIndex index = index("litecoin", "regtest", List.of(verified, rejected, pending));
    Document feed = parse(AtomFeed.render(index, LINKS));

    Element root = feed.getDocumentElement();
    assertEquals(ATOM, root.getNamespaceURI());
    assertEquals("feed", root.getLocalName());
    assertTrue(one(root, "id").startsWith("urn:uuid:"));
    assertEquals("litecoin regtest snapshots", one(root, "title"));
    assertEquals(index.generatedAt().toString(), one(root, "updated"));
    rfc3339(one(root, "updated"));
    assertEquals(
        "chainsnap publisher",
        children(children(root, "author").get(0), "name").get(0).getTextContent());
    Map<String, String> feedLinks = new java.util.HashMap<>();
    for (Element link : children(root, "link")) {
      feedLinks.put(link.getAttribute("rel"), link.getAttribute("href"));
    }
    assertEquals(LINKS.feed(), feedLinks.get("self"));
    assertEquals(LINKS.page(), feedLinks.get("alternate"));

    List<Element> entries = children(root, "entry");
    assertEquals(3, entries.size(), "one entry per snapshot");
    HashSet<String> ids = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      Element entry = entries.get(i);
      SnapshotIndex.Entry e = index.snapshots().get(i);
      String id = one(entry, "id");
      assertEquals(AtomFeed.entryId("litecoin", "regtest", e.snapshotId()), id);
      assertTrue(ids.add(id), "entry ids are unique");
      rfc3339(one(entry, "updated"));
      assertEquals(e.takenAt().toString(), one(entry, "published"));
      one(entry, "title");
      one(entry, "summary");
      List<String> categories =
          children(entry, "category").stream().map(c -> c.getAttribute("term")).toList();
      assertEquals(List.of(e.verification().status().wireName(), e.mode().wireName()), categories);
      Element alternate =
          children(entry, "link").stream()
              .filter(l -> l.getAttribute("rel").equals("alternate"))
              .findFirst()
              .orElseThrow();
      assertEquals(LINKS.page() + "#snapshot-" + e.snapshotId(), alternate.getAttribute("href"));
      Element enclosure =
          children(entry, "link").stream()
              .filter(l -> l.getAttribute("rel").equals("enclosure"))
              .findFirst()
              .orElseThrow();
      assertEquals(e.sources().get("https"), enclosure.getAttribute("href"));
      assertEquals("7340032", enclosure.getAttribute("length"));
    }
    // a verdict is an update of its entry; a pending one is dated when it was taken
    assertEquals(rejected.verification().at().toString(), one(entries.get(1), "updated"));
    assertEquals(pending.takenAt().toString(), one(entries.get(0), "updated"));
    assertEquals("litecoin regtest full at height 130: rejected", one(entries.get(1), "title"));
    assertTrue(
        one(entries.get(1), "summary")
            .contains("Rejected 2026-11-21 23:48:00 UTC: checksum: chunk 3 differs"));
    // ids do not depend on where the feed is served, and differ per chain/network
    assertNotEquals(
        AtomFeed.entryId("litecoin", "regtest", "x"), AtomFeed.entryId("litecoin", "mainnet", "x"));
  }

  @Test
  void hostileValuesStayText() throws Exception {
    SnapshotIndex.Entry e =
        new SnapshotIndex.Entry(
            "x-1",
            Mode.FULL,
            1,
            "]]><evil/>",
            "v",
            T0,
            1,
            1,
            1,
            "<sha>",
            Map.of("https", "javascript:alert(1)", "manifest", "https://cdn.example/a?b=1&c=2"),
            new SnapshotIndex.Verification(
                VerificationStatus.REJECTED, T0, "<![CDATA[x]]>&\u0001"));
    SnapshotIndex index =
        new SnapshotIndex(1, "<chain attr='1'>", "&net;", 1, T0, Map.of(), List.of(e));
    Document feed = parse(AtomFeed.render(index, LINKS));
    Element root = feed.getDocumentElement();
    assertEquals("<chain attr='1'> &net; snapshots", one(root, "title"));
    Element entry = children(root, "entry").get(0);
    String summary = one(entry, "summary");
    assertTrue(summary.contains("block ]]><evil/>"), summary);
    assertTrue(summary.contains("<![CDATA[x]]>&\uFFFD"), summary);
    assertEquals(0, feed.getElementsByTagNameNS("*", "evil").getLength());
    List<String> rels = children(entry, "link").stream().map(l -> l.getAttribute("rel")).toList();
    assertEquals(List.of("alternate", "related"), rels, "no enclosure for a javascript: URL");
    assertEquals(
        "https://cdn.example/a?b=1&c=2", children(entry, "link").get(1).getAttribute("href"));
  }
}
