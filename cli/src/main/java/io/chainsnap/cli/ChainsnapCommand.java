package io.chainsnap.cli;

import io.chainsnap.cli.command.CreateCommand;
import io.chainsnap.cli.command.DownloadCommand;
import io.chainsnap.cli.command.InfoCommand;
import io.chainsnap.cli.command.KeygenCommand;
import io.chainsnap.cli.command.ListCommand;
import io.chainsnap.cli.command.RestoreCommand;
import io.chainsnap.cli.command.VerifyCommand;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.QuiesceStrategy;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
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
          + " whole archive against its SHA-256. Every index.json read is checked against"
          + " index.json.sig beside it: signed by a trusted key (--trusted-key, or the trust file"
          + " ~/.config/chainsnap/trusted-keys), not expired, not older than the last one seen"
          + " (exit codes 8, 9, 11). --allow-unsigned reads an unsigned index with a warning.",
      "Results go to stdout (--json where useful); progress, warnings and errors to stderr,"
          + " prefixed 'chainsnap: progress:', 'chainsnap: warning:', 'chainsnap: <kind>:'."
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
      description =
          "No progress, notes or the unsigned-index warning on stderr (other warnings and errors"
              + " still).")
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
    throw CliException.usage(
        "missing command: list, info, download, verify, restore, create or keygen");
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
    try {
      CommandLine cl = commandLine(console, args);
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(err, true));
      return cl.execute(args);
    } catch (Throwable t) {
      // an Error (out of memory, stack overflow) passes picocli's handlers: one line, never a
      // stack trace unless --debug
      ExitCodes.Failure f = ExitCodes.of(t);
      console.error(f.kind(), f.message(), t);
      return f.code();
    }
  }

  /** The sub-commands, in the order {@code --help} lists them. */
  private static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

  private static Map<String, Class<?>> subcommands() {
    Map<String, Class<?>> m = new LinkedHashMap<>();
    m.put("list", ListCommand.class);
    m.put("info", InfoCommand.class);
    m.put("download", DownloadCommand.class);
    m.put("verify", VerifyCommand.class);
    m.put("restore", RestoreCommand.class);
    m.put("create", CreateCommand.class);
    m.put("keygen", KeygenCommand.class);
    m.put("help", CommandLine.HelpCommand.class);
    return m;
  }

  /**
   * The configured picocli command line for these arguments. When they name a sub-command, only
   * that one is built: picocli reads every annotated option of each sub-command it is given, which
   * took about 0.1 s of the start-up of each run. Otherwise (no sub-command, {@code help}, a
   * misspelt one) all are, for the usage message and suggestions.
   */
  static CommandLine commandLine(Console console, String[] arguments) {
    CommandLine cl = new CommandLine(new ChainsnapCommand(console));
    String named = firstNonOption(arguments);
    if (named != null && !named.equals("help") && SUBCOMMANDS.containsKey(named)) {
      cl.addSubcommand(named, SUBCOMMANDS.get(named));
    } else {
      SUBCOMMANDS.forEach(cl::addSubcommand);
    }
    // after the sub-commands: a converter reaches those present when it is registered
    WireEnumConverter.register(cl, Mode.class);
    WireEnumConverter.register(cl, QuiesceStrategy.class);
    CommandLine create = cl.getSubcommands().get("create");
    if (create != null) {
      CreateCommand.describeDefaultExcludes(create);
    }
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          ExitCodes.Failure f = ExitCodes.of(ex);
          console.error(f.kind(), f.message(), ex); // the stack trace with --debug only
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

  /**
   * The first argument that is not an option of the root command (they take no values); null if
   * there is none or the root command's help or version comes first.
   */
  private static String firstNonOption(String[] args) {
    for (String a : args) {
      switch (a) {
        case "-h", "--help", "-V", "--version":
          return null;
        default:
          if (!a.startsWith("-")) {
            return a;
          }
      }
    }
    return null;
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
