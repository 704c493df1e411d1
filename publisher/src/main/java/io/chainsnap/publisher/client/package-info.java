/**
 * Clients of the systems the publisher writes to, on plain {@code java.net.http} and Jackson.
 * {@link io.chainsnap.publisher.client.IpfsRpcClient} adds and pins snapshots on Kubo or js-ipfs.
 */
package io.chainsnap.publisher.client;
