package io.chainsnap.publisher.page;

import static io.chainsnap.publisher.page.Pages.LINKS;
import static io.chainsnap.publisher.page.Pages.T0;
import static io.chainsnap.publisher.page.Pages.entry;
import static io.chainsnap.publisher.page.Pages.index;
import static io.chainsnap.publisher.page.Pages.nodes;
import static io.chainsnap.publisher.page.Pages.parse;
import static io.chainsnap.publisher.page.Pages.text;
import static io.chainsnap.publisher.page.Pages.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.VerificationStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;

/** {@link DownloadsPage}: facts, links, restore command, stale badge, escaping. */
class DownloadsPageTest {
  static final StalePolicy POLICY = new StalePolicy(Duration.ofHours(36), Map.of());

  static Document render(SnapshotIndex index, PageLinks links, StalePolicy policy, Instant now)
      throws Exception {
    return parse(DownloadsPage.render(index, links, policy, now));
  }

  static String article(String id) {
    return "//article[@id='snapshot-" + id + "']";
  }

  @Test
  void showsEverySnapshotWithItsFactsSourcesAndRestoreCommand() throws Exception {
    SnapshotIndex.Entry verified =
        entry("ltc-a-100", Mode.FULL, 100, T0, VerificationStatus.VERIFIED);
    SnapshotIndex.Entry pending =
        entry("ltc-b-120", Mode.FULL, 120, T0.plusSeconds(600), VerificationStatus.PENDING);
    Document page =
        render(
            index("litecoin", "regtest", List.of(verified, pending)),
            LINKS,
            POLICY,
            T0.plusSeconds(7200));

    assertEquals("litecoin regtest snapshots · chainsnap", text(page, "/html/head/title"));
    assertEquals(
        LINKS.feed(),
        text(page, "/html/head/link[@rel='alternate' and @type='application/atom+xml']/@href"));
    assertEquals(2, nodes(page, "//article").getLength());
    String a = article("ltc-a-100");
    assertEquals("Verified", text(page, a + "//span[contains(@class,'badge')][1]"));
    assertEquals("Latest full", text(page, a + "//span[contains(@class,'latest')]"));
    Map<String, String> facts = facts(page, a);
    assertEquals("litecoin", facts.get("Chain"));
    assertEquals("regtest", facts.get("Network"));
    assertEquals("full", facts.get("Mode"));
    assertEquals("100", facts.get("Height"));
    assertEquals(Pages.HASH, facts.get("Block hash"));
    assertEquals("a".repeat(64), facts.get("SHA-256"));
    assertEquals("7.0 MiB (7,340,032 bytes)", facts.get("Download size"));
    assertEquals("2026-11-21 22:33:00 UTC (2 h ago)", facts.get("Taken"));
    assertEquals(
        "Verified 2026-11-21 23:33:00 UTC: restored in 10 ms, node answered",
        facts.get("Verification"));
    assertEquals(
        List.of(
            "https://cdn.example/litecoin/regtest/full/ltc-a-100/snapshot.tar.zst",
            "https://cdn.example/litecoin/regtest/full/ltc-a-100/SHA256SUMS",
            "https://gw.example/ipfs/bafkreiexample9",
            "https://cdn.example/litecoin/regtest/full/ltc-a-100/snapshot.json"),
        values(page, a + "//ul[@class='sources']//a/@href"));
    assertTrue(
        text(page, a + "//ul[@class='sources']")
            .contains("S3: s3://test-bucket/litecoin/regtest/full/ltc-a-100/snapshot.tar.zst"));
    assertTrue(text(page, a + "//ul[@class='sources']").contains("IPFS: ipfs://bafkreiexample9"));
    assertEquals(
        "chainsnap restore --index https://cdn.example/litecoin/regtest/index.json --chain litecoin"
            + " --network regtest --id ltc-a-100 --dest ./litecoin-regtest-data",
        text(page, a + "//pre/code"));
    String b = article("ltc-b-120");
    assertEquals("Not verified yet", text(page, b + "//span[contains(@class,'badge')][1]"));
    assertTrue(text(page, b + "//pre/code").contains("--id ltc-b-120"));
    // the machine-readable neighbours; no signature link while none is published
    List<String> nav = values(page, "//nav//a/@href");
    assertEquals(List.of(LINKS.index(), LINKS.feed(), LINKS.schemas().get(0)), nav);
    assertTrue(text(page, "//nav").contains("index.json.sig – not published"));
    PageLinks signed =
        new PageLinks(
            LINKS.page(),
            LINKS.feed(),
            LINKS.index(),
            Optional.of("https://cdn.example/litecoin/regtest/index.json.sig"),
            Optional.of("https://cdn.example/litecoin/regtest/keys.json"),
            LINKS.schemas());
    Document signedPage =
        render(index("litecoin", "regtest", List.of(verified)), signed, POLICY, T0);
    assertTrue(
        values(signedPage, "//nav//a/@href")
            .containsAll(
                List.of(
                    "https://cdn.example/litecoin/regtest/index.json.sig",
                    "https://cdn.example/litecoin/regtest/keys.json")));
  }

  @Test
  void rejectedSnapshotsAreMarkedAndOfferNoRestoreCommand() throws Exception {
    SnapshotIndex.Entry rejected =
        entry("ltc-r-130", Mode.FULL, 130, T0.plusSeconds(900), VerificationStatus.REJECTED);
    SnapshotIndex.Entry verified =
        entry("ltc-a-100", Mode.FULL, 100, T0, VerificationStatus.VERIFIED);
    Document page =
        render(
            index("litecoin", "regtest", List.of(rejected, verified)),
            LINKS,
            POLICY,
            T0.plusSeconds(3600));
    String r = article("ltc-r-130");
    assertEquals("snapshot rejected", text(page, r + "/@class"));
    assertEquals("Rejected", text(page, r + "//span[contains(@class,'badge')][1]"));
    assertEquals(
        "Rejected 2026-11-21 23:48:00 UTC: checksum: chunk 3 differs",
        facts(page, r).get("Verification"));
    assertEquals(0, nodes(page, r + "//pre").getLength(), "no restore command for a rejected one");
    assertTrue(text(page, r).contains("not offered for restore"));
    assertEquals(0, nodes(page, r + "//span[contains(@class,'latest')]").getLength());
  }

  @Test
  void staleBadgeFollowsTheNewestVerifiedSnapshotAndTheClock() throws Exception {
    SnapshotIndex.Entry verified =
        entry("ltc-a-100", Mode.FULL, 100, T0, VerificationStatus.VERIFIED);
    // a newer snapshot that is rejected or pending does not make the chain fresh
    SnapshotIndex.Entry rejected =
        entry("ltc-r-130", Mode.FULL, 130, T0.plusSeconds(86400), VerificationStatus.REJECTED);
    SnapshotIndex index = index("litecoin", "regtest", List.of(verified, rejected));

    Document fresh = render(index, LINKS, POLICY, T0.plus(Duration.ofHours(35)));
    assertEquals("Up to date", text(fresh, "//ul[@class='status']/li/span"));
    assertEquals(0, nodes(fresh, "//*[@class='banner']").getLength());
    assertTrue(text(fresh, "//ul[@class='status']/li").contains("stale after 36 h"));

    Document stale = render(index, LINKS, POLICY, T0.plus(Duration.ofHours(37)));
    assertEquals("Stale", text(stale, "//ul[@class='status']/li/span"));
    assertEquals(
        "Stale: the newest verified full snapshot is older than 36 h.",
        text(stale, "//*[@class='banner']"));
    assertTrue(text(stale, "//ul[@class='status']/li").contains("taken 37 h ago"));

    // exactly at the allowance it is still fresh; one second later stale
    assertEquals(
        "Up to date",
        text(
            render(index, LINKS, POLICY, T0.plus(Duration.ofHours(36))),
            "//ul[@class='status']/li/span"));
    assertEquals(
        "Stale",
        text(
            render(index, LINKS, POLICY, T0.plus(Duration.ofHours(36)).plusSeconds(1)),
            "//ul[@class='status']/li/span"));

    // a per chain/network allowance
    StalePolicy hourly =
        new StalePolicy(Duration.ofHours(36), Map.of("litecoin/regtest", Duration.ofHours(1)));
    assertEquals(
        "Stale",
        text(
            render(index, LINKS, hourly, T0.plus(Duration.ofHours(2))),
            "//ul[@class='status']/li/span"));
    SnapshotIndex other = index("litecoin", "mainnet", List.of(verified));
    assertEquals(
        "Up to date",
        text(
            render(other, LINKS, hourly, T0.plus(Duration.ofHours(2))),
            "//ul[@class='status']/li/span"));
  }

  @Test
  void aModeWithoutVerifiedSnapshotAndAnEmptyIndexAreFlagged() throws Exception {
    SnapshotIndex.Entry full = entry("ltc-a-100", Mode.FULL, 100, T0, VerificationStatus.VERIFIED);
    SnapshotIndex.Entry pruned =
        entry("ltc-p-100", Mode.PRUNED, 100, T0, VerificationStatus.PENDING);
    Document page =
        render(
            index("litecoin", "regtest", List.of(full, pruned)), LINKS, POLICY, T0.plusSeconds(60));
    assertEquals(
        List.of("Up to date", "No verified snapshot"),
        values(page, "//ul[@class='status']/li/span"));
    assertEquals("Stale: no pruned snapshot is verified.", text(page, "//*[@class='banner']"));

    Document empty = render(index("litecoin", "regtest", List.of()), LINKS, POLICY, T0);
    assertEquals("Stale: no snapshot is published yet.", text(empty, "//*[@class='banner']"));
    assertEquals(0, nodes(empty, "//article").getLength());
  }

  @Test
  void hostileIndexValuesAreEscapedNeverMarkupOrLinks() throws Exception {
    String chain = "<script>alert(1)</script>";
    String network = "\"><img src=x onerror=alert(2)>";
    String client = "</code></dd><script>alert(3)</script>&amp;'\u0000\u0007\uD800";
    Map<String, String> sources = new LinkedHashMap<>();
    sources.put("https", "javascript:alert(4)");
    sources.put("manifest", "https://cdn.example/a\" onmouseover=\"alert(5)");
    sources.put("ipfs-gateway", "data:text/html,<script>alert(6)</script>");
    sources.put("<b>evil</b>", "https://cdn.example/ok?a=1&b=2");
    SnapshotIndex.Entry e =
        new SnapshotIndex.Entry(
            "x-1",
            Mode.FULL,
            1,
            "<i>hash</i>",
            client,
            T0,
            1,
            1,
            1,
            "\"sha'",
            sources,
            new SnapshotIndex.Verification(
                VerificationStatus.REJECTED, T0, "]]></detail><!-- <script>alert(7)</script>"));
    SnapshotIndex index =
        new SnapshotIndex(1, chain, network, 1, T0, Map.of("full", "x-1"), List.of(e));
    String html = DownloadsPage.render(index, LINKS, POLICY, T0);
    Document page = parse(html); // well-formed: nothing broke out of its element or attribute

    assertEquals(0, nodes(page, "//script | //img | //i | //b | //comment()").getLength(), html);
    NodeList all = nodes(page, "//*");
    for (int i = 0; i < all.getLength(); i++) {
      NamedNodeMap attributes = ((Element) all.item(i)).getAttributes();
      for (int j = 0; j < attributes.getLength(); j++) {
        String name = attributes.item(j).getNodeName();
        assertFalse(name.startsWith("on"), "no event handler attribute: " + name);
      }
    }
    for (String href : values(page, "//@href")) {
      assertTrue(
          href.startsWith("https://") || href.startsWith("#"), "only web and page links: " + href);
    }
    assertEquals(
        List.of("https://cdn.example/ok?a=1&b=2"),
        values(page, "//ul[@class='sources']//a/@href"),
        "only the one http(s) source is a link, its value intact");
    assertEquals("Snapshots of " + chain + " " + network, text(page, "//h1"));
    assertEquals(
        "</code></dd><script>alert(3)</script>&amp;'\uFFFD\uFFFD\uFFFD",
        facts(page, article("x-1")).get("Node software"),
        "shown as text; characters XML cannot hold replaced");
    String sourcesText = text(page, "//ul[@class='sources']");
    assertTrue(sourcesText.contains("snapshot.tar.zst (HTTPS): javascript:alert(4)"), sourcesText);
    assertTrue(sourcesText.contains("data:text/html,<script>alert(6)</script>"), sourcesText);
    assertTrue(sourcesText.contains("<b>evil</b>"), sourcesText);
  }

  @Test
  void theRestoreCommandQuotesEveryValueForTheShell() throws Exception {
    SnapshotIndex.Entry e = entry("x-1", Mode.FULL, 1, T0, VerificationStatus.VERIFIED);
    SnapshotIndex index =
        new SnapshotIndex(
            1, "lite'coin; rm -rf ~", "$(reboot)", 1, T0, Map.of("full", "x-1"), List.of(e));
    Document page = render(index, LINKS, POLICY, T0);
    assertEquals(
        "chainsnap restore --index https://cdn.example/litecoin/regtest/index.json --chain"
            + " 'lite'\\''coin; rm -rf ~' --network '$(reboot)' --id x-1 --dest"
            + " './lite'\\''coin; rm -rf ~-$(reboot)-data'",
        text(page, "//pre/code"));
  }

  @Test
  void aSignedIndexGivesTheRestoreCommandItsTrustedKeys() throws Exception {
    SnapshotIndex.Entry e = entry("x-1", Mode.FULL, 1, T0, VerificationStatus.VERIFIED);
    SnapshotIndex index =
        new SnapshotIndex(1, "litecoin", "regtest", 1, T0, Map.of("full", "x-1"), List.of(e));
    String current = "ed25519:00112233445566778899aabbccddeeff";
    String next = "ed25519:ffeeddccbbaa99887766554433221100";
    PageLinks signed =
        new PageLinks(
            LINKS.page(),
            LINKS.feed(),
            LINKS.index(),
            Optional.of(LINKS.index() + ".sig"),
            Optional.of("https://cdn.example/litecoin/regtest/keys.json"),
            LINKS.schemas(),
            List.of(current, next));
    Document page = render(index, signed, POLICY, T0);
    assertEquals(
        "chainsnap restore --index https://cdn.example/litecoin/regtest/index.json"
            + " --trusted-key "
            + current
            + " --trusted-key "
            + next
            + " --chain litecoin --network regtest --id x-1 --dest ./litecoin-regtest-data",
        text(page, "//pre/code"));
    assertTrue(
        String.join(" ", values(page, "//article//p")).contains("compare it once"),
        "the page says where the fingerprint should come from");
  }

  /** The {@code dt}/{@code dd} pairs of an article, by term. */
  static Map<String, String> facts(Document page, String article) throws Exception {
    List<String> terms = values(page, article + "//dl/dt");
    List<String> definitions = values(page, article + "//dl/dd");
    assertEquals(terms.size(), definitions.size());
    Map<String, String> facts = new LinkedHashMap<>();
    for (int i = 0; i < terms.size(); i++) {
      facts.put(terms.get(i), definitions.get(i));
    }
    return facts;
  }
}
