package io.chainsnap.snapshotter.quiesce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * A process of its own (its own session, so it outlives this JVM) that resumes a frozen node with
 * SIGCONT as soon as any of these happens: this agent says it is done, this agent is gone (even
 * after SIGKILL), or the maximum pause has passed. It checks ten times a second.
 */
public final class PauseWatchdog implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(PauseWatchdog.class);

  // $1 agent pid, $2 node pid, $3 done file, $4 deadline (seconds since the epoch)
  private static final String SCRIPT =
      """
      alive() { s=$(sed -n 's/^[0-9]* (.*) \\(.\\) .*/\\1/p' /proc/$1/stat 2>/dev/null); \
      [ -n "$s" ] && [ "$s" != Z ] && [ "$s" != X ]; }
      while [ ! -e "$3" ] && alive "$1" && [ "$(date +%s)" -lt "$4" ]; do sleep 0.1; done
      kill -CONT "$2" 2>/dev/null
      if [ ! -e "$3" ]; then echo "chainsnap watchdog resumed node $2 (agent $1 gone or pause too long)" >&2; fi
      rm -f "$3"
      """;

  private final Path doneFile;
  private final Process process;

  private PauseWatchdog(Path doneFile, Process process) {
    this.doneFile = doneFile;
    this.process = process;
  }

  /** Arms a watchdog for node {@code nodePid}, logging to {@code logFile}. */
  public static PauseWatchdog arm(long nodePid, Duration maxPause, Path workDir, Path logFile) {
    try {
      Files.createDirectories(workDir);
      Path done = workDir.resolve("watchdog-" + nodePid + "-" + System.nanoTime() + ".done");
      long deadline = System.currentTimeMillis() / 1000 + Math.max(1, maxPause.toSeconds());
      Process process =
          new ProcessBuilder(
                  "setsid",
                  "bash",
                  "-c",
                  SCRIPT,
                  "chainsnap-watchdog",
                  String.valueOf(ProcessHandle.current().pid()),
                  String.valueOf(nodePid),
                  done.toString(),
                  String.valueOf(deadline))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .start();
      LOG.debugf("pause watchdog %d armed for node %d", process.pid(), nodePid);
      return new PauseWatchdog(done, process);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the pause watchdog; not freezing the node", e);
    }
  }

  /** True while the watchdog waits. */
  public boolean isArmed() {
    return process.isAlive();
  }

  /** The agent resumed the node itself: the watchdog ends (it sends one more, harmless SIGCONT). */
  @Override
  public void close() {
    try {
      Files.writeString(doneFile, "done\n");
    } catch (IOException e) {
      LOG.warnf("cannot tell the watchdog we are done (%s); it will end at its deadline", e);
    }
  }
}
