package io.chainsnap.publisher.page;

import static io.chainsnap.publisher.page.Markup.escape;

import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.domain.VerificationStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders {@code index.html}, the downloads page of one chain/network: a status line per mode
 * (fresh, stale, no verified snapshot), then every snapshot of the index with its facts, its
 * verification, a link to every web source, and a restore command to copy. Static HTML with inline
 * CSS, no script; every value from the index is escaped ({@link Markup#escape}) and only {@code
 * http(s)} URLs become links.
 */
public final class DownloadsPage {
  /** The {@code Content-Type} of the page. */
  public static final String CONTENT_TYPE = "text/html; charset=utf-8";

  private static final String CSS =
      """
      :root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--muted:#57606a;--line:#d0d7de;\
      --card:#f6f8fa;--ok:#116329;--okbg:#dafbe1;--bad:#82071e;--badbg:#ffebe9;--warn:#6c4400;\
      --warnbg:#fff3c4;--info:#0a3069;--infobg:#ddf4ff}
      @media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9da7b3;\
      --line:#30363d;--card:#161b22;--ok:#aff5b4;--okbg:#04260f;--bad:#ffdcd7;--badbg:#490202;\
      --warn:#f8e3a1;--warnbg:#3b2300;--info:#cae8ff;--infobg:#051d4d}}
      body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);\
      background:var(--bg);margin:0 auto;max-width:62rem;padding:1rem 1.25rem 3rem}
      h1{font-size:1.7rem;margin:.5rem 0}h2{font-size:1.3rem;margin-top:2rem;\
      border-bottom:1px solid var(--line)}h3{font-size:1.1rem;margin:0 0 .5rem;\
      overflow-wrap:anywhere}h4{font-size:1rem;margin:1rem 0 .25rem}
      a{color:var(--info)}a:focus{outline:3px solid var(--info);outline-offset:2px}
      .meta{color:var(--muted)}nav ul,.status,.sources{padding-left:1.25rem}
      .snapshot{background:var(--card);border:1px solid var(--line);border-radius:8px;\
      padding:1rem 1.25rem;margin:1rem 0}
      .snapshot.rejected{border-left:6px solid var(--bad)}
      dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}
      dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
      code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
      pre{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:.6rem;\
      overflow-x:auto;white-space:pre-wrap;overflow-wrap:anywhere;user-select:all}
      .badge{display:inline-block;border-radius:999px;padding:0 .6rem;font-size:.85rem;\
      font-weight:700;border:1px solid currentColor;vertical-align:middle}
      .verified,.fresh{color:var(--ok);background:var(--okbg)}
      .rejected-badge,.stale{color:var(--bad);background:var(--badbg)}
      .pending,.none{color:var(--warn);background:var(--warnbg)}
      .latest{color:var(--info);background:var(--infobg)}
      .banner{border:2px solid var(--bad);background:var(--badbg);color:var(--bad);\
      border-radius:8px;padding:.75rem 1rem;font-weight:600}
      """;

  private final StringBuilder out = new StringBuilder(16_384);

  private DownloadsPage() {}

  /**
   * The page of {@code index} at {@code now}, linking to {@code links}, judged by {@code policy}.
   */
  public static String render(
      SnapshotIndex index, PageLinks links, StalePolicy policy, Instant now) {
    DownloadsPage page = new DownloadsPage();
    page.page(index, links, policy.statuses(index, now), now);
    return page.out.toString();
  }

  private void page(
      SnapshotIndex index, PageLinks links, List<StalePolicy.ModeStatus> statuses, Instant now) {
    String title = index.chain() + " " + index.network() + " snapshots";
    List<SnapshotIndex.Entry> entries = index.snapshots() == null ? List.of() : index.snapshots();
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
        .append("<title>")
        .append(escape(title))
        .append(" · chainsnap</title>\n");
    out.append("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"")
        .append(escape(title))
        .append(" (Atom feed)\" href=\"")
        .append(escape(links.feed()))
        .append("\"/>\n");
    out.append("<link rel=\"alternate\" type=\"application/json\" title=\"index.json\" href=\"")
        .append(escape(links.index()))
        .append("\"/>\n<style>\n")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n<header>\n<h1>Snapshots of ")
        .append(escape(index.chain()))
        .append(" ")
        .append(escape(index.network()))
        .append("</h1>\n<p class=\"meta\">Index sequence ")
        .append(index.sequence())
        .append(", generated ");
    time(index.generatedAt());
    out.append("; this page rendered ");
    time(now);
    out.append(".</p>\n");
    List<String> problems = new java.util.ArrayList<>();
    for (StalePolicy.ModeStatus s : statuses) {
      if (s.state() == StalePolicy.State.STALE) {
        problems.add(
            "the newest verified "
                + s.mode().wireName()
                + " snapshot is older than "
                + Formats.duration(s.staleAfter()));
      } else if (s.state() == StalePolicy.State.NO_VERIFIED_SNAPSHOT) {
        problems.add("no " + s.mode().wireName() + " snapshot is verified");
      }
    }
    if (statuses.isEmpty()) {
      problems.add("no snapshot is published yet");
    }
    if (!problems.isEmpty()) {
      out.append("<p class=\"banner\" role=\"status\">Stale: ")
          .append(escape(String.join("; ", problems)))
          .append(".</p>\n");
    }
    out.append("<nav aria-label=\"Machine-readable files\">\n<ul>\n<li>");
    link(links.index(), "index.json");
    out.append(" – every snapshot and its sources (JSON)</li>\n<li>");
    if (links.signature().isPresent()) {
      link(links.signature().get(), "index.json.sig");
      out.append(" – signature of index.json</li>\n");
      if (links.keys().isPresent()) {
        out.append("<li>");
        link(links.keys().get(), "keys.json");
        out.append(" – the public keys that sign it</li>\n");
      }
    } else {
      out.append("index.json.sig – not published: this index is not signed</li>\n");
    }
    out.append("<li>");
    link(links.feed(), "Atom feed");
    out.append(" – new snapshots and verdicts</li>\n");
    for (String schema : links.schemas()) {
      out.append("<li>");
      link(schema, schema.substring(schema.lastIndexOf('/') + 1));
      out.append(" – JSON Schema</li>\n");
    }
    out.append("</ul>\n</nav>\n</header>\n<main>\n");
    status(statuses, now);
    out.append("<section aria-labelledby=\"snapshots\">\n<h2 id=\"snapshots\">Snapshots (")
        .append(entries.size())
        .append(")</h2>\n");
    if (entries.isEmpty()) {
      out.append("<p>No snapshot is listed yet.</p>\n");
    }
    for (SnapshotIndex.Entry entry : entries) {
      snapshot(index, links, entry, now);
    }
    out.append("</section>\n</main>\n<footer class=\"meta\"><p>Published by chainsnap. Check a")
        .append(" download with <code>sha256sum -c SHA256SUMS</code> or let")
        .append(" <code>chainsnap restore</code> check every chunk.</p></footer>\n")
        .append("</body>\n</html>\n");
  }

  private void status(List<StalePolicy.ModeStatus> statuses, Instant now) {
    out.append("<section aria-labelledby=\"status\">\n<h2 id=\"status\">Status</h2>\n");
    if (statuses.isEmpty()) {
      out.append("<p>No snapshot is listed yet.</p>\n</section>\n");
      return;
    }
    out.append("<ul class=\"status\">\n");
    for (StalePolicy.ModeStatus s : statuses) {
      out.append("<li><strong>").append(escape(s.mode().wireName())).append("</strong>: ");
      String allowance = Formats.duration(s.staleAfter());
      switch (s.state()) {
        case FRESH, STALE -> {
          SnapshotIndex.Entry e = s.newestVerified().orElseThrow();
          boolean stale = s.state() == StalePolicy.State.STALE;
          badge(stale ? "stale" : "fresh", stale ? "Stale" : "Up to date");
          out.append(" newest verified snapshot at height ")
              .append(Formats.number(e.height()))
              .append(", taken ")
              .append(escape(Formats.age(e.takenAt(), now)))
              .append(" (");
          entryLink(e, e.snapshotId());
          out.append(stale ? "); older than the " : "); stale after ")
              .append(escape(allowance))
              .append(stale ? " allowed: a newer snapshot is overdue." : ".");
        }
        case NO_VERIFIED_SNAPSHOT -> {
          badge("none", "No verified snapshot");
          out.append(" none of the listed snapshots is verified (stale after ")
              .append(escape(allowance))
              .append(").");
        }
      }
      out.append("</li>\n");
    }
    out.append("</ul>\n</section>\n");
  }

  private void snapshot(SnapshotIndex index, PageLinks links, SnapshotIndex.Entry e, Instant now) {
    VerificationStatus status = e.verification() == null ? null : e.verification().status();
    boolean rejected = status == VerificationStatus.REJECTED;
    out.append("<article class=\"snapshot")
        .append(rejected ? " rejected" : "")
        .append("\" id=\"")
        .append(escape(anchor(e.snapshotId())))
        .append("\" aria-labelledby=\"")
        .append(escape(anchor(e.snapshotId())))
        .append("-title\">\n<h3 id=\"")
        .append(escape(anchor(e.snapshotId())))
        .append("-title\"><code>")
        .append(escape(e.snapshotId()))
        .append("</code> ");
    if (status == VerificationStatus.VERIFIED) {
      badge("verified", "Verified");
    } else if (rejected) {
      badge("rejected-badge", "Rejected");
    } else {
      badge("pending", "Not verified yet");
    }
    if (e.mode() != null
        && e.snapshotId() != null
        && index.latest(e.mode()).isPresent()
        && index.latest(e.mode()).get().equals(e.snapshotId())) {
      out.append(" ");
      badge("latest", "Latest " + e.mode().wireName());
    }
    out.append("</h3>\n<dl>\n");
    fact("Chain", index.chain());
    fact("Network", index.network());
    fact("Mode", e.mode() == null ? null : e.mode().wireName());
    fact("Height", Formats.number(e.height()));
    code("Block hash", e.blockHash());
    fact("Node software", e.clientVersion());
    out.append("<dt>Taken</dt><dd>");
    time(e.takenAt());
    out.append(" (").append(escape(Formats.age(e.takenAt(), now))).append(")</dd>\n");
    fact("Download size", Formats.size(e.compressedSize()));
    fact(
        "Restored size",
        Formats.size(e.contentSize())
            + " in "
            + Formats.number(e.fileCount())
            + (e.fileCount() == 1 ? " file" : " files"));
    code("SHA-256", e.sha256());
    out.append("<dt>Verification</dt><dd>");
    verification(e.verification());
    out.append("</dd>\n</dl>\n<h4>Download</h4>\n<ul class=\"sources\">\n");
    sources(e.sources() == null ? Map.of() : e.sources());
    out.append("</ul>\n<h4>Restore</h4>\n");
    if (rejected) {
      out.append("<p>Rejected by the verifier: not offered for restore (")
          .append("<code>chainsnap restore</code> refuses it without")
          .append(" <code>--allow-unverified</code>).</p>\n");
    } else {
      if (status != VerificationStatus.VERIFIED) {
        out.append("<p>Not verified yet: <code>chainsnap restore</code> warns.</p>\n");
      }
      out.append("<pre><code>")
          .append(escape(restoreCommand(index, links, e)))
          .append("</code></pre>\n");
      if (!links.keyFingerprints().isEmpty()) {
        out.append("<p>The <code>--trusted-key</code> fingerprint comes from this bucket's")
            .append(" <code>keys.json</code>: compare it once with the one your operators")
            .append(" publish elsewhere (a page or channel not served from this bucket).</p>\n");
      }
    }
    out.append("</article>\n");
  }

  private void verification(SnapshotIndex.Verification v) {
    if (v == null || v.status() == null || v.status() == VerificationStatus.PENDING) {
      out.append("Pending: the verifier has not restored it yet");
      return;
    }
    out.append(v.status() == VerificationStatus.VERIFIED ? "Verified" : "Rejected").append(" ");
    time(v.at());
    if (v.detail() != null && !v.detail().isEmpty()) {
      out.append(": ").append(escape(v.detail()));
    }
  }

  /** Web sources as links; the others ({@code s3}, {@code ipfs}) as text to copy. */
  private void sources(Map<String, String> sources) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("https", "snapshot.tar.zst (HTTPS)");
    labels.put("ipfs-gateway", "snapshot.tar.zst (IPFS gateway)");
    labels.put("manifest", "snapshot.json");
    labels.put("s3", "S3");
    labels.put("ipfs", "IPFS");
    Map<String, String> ordered = new LinkedHashMap<>();
    labels
        .keySet()
        .forEach(
            k -> {
              if (sources.containsKey(k)) ordered.put(k, sources.get(k));
            });
    sources.forEach(ordered::putIfAbsent);
    if (ordered.isEmpty()) {
      out.append("<li>No source listed.</li>\n");
    }
    for (Map.Entry<String, String> source : ordered.entrySet()) {
      String label = labels.getOrDefault(source.getKey(), source.getKey());
      String url = source.getValue();
      out.append("<li>");
      if (Markup.isWebLink(url)) {
        link(url, label);
        out.append(" <code>").append(escape(url)).append("</code>");
      } else {
        out.append(escape(label)).append(": <code>").append(escape(url)).append("</code>");
      }
      out.append("</li>\n");
      if (source.getKey().equals("https")
          && Markup.isWebLink(url)
          && url.endsWith("/snapshot.tar.zst")) {
        out.append("<li>");
        link(url.substring(0, url.lastIndexOf('/') + 1) + "SHA256SUMS", "SHA256SUMS");
        out.append(" (for <code>sha256sum -c</code>)</li>\n");
      }
    }
  }

  /** {@code chainsnap restore} of this snapshot, each value a quoted shell word. */
  static String restoreCommand(SnapshotIndex index, PageLinks links, SnapshotIndex.Entry e) {
    StringBuilder trust = new StringBuilder();
    for (String fingerprint : links.keyFingerprints()) {
      trust.append(" --trusted-key ").append(Markup.shellWord(fingerprint));
    }
    return "chainsnap restore --index "
        + Markup.shellWord(links.index())
        + trust
        + " --chain "
        + Markup.shellWord(index.chain())
        + " --network "
        + Markup.shellWord(index.network())
        + " --id "
        + Markup.shellWord(e.snapshotId())
        + " --dest "
        + Markup.shellWord("./" + index.chain() + "-" + index.network() + "-data");
  }

  /** The fragment of a snapshot's article. */
  static String anchor(String snapshotId) {
    return "snapshot-" + snapshotId;
  }

  private void entryLink(SnapshotIndex.Entry e, String text) {
    out.append("<a href=\"#")
        .append(escape(anchor(e.snapshotId())))
        .append("\">")
        .append(escape(text))
        .append("</a>");
  }

  private void link(String url, String text) {
    if (Markup.isWebLink(url)) {
      out.append("<a href=\"")
          .append(escape(url))
          .append("\">")
          .append(escape(text))
          .append("</a>");
    } else {
      out.append(escape(text)).append(" <code>").append(escape(url)).append("</code>");
    }
  }

  private void badge(String css, String text) {
    out.append("<span class=\"badge ")
        .append(css)
        .append("\">")
        .append(escape(text))
        .append("</span>");
  }

  private void fact(String name, String value) {
    out.append("<dt>")
        .append(escape(name))
        .append("</dt><dd>")
        .append(value == null ? "unknown" : escape(value))
        .append("</dd>\n");
  }

  private void code(String name, String value) {
    out.append("<dt>")
        .append(escape(name))
        .append("</dt><dd><code>")
        .append(value == null ? "unknown" : escape(value))
        .append("</code></dd>\n");
  }

  private void time(Instant instant) {
    if (instant == null) {
      out.append("unknown");
      return;
    }
    out.append("<time datetime=\"")
        .append(escape(instant.toString()))
        .append("\">")
        .append(escape(Formats.time(instant)))
        .append("</time>");
  }
}
