package io.chainsnap.chain;

/**
 * What a node reports about its chain at one moment.
 *
 * @param height height (number, level) of the best block as the chain numbers its blocks; 0 is the
 *     genesis block for Bitcoin Core, Monero, Ethereum, Substrate and Tezos
 * @param bestBlockHash hash of the best block as the node prints it: lower-case hex for Bitcoin
 *     Core and Monero, {@code 0x}-prefixed hex for Ethereum and Substrate, base58 for NEAR and
 *     Tezos, upper-case hex for CometBFT
 * @param syncing true while the node is still catching up (initial block download)
 * @param peers connected peers
 * @param clientVersion the node software, e.g. {@code /LitecoinCore:0.21.2.1/}, {@code monerod
 *     0.18.0.0-unknown}
 */
public record ChainStatus(
    long height, String bestBlockHash, boolean syncing, int peers, String clientVersion) {}
