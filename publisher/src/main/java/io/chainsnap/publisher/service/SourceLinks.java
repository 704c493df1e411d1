package io.chainsnap.publisher.service;

import java.util.Map;

/**
 * The download links an index entry publishes, made from its plain sources (the URLs recorded in
 * the catalog): the identity, or for instance CloudFront signed URLs ({@code cdn/DownloadLinks}).
 * Applied to every entry each time an index is written, so it must accept its own output again
 * (re-signing a signed link replaces the old signature).
 */
@FunctionalInterface
public interface SourceLinks {
  /** The sources as recorded. */
  SourceLinks PLAIN = (chain, network, sources) -> sources;

  /** The sources to publish for an entry of {@code chain/network}. */
  Map<String, String> links(String chain, String network, Map<String, String> sources);
}
