package io.chainsnap.publisher.config;

import io.chainsnap.domain.ByteSize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
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

  /** Object storage. */
  S3 s3();

  /** IPFS node. */
  Ipfs ipfs();

  /** Fetching staged archives from the snapshotter. */
  @WithDefault("PT10M")
  Duration stagingTimeout();

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
}
