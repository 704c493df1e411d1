package io.chainsnap.cli;

import io.chainsnap.cli.command.CreateCommand;
import io.chainsnap.cli.command.DownloadCommand;
import io.chainsnap.cli.command.InfoCommand;
import io.chainsnap.cli.command.ListCommand;
import io.chainsnap.cli.command.RestoreCommand;
import io.chainsnap.cli.command.VerifyCommand;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code chainsnap} command and its sub-commands. */
@Command(
    name = "chainsnap",
    mixinStandardHelpOptions = true,
    versionProvider = ChainsnapCommand.Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Find, download, verify and restore blockchain node snapshots published by chainsnap, and"
          + " create archives in its format.",
      "",
      "Every chunk is checked against snapshot.json (SHA-256) before it is decompressed, and the"
          + " whole archive against its SHA-256. index.json is not signed yet (signing is not"
          + " implemented): chainsnap warns each time it reads one.",
      "Results go to stdout (--json where useful); progress, warnings and errors to stderr,"
          + " prefixed 'chainsnap: progress:', 'chainsnap: warning:', 'chainsnap: <kind>:'."
    },
    subcommands = {
      ListCommand.class,
      InfoCommand.class,
      DownloadCommand.class,
      VerifyCommand.class,
      RestoreCommand.class,
      CreateCommand.class,
      CommandLine.HelpCommand.class
    })
public final class ChainsnapCommand implements Callable<Integer> {

  private final Console console;

  @Option(
      names = "--debug",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Print stack traces with errors.")
  void debug(boolean debug) {
    console.debug(debug);
  }

  @Option(
      names = {"-q", "--quiet"},
      scope = CommandLine.ScopeType.INHERIT,
      description = "No progress or notes on stderr (warnings and errors still).")
  void quiet(boolean quiet) {
    console.quiet(quiet);
  }

  public ChainsnapCommand(Console console) {
    this.console = console;
  }

  /** The console of this run. */
  public Console console() {
    return console;
  }

  @Override
  public Integer call() {
    throw CliException.usage("missing command: list, info, download, verify, restore or create");
  }

  /**
   * Runs the command line and returns the exit code (never calls {@code System.exit}).
   *
   * @param args arguments
   * @param out stdout
   * @param err stderr
   * @param terminal whether stderr is a terminal
   */
  public static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
    Console console = new Console(out, err, terminal);
    CommandLine cl = commandLine(console);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  /** The configured picocli command line. */
  public static CommandLine commandLine(Console console) {
    CommandLine cl = new CommandLine(new ChainsnapCommand(console));
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          ExitCodes.Failure f = ExitCodes.of(ex);
          console.error(
              f.kind(), f.message(), f.code() == ExitCodes.INTERNAL || console.debug() ? ex : null);
          return f.code();
        });
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine c = ex.getCommandLine();
          console.error("usage", ex.getMessage(), null);
          CommandLine.UnmatchedArgumentException.printSuggestions(ex, c.getErr());
          c.getErr()
              .println(
                  "Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
          return ExitCodes.USAGE;
        });
    cl.setExitCodeExceptionMapper(t -> ExitCodes.of(t).code());
    applyExitCodeHelp(cl);
    return cl;
  }

  private static void applyExitCodeHelp(CommandLine cl) {
    cl.getCommandSpec()
        .usageMessage()
        .exitCodeListHeading("%nExit codes:%n")
        .exitCodeList(ExitCodes.descriptions());
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (!(sub.getCommand() instanceof CommandLine.HelpCommand)) {
        applyExitCodeHelp(sub);
      }
    }
  }

  /** {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = ChainsnapCommand.class.getPackage().getImplementationVersion();
      return new String[] {
        "chainsnap " + (v == null ? "(development build)" : v),
        "archive format " + io.chainsnap.archive.ArchiveFormat.FORMAT_VERSION,
        "Java " + System.getProperty("java.version")
      };
    }
  }
}
