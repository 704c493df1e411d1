package io.chainsnap.testsupport;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Logging of a JVM that runs the stack outside Quarkus ({@code LocalPipeline.main}). Quarkus's
 * bootstrap, on this classpath through the services' test dependencies, installs a delayed handler
 * that holds every record until a Quarkus application starts, which none does here, so without this
 * the supervisor's log stayed empty. One line per record on standard output: time, level, logger,
 * message, and the stack trace of a cause.
 */
final class SupervisorLog {
  /**
   * The admin client's connection warnings while the broker starts: noise, held to keep the level.
   */
  private static final Logger QUIET = Logger.getLogger("org.apache.kafka.clients.NetworkClient");

  private SupervisorLog() {}

  /** Replaces the root logger's handlers by one that writes lines to standard output. */
  static void install() {
    Logger root = Logger.getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    StreamHandler out =
        new StreamHandler(System.out, new LineFormatter()) {
          @Override
          public synchronized void publish(LogRecord record) {
            super.publish(record);
            flush();
          }
        };
    out.setLevel(Level.INFO);
    root.addHandler(out);
    root.setLevel(Level.INFO);
    QUIET.setLevel(Level.SEVERE);
  }

  /** {@code 2026-12-03T18:40:01.123Z INFO [LocalPipeline] message}. */
  static final class LineFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
      String logger = record.getLoggerName() == null ? "" : record.getLoggerName();
      StringBuilder line =
          new StringBuilder()
              .append(Instant.ofEpochMilli(record.getMillis()))
              .append(' ')
              .append(String.format("%-5s", level(record.getLevel())))
              .append(" [")
              .append(logger.substring(logger.lastIndexOf('.') + 1))
              .append("] ")
              .append(message(record))
              .append('\n');
      if (record.getThrown() != null) {
        StringWriter trace = new StringWriter();
        record.getThrown().printStackTrace(new PrintWriter(trace));
        line.append(trace);
      }
      return line.toString();
    }

    /**
     * The formatted message: JBoss Logging's records (printf style, {@code infof}) format
     * themselves; plain JUL records go through {@link #formatMessage}.
     */
    private String message(LogRecord record) {
      try {
        Object formatted = record.getClass().getMethod("getFormattedMessage").invoke(record);
        if (formatted != null) {
          return formatted.toString();
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        // a plain java.util.logging record
      }
      return formatMessage(record);
    }

    private static String level(Level level) {
      if (level.intValue() >= Level.SEVERE.intValue()) {
        return "ERROR";
      }
      if (level.intValue() >= Level.WARNING.intValue()) {
        return "WARN";
      }
      if (level.intValue() >= Level.INFO.intValue()) {
        return "INFO";
      }
      return "DEBUG";
    }
  }
}
