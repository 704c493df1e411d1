/**
 * Chain adapters: read a node's height, best block hash, sync state and peers over its RPC API, and
 * run a node binary as a daemon (start, stop cleanly, wait until it answers).
 */
package io.chainsnap.chain;
