/**
 * The publisher: uploads staged archives to S3 under immutable keys, pins them to IPFS, and keeps
 * each chain/network's {@code index.json}, where only verified snapshots become {@code latest}. The
 * catalog's stages are {@link io.chainsnap.publisher.CatalogStage}.
 */
package io.chainsnap.publisher;
