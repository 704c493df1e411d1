/**
 * The publisher: uploads staged archives to S3 under immutable keys, pins them to IPFS, and keeps
 * each chain/network's {@code index.json}, where only verified snapshots become {@code latest}.
 */
package io.chainsnap.publisher;
