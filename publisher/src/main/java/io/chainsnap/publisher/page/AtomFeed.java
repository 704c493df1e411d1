package io.chainsnap.publisher.page;

import static io.chainsnap.publisher.page.Markup.escape;

import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.domain.VerificationStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Renders {@code feed.atom} (RFC 4287) of one chain/network: one entry per snapshot of the index,
 * newest first, its {@code updated} the later of when it was taken and when the verifier decided,
 * so that a verdict shows up as an update. Entry ids are name-based UUIDs ({@code urn:uuid:}) of
 * chain, network and snapshot id: the same snapshot keeps its id whatever URL serves the feed.
 * Every value is escaped ({@link Markup#escape}).
 */
public final class AtomFeed {
  /** The {@code Content-Type} of the feed. */
  public static final String CONTENT_TYPE = "application/atom+xml; charset=utf-8";

  private final StringBuilder out = new StringBuilder(8_192);

  private AtomFeed() {}

  /** The feed of {@code index}, linking to {@code links}. */
  public static String render(SnapshotIndex index, PageLinks links) {
    AtomFeed feed = new AtomFeed();
    feed.feed(index, links);
    return feed.out.toString();
  }

  /** The {@code atom:id} of a snapshot's entry. */
  public static String entryId(String chain, String network, String snapshotId) {
    return "urn:uuid:"
        + UUID.nameUUIDFromBytes(
            ("chainsnap:" + chain + "/" + network + "/" + snapshotId)
                .getBytes(StandardCharsets.UTF_8));
  }

  private void feed(SnapshotIndex index, PageLinks links) {
    List<SnapshotIndex.Entry> entries = index.snapshots() == null ? List.of() : index.snapshots();
    Instant updated = index.generatedAt() == null ? Instant.EPOCH : index.generatedAt();
    out.append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
        .append("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    element(
        "  ",
        "id",
        "urn:uuid:"
            + UUID.nameUUIDFromBytes(
                ("chainsnap:" + index.chain() + "/" + index.network())
                    .getBytes(StandardCharsets.UTF_8)));
    element("  ", "title", index.chain() + " " + index.network() + " snapshots");
    element("  ", "subtitle", "Snapshots published by chainsnap, with their verification");
    element("  ", "updated", updated.toString());
    link("  ", "self", "application/atom+xml", links.feed(), null);
    link("  ", "alternate", "text/html", links.page(), null);
    link("  ", "related", "application/json", links.index(), null);
    out.append("  <author><name>chainsnap publisher</name></author>\n");
    element("  ", "generator", "chainsnap");
    for (SnapshotIndex.Entry e : entries) {
      entry(index, links, e);
    }
    out.append("</feed>\n");
  }

  private void entry(SnapshotIndex index, PageLinks links, SnapshotIndex.Entry e) {
    SnapshotIndex.Verification v = e.verification();
    VerificationStatus status =
        v == null || v.status() == null ? VerificationStatus.PENDING : v.status();
    Instant taken = e.takenAt() == null ? Instant.EPOCH : e.takenAt();
    Instant updated = v != null && v.at() != null && v.at().isAfter(taken) ? v.at() : taken;
    String mode = e.mode() == null ? "unknown" : e.mode().wireName();
    out.append("  <entry>\n");
    element("    ", "id", entryId(index.chain(), index.network(), e.snapshotId()));
    element(
        "    ",
        "title",
        index.chain()
            + " "
            + index.network()
            + " "
            + mode
            + " at height "
            + e.height()
            + ": "
            + status.wireName());
    element("    ", "published", taken.toString());
    element("    ", "updated", updated.toString());
    link(
        "    ",
        "alternate",
        "text/html",
        links.page() + "#" + DownloadsPage.anchor(e.snapshotId()),
        null);
    String https = e.sources() == null ? null : e.sources().get("https");
    if (Markup.isWebLink(https)) {
      link("    ", "enclosure", "application/zstd", https, e.compressedSize());
    }
    String manifest = e.sources() == null ? null : e.sources().get("manifest");
    if (Markup.isWebLink(manifest)) {
      link("    ", "related", "application/json", manifest, null);
    }
    out.append("    <category term=\"").append(escape(status.wireName())).append("\"/>\n");
    out.append("    <category term=\"").append(escape(mode)).append("\"/>\n");
    StringBuilder summary =
        new StringBuilder()
            .append("Snapshot ")
            .append(e.snapshotId())
            .append(", block ")
            .append(e.blockHash())
            .append(", ")
            .append(Formats.size(e.compressedSize()))
            .append(", SHA-256 ")
            .append(e.sha256())
            .append(". ");
    switch (status) {
      case VERIFIED -> summary.append("Verified ").append(Formats.time(v.at()));
      case REJECTED -> summary.append("Rejected ").append(Formats.time(v.at()));
      default -> summary.append("Not verified yet");
    }
    if (v != null && v.detail() != null && !v.detail().isEmpty()) {
      summary.append(": ").append(v.detail());
    }
    summary.append('.');
    out.append("    <summary type=\"text\">")
        .append(escape(summary.toString()))
        .append("</summary>\n");
    out.append("  </entry>\n");
  }

  private void element(String indent, String name, String text) {
    out.append(indent)
        .append('<')
        .append(name)
        .append('>')
        .append(escape(text))
        .append("</")
        .append(name)
        .append(">\n");
  }

  private void link(String indent, String rel, String type, String href, Long length) {
    out.append(indent)
        .append("<link rel=\"")
        .append(rel)
        .append("\" type=\"")
        .append(type)
        .append("\" href=\"")
        .append(escape(href))
        .append('"');
    if (length != null) {
      out.append(" length=\"").append(length).append('"');
    }
    out.append("/>\n");
  }
}
