package io.chainsnap.cli.command;

import io.chainsnap.cli.source.S3Settings;
import picocli.CommandLine.Option;

/** How to reach sources: S3 settings, IPFS gateway. */
public final class SourceOptions {

  @Option(
      names = "--ipfs-gateway",
      paramLabel = "URL",
      description = "IPFS gateway for ipfs:// locations, e.g. https://ipfs.io.")
  String ipfsGateway;

  @Option(
      names = "--s3-endpoint",
      paramLabel = "URL",
      description = "S3-compatible endpoint for s3:// locations (default: AWS).")
  String s3Endpoint;

  @Option(
      names = "--s3-region",
      paramLabel = "REGION",
      description = "S3 region (default: AWS_REGION or the AWS config, else us-east-1).")
  String s3Region;

  @Option(
      names = "--s3-path-style",
      description = "Path-style S3 requests (most S3-compatible servers).")
  boolean s3PathStyle;

  @Option(
      names = "--requester-pays",
      description = "Accept the transfer charges of a requester-pays bucket.")
  boolean requesterPays;

  @Option(
      names = "--no-sign-request",
      description = "Anonymous S3 requests (public bucket); default: the AWS credential chain.")
  boolean noSignRequest;

  S3Settings s3() {
    return new S3Settings(s3Endpoint, s3Region, s3PathStyle, requesterPays, noSignRequest);
  }
}
