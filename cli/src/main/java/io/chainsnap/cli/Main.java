package io.chainsnap.cli;

import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/** Entry point of {@code chainsnap.jar}. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    boolean debug = hasFlag(args, "--debug");
    int code;
    try {
      quietLogging(debug);
      code = ChainsnapCommand.run(args, System.out, System.err, System.console() != null);
    } catch (Throwable t) {
      // the last resort: ChainsnapCommand.run already maps everything it sees
      System.err.println("chainsnap: internal: " + ExitCodes.oneLine(t));
      if (debug) {
        t.printStackTrace();
      }
      code = ExitCodes.INTERNAL;
    }
    System.exit(code);
  }

  /**
   * The libraries' logs (JBoss Logging through java.util.logging) would interleave with the
   * command's own messages: only warnings pass, everything with {@code --debug}.
   */
  static void quietLogging(boolean debug) {
    System.setProperty("org.jboss.logging.provider", "jdk");
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    java.util.logging.ConsoleHandler handler = new java.util.logging.ConsoleHandler();
    handler.setLevel(debug ? Level.FINE : Level.WARNING);
    root.addHandler(handler);
    root.setLevel(debug ? Level.FINE : Level.WARNING);
  }

  private static boolean hasFlag(String[] args, String flag) {
    for (String a : args) {
      if (a.equals(flag)) {
        return true;
      }
      if (a.equals("--")) {
        return false;
      }
    }
    return false;
  }
}
