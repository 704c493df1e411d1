package io.chainsnap.publisher.page;

import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.VerificationStatus;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** Indexes, links and an XML parser for the page and feed tests. */
final class Pages {
  static final Instant T0 = Instant.parse("2026-11-21T22:33:00Z");
  static final String HASH = "91280346e339bbc6614a0baf04b1a257da8b197b0b55ced010ad075270eac7cb";
  static final PageLinks LINKS =
      new PageLinks(
          "https://cdn.example/litecoin/regtest/index.html",
          "https://cdn.example/litecoin/regtest/feed.atom",
          "https://cdn.example/litecoin/regtest/index.json",
          Optional.empty(),
          Optional.empty(),
          List.of("https://cdn.example/litecoin/regtest/index.v1.schema.json"));

  private Pages() {}

  static Map<String, String> sources(String id, boolean pinned) {
    Map<String, String> s = new LinkedHashMap<>();
    String base = "https://cdn.example/litecoin/regtest/full/" + id + "/";
    s.put("https", base + "snapshot.tar.zst");
    s.put("manifest", base + "snapshot.json");
    s.put("s3", "s3://test-bucket/litecoin/regtest/full/" + id + "/snapshot.tar.zst");
    if (pinned) {
      s.put("ipfs", "ipfs://bafkreiexample" + id.length());
      s.put("ipfs-gateway", "https://gw.example/ipfs/bafkreiexample" + id.length());
    }
    return s;
  }

  /** A full snapshot taken at {@code takenAt} with the verdict {@code status} an hour later. */
  static SnapshotIndex.Entry entry(
      String id, Mode mode, long height, Instant takenAt, VerificationStatus status) {
    SnapshotIndex.Verification v =
        switch (status) {
          case VERIFIED ->
              new SnapshotIndex.Verification(
                  status, takenAt.plusSeconds(3600), "restored in 10 ms, node answered");
          case REJECTED ->
              new SnapshotIndex.Verification(
                  status, takenAt.plusSeconds(3600), "checksum: chunk 3 differs");
          case PENDING -> new SnapshotIndex.Verification(status, null, null);
        };
    return new SnapshotIndex.Entry(
        id,
        mode,
        height,
        HASH,
        "/LitecoinCore:0.21.2.1/",
        takenAt,
        7_340_032,
        9_000_000,
        2,
        "a".repeat(64),
        sources(id, true),
        v);
  }

  static SnapshotIndex index(String chain, String network, List<SnapshotIndex.Entry> entries) {
    Map<String, String> latest = new LinkedHashMap<>();
    List<SnapshotIndex.Entry> sorted = new ArrayList<>(entries);
    sorted.sort((a, b) -> b.takenAt().compareTo(a.takenAt()));
    for (SnapshotIndex.Entry e : sorted) {
      if (e.verification().status() == VerificationStatus.VERIFIED) {
        latest.putIfAbsent(e.mode().wireName(), e.snapshotId());
      }
    }
    return new SnapshotIndex(1, chain, network, 7, T0.plusSeconds(7200), latest, sorted);
  }

  /** Parses {@code text} as namespace-aware XML, no external entities; fails if not well-formed. */
  static Document parse(String text) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    factory.setExpandEntityReferences(false);
    DocumentBuilder builder = factory.newDocumentBuilder();
    builder.setErrorHandler(null);
    return builder.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  static NodeList nodes(Node context, String xpath) throws Exception {
    return (NodeList)
        XPathFactory.newInstance().newXPath().evaluate(xpath, context, XPathConstants.NODESET);
  }

  static String text(Node context, String xpath) throws Exception {
    return XPathFactory.newInstance().newXPath().evaluate(xpath, context);
  }

  static List<String> values(Node context, String xpath) throws Exception {
    NodeList list = nodes(context, xpath);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.getLength(); i++) {
      out.add(list.item(i).getTextContent());
    }
    return out;
  }
}
