package io.chainsnap.publisher.config;

import io.chainsnap.domain.ByteSize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The publisher's configuration. */
@ConfigMapping(prefix = "publisher")
public interface PublisherConfig {

  /** CloudEvents {@code source} of the events this service emits. */
  @WithDefault("/chainsnap/publisher")
  String eventSource();

  /**
   * Base URL under which the bucket's objects are public (CloudFront domain, download gateway, or
   * the S3 endpoint with the bucket for a public-read bucket). Object URLs are this plus the key.
   */
  Optional<String> publicBaseUrl();

  /**
   * CloudFront in front of the bucket: public URLs on its domain, signed URLs for non-public
   * chain/networks, invalidation of the index objects (publisher {@code cdn/}).
   */
  CloudFront cloudfront();

  /** Object storage. */
  S3 s3();

  /** IPFS node. */
  Ipfs ipfs();

  /**
   * The downloads page ({@code index.html}) and Atom feed ({@code feed.atom}) beside each index.
   */
  Page page();

  /** Fetching staged archives from the snapshotter. */
  @WithDefault("PT10M")
  Duration stagingTimeout();

  /** Retention: which published snapshots are kept, per chain/network/mode (service/Retention*). */
  Retention retention();

  /** The per-file (requester-pays) mirror of the newest verified snapshot (publisher mirror/). */
  Mirror mirror();

  /** S3 settings. */
  interface S3 {
    /** The bucket. */
    String bucket();

    /** Endpoint override (s3proxy, MinIO); empty for AWS. */
    Optional<String> endpoint();

    /** Region. */
    @WithDefault("us-east-1")
    String region();

    /** Static access key; empty: the default AWS credentials chain. */
    Optional<String> accessKey();

    /** Static secret key. */
    Optional<String> secretKey();

    /** Path-style addressing (needed by most S3-compatible servers). */
    @WithDefault("false")
    boolean pathStyle();

    /**
     * Mark published objects public-read, for a bucket served directly (local run). With CloudFront
     * the bucket stays private and this stays off.
     */
    @WithDefault("false")
    boolean publicReadAcl();

    /** Create the bucket at start-up when missing (local run). */
    @WithDefault("false")
    boolean createBucket();

    /**
     * Multipart part size (a size: bytes, or with k, M, G; 5M to 2G, checked at start-up). Raised
     * automatically for archives that would otherwise need more than S3's 10,000 parts.
     */
    @WithDefault("16M")
    ByteSize partSize();

    /** Parts uploaded at once; memory use is about (this + 1) x part size. */
    @WithDefault("2")
    int parallelParts();

    /**
     * Age after which a multipart upload of an archive key that this process is not working on is
     * an orphan and aborted (at start-up and every {@link #orphanSweepInterval()}). Younger ones
     * are kept so that a redelivered {@code snapshot-created} resumes them.
     */
    @WithDefault("PT24H")
    Duration orphanUploadAge();

    /** How often orphaned multipart uploads are looked for (and at start-up). */
    @WithDefault("PT1H")
    Duration orphanSweepInterval();
  }

  /** IPFS settings. */
  interface Ipfs {
    /** Pin archives to IPFS at all. */
    @WithDefault("true")
    boolean enabled();

    /** RPC API of the node (Kubo in production), e.g. {@code http://127.0.0.1:5001}. */
    @WithDefault("http://127.0.0.1:5001")
    String apiUrl();

    /** Longest add or pin. */
    @WithDefault("PT30M")
    Duration timeout();

    /**
     * Public gateway base URL for {@code ipfs} links in the index, e.g. {@code https://ipfs.io}.
     */
    Optional<String> gatewayUrl();
  }

  /**
   * Retention settings. A chain/network/mode without a policy keeps every snapshot. Whatever the
   * policy, the latest verified snapshot of each mode, snapshots younger than the download window
   * and snapshots not verified or rejected yet are kept.
   */
  interface Retention {
    /** Run retention at all (on its schedule and after each publication). */
    @WithDefault("false")
    boolean enabled();

    /** How often it runs ({@code 1h}, {@code PT30M}: the Quarkus scheduler's {@code every}). */
    @WithDefault("1h")
    String every();

    /** Delay of the first scheduled run after start-up. */
    @WithDefault("5m")
    String initialDelay();

    /**
     * The longest download window: a snapshot taken less than this ago is never expired, and the
     * objects of an expired one stay this long after it left the index (links handed out before
     * keep working). The larger of this and {@code publisher.cloudfront.signed-urls.lifetime} (when
     * signed URLs are on) is used.
     */
    @WithDefault("PT24H")
    Duration minAge();

    /** Only log what would expire (the plan); change nothing. */
    @WithDefault("false")
    boolean dryRun();

    /**
     * Policies keyed {@code "<chain>/<network>/<mode>"} (quoted in properties: {@code
     * publisher.retention.policies."litecoin/mainnet/pruned".keep-last=3}).
     */
    Map<String, Policy> policies();

    /**
     * One chain/network/mode's policy; a snapshot is kept if any rule keeps it (like restic's
     * {@code forget}). Bucket rules and {@code keep-last} count verified snapshots only.
     */
    interface Policy {
      /** The newest N verified snapshots. */
      @WithDefault("0")
      int keepLast();

      /** The newest verified snapshot of each of the last N days (UTC) that have one. */
      @WithDefault("0")
      int keepDaily();

      /** The newest verified snapshot of each of the last N ISO weeks (UTC) that have one. */
      @WithDefault("0")
      int keepWeekly();

      /** The newest verified snapshot of each of the last N months (UTC) that have one. */
      @WithDefault("0")
      int keepMonthly();

      /**
       * Every snapshot, verified or rejected, taken less than this ago (restic's {@code
       * keep-within}); rejected snapshots are kept by this rule and the download window only.
       */
      Optional<Duration> maxAge();
    }
  }

  /** Downloads page and feed settings. */
  interface Page {
    /** Write {@code index.html} and {@code feed.atom} beside every {@code index.json}. */
    @WithDefault("true")
    boolean enabled();

    /**
     * The page marks a chain/network/mode "stale" when its newest verified snapshot was taken
     * longer ago than this (a little more than the snapshot cadence).
     */
    @WithDefault("PT36H")
    Duration staleAfter();

    /**
     * {@code stale-after} for one chain/network, keyed {@code "<chain>/<network>"} (quoted in
     * properties: {@code publisher.page.stale-after-for."litecoin/mainnet"=PT12H}).
     */
    Map<String, Duration> staleAfterFor();

    /**
     * How often the pages of the indexes this process wrote are rendered again, so that ages and
     * the stale badge follow the clock between index updates.
     */
    @WithDefault("PT15M")
    Duration refreshInterval();
  }

  /** Per-file mirror settings: the restored tree of the newest verified snapshot as objects. */
  interface Mirror {
    /** Publish the mirror at all. */
    @WithDefault("false")
    boolean enabled();

    /** The mirror bucket (requester pays on AWS); empty: the main bucket. */
    Optional<String> bucket();

    /** Key prefix of the mirror in its bucket (no leading or trailing slash). */
    @WithDefault("mirror")
    String prefix();

    /** Endpoint override of the mirror bucket; empty: {@code publisher.s3.endpoint}. */
    Optional<String> endpoint();

    /** Region of the mirror bucket; empty: {@code publisher.s3.region}. */
    Optional<String> region();

    /** Static access key of the mirror bucket; empty: the main store's credentials. */
    Optional<String> accessKey();

    /** Static secret key of the mirror bucket. */
    Optional<String> secretKey();

    /**
     * Scratch directory where snapshots are restored before mirroring (needs the snapshot's content
     * size free); empty: {@code java.io.tmpdir}.
     */
    Optional<java.nio.file.Path> workDir();

    /** Files above this size go up as multipart uploads of this part size (5M to 2G). */
    @WithDefault("16M")
    ByteSize partSize();

    /** Parallel ranged requests when restoring the archive from the main bucket. */
    @WithDefault("4")
    int restoreConnections();
  }

  /** CloudFront settings (all optional: without a domain, nothing changes). */
  interface CloudFront {
    /**
     * Distribution domain (e.g. {@code d111111abcdef8.cloudfront.net} or an alternate domain name);
     * public object URLs become {@code https://<domain>/<key>}. Not together with {@code
     * publisher.public-base-url}.
     */
    Optional<String> domain();

    /** Distribution id: when set, the index objects are invalidated after every index change. */
    Optional<String> distributionId();

    /**
     * Endpoint of the CloudFront API, for tests and local runs only (a recording server); empty:
     * AWS.
     */
    Optional<String> endpointOverride();

    /** Region used to sign CloudFront API calls (the API is global, signed for us-east-1). */
    @WithDefault("us-east-1")
    String region();

    /** Static access key for the CloudFront API; empty: the default AWS credentials chain. */
    Optional<String> accessKey();

    /** Static secret key for the CloudFront API. */
    Optional<String> secretKey();

    /** Invalidation settings. */
    Invalidation invalidation();

    /** Signed URL settings. */
    SignedUrls signedUrls();

    /** Invalidation of {@code index.json} and the objects beside it. */
    interface Invalidation {
      /** Invalidate at all (needs {@code distribution-id}). */
      @WithDefault("true")
      boolean enabled();

      /** Index changes within this time of the first one go into one invalidation. */
      @WithDefault("PT2S")
      Duration coalesce();
    }

    /** CloudFront signed URLs in the index entries of non-public chain/networks. */
    interface SignedUrls {
      /** Sign the CloudFront links of the index entries of {@link #targets()}. */
      @WithDefault("false")
      boolean enabled();

      /**
       * The non-public chain/networks, as {@code <chain>/<network>} (comma-separated); empty: every
       * chain/network.
       */
      Optional<java.util.List<String>> targets();

      /**
       * How long a signed link is valid after the index that carries it was written (the longest
       * download window: retention keeps removed objects at least this long).
       */
      @WithDefault("PT24H")
      Duration lifetime();

      /** {@code canned} (expiry only) or {@code custom} (expiry, optional start and IP range). */
      @WithDefault("canned")
      String policy();

      /** Custom policy: {@code DateGreaterThan} is the signing time minus this (clock skew). */
      Optional<Duration> notBeforeSkew();

      /** Custom policy: {@code IpAddress/AWS:SourceIp}, a CIDR such as {@code 192.0.2.0/24}. */
      Optional<String> ipRange();

      /** CloudFront public key id (key group) or legacy key pair id: {@code Key-Pair-Id}. */
      Optional<String> keyPairId();

      /** PEM private key (PKCS#1 or PKCS#8 RSA) matching that public key. */
      Optional<java.nio.file.Path> privateKeyFile();
    }
  }
}
