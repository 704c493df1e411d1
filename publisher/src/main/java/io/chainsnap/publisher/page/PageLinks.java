package io.chainsnap.publisher.page;

import java.util.List;
import java.util.Optional;

/**
 * The public URLs the page and the feed of one chain/network point to.
 *
 * @param page {@code index.html}
 * @param feed {@code feed.atom}
 * @param index {@code index.json}
 * @param signature {@code index.json.sig}, empty while the index is not signed
 * @param keys {@code keys.json}, the public keys that sign the index, empty when not signed
 * @param schemas the JSON Schemas published beside the index
 * @param keyFingerprints fingerprints of the keys in {@code keys.json}, for the {@code
 *     --trusted-key} of the restore command; empty when not signed
 */
public record PageLinks(
    String page,
    String feed,
    String index,
    Optional<String> signature,
    Optional<String> keys,
    List<String> schemas,
    List<String> keyFingerprints) {

  /** Links of an index whose keys are not known to the page. */
  public PageLinks(
      String page,
      String feed,
      String index,
      Optional<String> signature,
      Optional<String> keys,
      List<String> schemas) {
    this(page, feed, index, signature, keys, schemas, List.of());
  }
}
