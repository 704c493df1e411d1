/**
 * Chain adapters: read a node's height, best block hash, sync state, peers and version over its RPC
 * API (one {@code <Tech>ChainAdapter} per dialect, created by name with {@link
 * io.chainsnap.chain.ChainAdapters}), and run a Bitcoin Core family node binary as a daemon.
 */
package io.chainsnap.chain;
