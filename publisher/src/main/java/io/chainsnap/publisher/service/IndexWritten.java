package io.chainsnap.publisher.service;

/**
 * A CDI event fired by {@link IndexService} after it stored an index and the objects beside it
 * (observed by {@code cdn/CloudFrontInvalidation}). Observers must not throw and must not block:
 * the index is already durable.
 *
 * @param chain the chain
 * @param network the network
 * @param key the key of {@code index.json}
 * @param sequence the {@code sequence} of the index written
 */
public record IndexWritten(String chain, String network, String key, long sequence) {}
