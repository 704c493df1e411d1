package io.chainsnap.cli.command;

import io.chainsnap.domain.Mode;
import picocli.CommandLine.Option;

/** Where the index is and which chain, network and mode to look at. */
public final class IndexOptions {

  @Option(
      names = "--index",
      paramLabel = "URL",
      description =
          "index.json: an http(s) URL, s3:// location or file; or a base URL under which the index"
              + " is {base}/{chain}/{network}/index.json (then --chain and --network are needed).")
  String index;

  @Option(names = "--chain", paramLabel = "CHAIN", description = "Chain, e.g. litecoin.")
  String chain;

  @Option(names = "--network", paramLabel = "NETWORK", description = "Network, e.g. mainnet.")
  String network;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      description =
          "${COMPLETION-CANDIDATES} (needed with --latest when the index has a latest snapshot"
              + " for several).")
  Mode mode;
}
