package io.chainsnap.cli.command;

import io.chainsnap.domain.Mode;
import java.nio.file.Path;
import java.util.List;
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

  @Option(
      names = "--trusted-key",
      paramLabel = "FILE.pub|FINGERPRINT",
      description =
          "A key index.json must be signed by: its PEM public key file, or its fingerprint"
              + " (ed25519:<32 hex>, the key then taken from keys.json beside the index)."
              + " Repeatable (any one suffices). Also read from --trust-file.")
  List<String> trustedKeys;

  @Option(
      names = "--trust-file",
      paramLabel = "FILE",
      description =
          "Trusted keys, one PEM file path or fingerprint a line (default:"
              + " $XDG_CONFIG_HOME/chainsnap/trusted-keys, i.e. ~/.config/chainsnap/trusted-keys,"
              + " if it exists).")
  Path trustFile;

  @Option(
      names = "--allow-unsigned",
      description =
          "Read an index without a trusted key configured, or one without index.json.sig, with a"
              + " warning. A signature that is present but bad still fails.")
  boolean allowUnsigned;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Where the last index sequence seen per index URL is kept, to refuse rollbacks"
              + " (default: $XDG_STATE_HOME/chainsnap, i.e. ~/.local/state/chainsnap).")
  Path stateDir;
}
