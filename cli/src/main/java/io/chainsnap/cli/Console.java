package io.chainsnap.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.chainsnap.archive.restore.RestoreListener;
import io.chainsnap.archive.restore.RestoreProgress;
import io.chainsnap.archive.restore.Units;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Where a command writes: results on stdout (text, or JSON with {@code --json}), everything else on
 * stderr with stable prefixes: {@code chainsnap: <kind>: } for errors, {@code chainsnap: warning: }
 * for warnings, {@code chainsnap: progress: } for progress lines (on a terminal, one line redrawn
 * in place instead), {@code chainsnap: } for other notes.
 */
public final class Console {

  /**
   * JSON output of every command. Built on first use, not when the class loads: Jackson takes a
   * quarter of a second to load, and most commands print text.
   */
  public static ObjectMapper json() {
    return JsonHolder.JSON;
  }

  private static final class JsonHolder {
    static final ObjectMapper JSON =
        JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();
  }

  private static final long LINE_INTERVAL_NANOS = 5_000_000_000L;

  private final PrintStream out;
  private final PrintStream err;
  private final boolean terminal;
  private boolean quiet;
  private boolean debug;
  private boolean progressLineOpen;

  /**
   * @param out results
   * @param err messages and progress
   * @param terminal whether {@code err} is a terminal (progress redrawn in place)
   */
  public Console(PrintStream out, PrintStream err, boolean terminal) {
    this.out = out;
    this.err = err;
    this.terminal = terminal;
  }

  /** No notes or progress (warnings and errors still). */
  public void quiet(boolean quiet) {
    this.quiet = quiet;
  }

  /** Stack traces with errors. */
  public void debug(boolean debug) {
    this.debug = debug;
  }

  public boolean debug() {
    return debug;
  }

  /** A result line on stdout. */
  public synchronized void result(String line) {
    out.println(line);
    out.flush();
  }

  /** A result as JSON on stdout. */
  public synchronized void json(Object value) {
    try {
      out.println(json().writeValueAsString(value));
      out.flush();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A note on stderr (not with {@code --quiet}). */
  public synchronized void note(String message) {
    if (!quiet) {
      endProgressLine();
      err.println("chainsnap: " + message);
    }
  }

  /** A warning on stderr that {@code --quiet} silences (the unsigned-index warning). */
  public synchronized void notice(String message) {
    if (!quiet) {
      warn(message);
    }
  }

  /** A warning on stderr. */
  public synchronized void warn(String message) {
    endProgressLine();
    err.println("chainsnap: warning: " + printable(message));
  }

  /** An error on stderr, with the kind word of its exit code. */
  public synchronized void error(String kind, String message, Throwable cause) {
    endProgressLine();
    err.println("chainsnap: " + kind + ": " + printable(message));
    if (debug && cause != null) {
      cause.printStackTrace(err);
    }
    err.flush();
  }

  /**
   * One line whatever a hostile input put in it: control characters (a newline that would forge a
   * second message, terminal escapes) are shown as {@code \xNN}.
   */
  static String printable(String message) {
    if (message == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder(message.length());
    message
        .codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                sb.append(String.format(Locale.ROOT, "\\x%02x", c));
              } else {
                sb.appendCodePoint(c);
              }
            });
    return sb.toString();
  }

  private void endProgressLine() {
    if (progressLineOpen) {
      err.println();
      progressLineOpen = false;
    }
  }

  private synchronized void progressLine(String text, boolean last) {
    if (quiet) {
      return;
    }
    if (terminal) {
      err.print("\r" + text + "\033[K");
      progressLineOpen = true;
      if (last) {
        endProgressLine();
      }
    } else {
      err.println("chainsnap: progress: " + text);
    }
    err.flush();
  }

  /** A listener printing the progress of a restore, download or verification. */
  public RestoreListener progress(String verb) {
    return new RestoreListener() {
      private long lastLine;
      private boolean finished;

      @Override
      public void started(RestoreProgress p) {
        if (p.resumedBytes() > 0) {
          note(
              String.format(
                  Locale.ROOT,
                  "resuming at chunk %d of %d: %d chunks (%s) were done by an earlier run and are"
                      + " not fetched again",
                  p.chunksDone(),
                  p.chunks(),
                  p.chunksDone(),
                  Units.bytes(p.resumedBytes())));
        }
        lastLine = System.nanoTime();
      }

      @Override
      public void progress(RestoreProgress p) {
        long now = System.nanoTime();
        boolean done = p.doneBytes() >= p.archiveBytes() && p.chunksDone() >= p.chunks();
        if (finished || (!terminal && !done && now - lastLine < LINE_INTERVAL_NANOS)) {
          return;
        }
        finished = done;
        lastLine = now;
        progressLine(format(verb, p), done);
      }

      @Override
      public void warning(String message) {
        warn(message);
      }
    };
  }

  static String format(String verb, RestoreProgress p) {
    String eta = p.eta() == null ? "--:--" : Units.duration(p.eta());
    return String.format(
        Locale.ROOT,
        "%s %5.1f%%  %s of %s  %s  ETA %s  chunk %d/%d",
        verb,
        100 * p.fraction(),
        Units.bytes(p.doneBytes()),
        Units.bytes(p.archiveBytes()),
        Units.rate(p.bytesPerSecond()),
        eta,
        p.chunksDone(),
        p.chunks());
  }

  /**
   * A plain tar-bytes progress printer (for {@code create} and {@code verify}). A total of -1 (the
   * source is still being listed) prints the bytes and rate without a percentage or ETA.
   */
  public io.chainsnap.archive.ProgressListener tarProgress(String verb) {
    long started = System.nanoTime();
    long[] last = {started};
    boolean[] ended = {false};
    return (done, total) -> {
      long now = System.nanoTime();
      boolean end = total >= 0 && done >= total;
      if (ended[0] || (!terminal && !end && now - last[0] < LINE_INTERVAL_NANOS)) {
        return;
      }
      ended[0] = end;
      last[0] = now;
      progressLine(tarLine(verb, done, total, (now - started) / 1e9), end);
    };
  }

  static String tarLine(String verb, long done, long total, double seconds) {
    double rate = seconds > 0 ? done / seconds : 0;
    if (total < 0) {
      return String.format(
          Locale.ROOT, "%s   ...   %s  %s  (listing)", verb, Units.bytes(done), Units.rate(rate));
    }
    String eta =
        rate > 0
            ? Units.duration(java.time.Duration.ofSeconds((long) ((total - done) / rate)))
            : "--:--";
    return String.format(
        Locale.ROOT,
        "%s %5.1f%%  %s of %s  %s  ETA %s",
        verb,
        total > 0 ? 100.0 * done / total : 100.0,
        Units.bytes(done),
        Units.bytes(total),
        Units.rate(rate),
        eta);
  }
}
