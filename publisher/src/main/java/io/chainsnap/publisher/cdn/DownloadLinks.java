package io.chainsnap.publisher.cdn;

import io.chainsnap.publisher.config.PublisherConfig;
import io.chainsnap.publisher.service.SourceLinks;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The links that index entries publish. With {@code publisher.cloudfront.signed-urls.enabled},
 * every source on the CloudFront domain of an entry of a non-public chain/network ({@code
 * signed-urls.targets}) becomes a CloudFront signed URL, signed afresh each time the index is
 * written and valid for {@code signed-urls.lifetime} from then; other sources ({@code s3://},
 * {@code ipfs://}, gateways) are left as they are.
 *
 * <p>{@link #maxDownloadWindow()} is the longest time a link handed out by an index stays usable
 * after that index was replaced: retention keeps an object removed from the index at least this
 * long.
 */
@Startup
@ApplicationScoped
public class DownloadLinks implements SourceLinks {
  private static final Logger LOG = Logger.getLogger(DownloadLinks.class);

  private final Optional<CloudFrontUrlSigner> signer;
  private final Optional<Set<String>> targets;
  private final String prefix;
  private final Clock clock;

  /** chain/network to when its links were last signed (an index written through the builder). */
  private final Map<String, java.time.Instant> signedAt =
      new java.util.concurrent.ConcurrentHashMap<>();

  @Inject
  public DownloadLinks(PublisherConfig config) {
    this(signer(config.cloudfront()), targets(config.cloudfront()), prefix(config), clock());
  }

  /**
   * Links signed by {@code signer} (none: plain) for the chain/networks {@code targets} (empty:
   * all), for sources under {@code prefix} ({@code https://<domain>/}), at the time of {@code
   * clock}.
   */
  public DownloadLinks(
      Optional<CloudFrontUrlSigner> signer,
      Optional<Set<String>> targets,
      String prefix,
      Clock clock) {
    this.signer = signer;
    this.targets = targets;
    this.prefix = prefix;
    this.clock = clock;
    signer.ifPresent(
        s ->
            LOG.infof(
                "CloudFront signed URLs for %s under %s, valid %s",
                targets.map(Object::toString).orElse("every chain/network"), prefix, s.lifetime()));
  }

  /**
   * The longest download window: how long after an index is written the links it carries can still
   * be used. The signed-URL lifetime when signed URLs are on; {@link Duration#ZERO} when they are
   * off (plain links do not expire: nothing bounds how long a client may keep one).
   */
  public Duration maxDownloadWindow() {
    return signer.map(CloudFrontUrlSigner::lifetime).orElse(Duration.ZERO);
  }

  /**
   * Per chain/network ({@code <chain>/<network>}), when this process last signed its links: an
   * index rewritten through the builder signs all its entries afresh (a re-issue of the same
   * content by the index signer does not).
   */
  public Map<String, java.time.Instant> lastSigned() {
    return Map.copyOf(signedAt);
  }

  /** Whether the links of {@code chain/network} are signed. */
  public boolean signs(String chain, String network) {
    return signer.isPresent() && targets.map(t -> t.contains(chain + "/" + network)).orElse(true);
  }

  @Override
  public Map<String, String> links(String chain, String network, Map<String, String> sources) {
    if (prefix.isEmpty()) {
      return sources;
    }
    boolean sign = signs(chain, network);
    Map<String, String> links = new LinkedHashMap<>();
    sources.forEach(
        (name, url) -> {
          if (url == null || !url.startsWith(prefix)) {
            links.put(name, url);
          } else if (sign) {
            java.time.Instant now = clock.instant();
            links.put(name, signer.get().sign(url, now));
            signedAt.put(chain + "/" + network, now);
          } else {
            links.put(name, CloudFrontUrlSigner.unsigned(url));
          }
        });
    return links.equals(sources) ? sources : links;
  }

  private static Optional<CloudFrontUrlSigner> signer(PublisherConfig.CloudFront config) {
    PublisherConfig.CloudFront.SignedUrls signed = config.signedUrls();
    if (!signed.enabled()) {
      return Optional.empty();
    }
    if (config.domain().isEmpty()) {
      throw new IllegalArgumentException(
          "invalid configuration: publisher.cloudfront.signed-urls.enabled needs"
              + " publisher.cloudfront.domain");
    }
    String keyPairId =
        signed
            .keyPairId()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "invalid configuration: publisher.cloudfront.signed-urls.enabled needs"
                            + " publisher.cloudfront.signed-urls.key-pair-id"));
    java.nio.file.Path keyFile =
        signed
            .privateKeyFile()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "invalid configuration: publisher.cloudfront.signed-urls.enabled needs"
                            + " publisher.cloudfront.signed-urls.private-key-file"));
    return Optional.of(
        new CloudFrontUrlSigner(
            keyPairId,
            CloudFrontUrlSigner.readPrivateKey(keyFile),
            CloudFrontUrlSigner.Policy.of(signed.policy()),
            signed.lifetime(),
            signed.notBeforeSkew(),
            signed.ipRange()));
  }

  private static Optional<Set<String>> targets(PublisherConfig.CloudFront config) {
    Optional<List<String>> listed = config.signedUrls().targets();
    listed.ifPresent(
        list ->
            list.forEach(
                t -> {
                  if (!t.matches("[^/\\s]+/[^/\\s]+")) {
                    throw new IllegalArgumentException(
                        "invalid configuration publisher.cloudfront.signed-urls.targets: '"
                            + t
                            + "' is not <chain>/<network>");
                  }
                }));
    return listed.map(Set::copyOf);
  }

  private static String prefix(PublisherConfig config) {
    return config.cloudfront().domain().isPresent() ? PublicUrls.base(config) + "/" : "";
  }

  private static Clock clock() {
    return Clock.systemUTC();
  }
}
