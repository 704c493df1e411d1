/**
 * Chain families and node access: {@link io.chainsnap.chain.ChainFamily} (one per adapter name,
 * looked up with {@link io.chainsnap.chain.ChainFamilies}) says how to read a node, which
 * controllers run it, its chain dir, private and never-modified files, and how to boot it isolated
 * for verification; the adapters read a node's height, best block hash, sync state, peers and
 * version over its RPC API (one {@code <Tech>ChainAdapter} per dialect); {@link
 * io.chainsnap.chain.BitcoinCoreDaemon} runs a Bitcoin Core family node binary as a daemon.
 */
package io.chainsnap.chain;
