package io.chainsnap.cli.source;

/**
 * How to reach S3.
 *
 * @param endpoint endpoint override (S3-compatible server), or {@code null} for AWS
 * @param region region, or {@code null} for the SDK's default chain (then {@code us-east-1})
 * @param pathStyle path-style requests (most S3-compatible servers)
 * @param requesterPays send {@code x-amz-request-payer: requester} (the caller pays the transfer)
 * @param anonymous unsigned requests (public buckets), else the SDK's default credential chain
 */
public record S3Settings(
    String endpoint, String region, boolean pathStyle, boolean requesterPays, boolean anonymous) {}
