package io.chainsnap.cli.command;

import picocli.CommandLine.Option;

/** Which snapshot of the index: {@code --id} or {@code --latest} (exclusive). */
public final class Which {

  @Option(names = "--id", paramLabel = "ID", description = "The snapshot id.")
  String id;

  @Option(
      names = "--latest",
      description = "The latest verified snapshot of the mode (the index's 'latest').")
  boolean latest;
}
