package io.chainsnap.chain;

/**
 * What a node reports about its chain at one moment.
 *
 * @param height number of the best block
 * @param bestBlockHash hash of the best block, lower-case hex
 * @param syncing true while the node is still catching up (initial block download)
 * @param peers connected peers
 * @param clientVersion the node software, e.g. {@code /LitecoinCore:0.21.2.1/}
 */
public record ChainStatus(
    long height, String bestBlockHash, boolean syncing, int peers, String clientVersion) {}
