package io.chainsnap.snapshotter.quiesce;

import io.chainsnap.chain.HttpCall;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A process of its own (its own session, so it outlives this JVM) that resumes a frozen node with
 * SIGCONT as soon as any of these happens: this agent says it is done, this agent is gone (even
 * after SIGKILL), or the maximum pause has passed. It checks ten times a second.
 *
 * <p>When it resumed the node without the agent (gone, or the pause too long), it also switches the
 * node's network back on, which the agent had switched off for the pause: with {@code curl} and the
 * adapter's {@link HttpCall} from a config file only this user can read (the RPC credentials never
 * appear on a command line), trying for up to 30 s while the thawed node comes back.
 */
public final class PauseWatchdog implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(PauseWatchdog.class);

  // $1 agent pid, $2 node pid, $3 done file, $4 deadline (seconds since the epoch),
  // $5 curl config of the network-on request, or empty
  private static final String SCRIPT =
      """
      alive() { s=$(sed -n 's/^[0-9]* (.*) \\(.\\) .*/\\1/p' /proc/$1/stat 2>/dev/null); \
      [ -n "$s" ] && [ "$s" != Z ] && [ "$s" != X ]; }
      while [ ! -e "$3" ] && alive "$1" && [ "$(date +%s)" -lt "$4" ]; do sleep 0.1; done
      kill -CONT "$2" 2>/dev/null
      if [ ! -e "$3" ]; then
        echo "chainsnap watchdog resumed node $2 (agent $1 gone or pause too long)" >&2
        if [ -n "$5" ]; then
          for i in $(seq 1 60); do
            code=$(curl -s -o /dev/null -w '%{http_code}' --config "$5" 2>/dev/null)
            if [ "$code" = 200 ]; then echo "chainsnap watchdog switched the network of node $2 on" >&2; break; fi
            sleep 0.5
          done
          [ "$code" = 200 ] || echo "chainsnap watchdog could not switch the network of node $2 on (HTTP $code)" >&2
        fi
      fi
      rm -f "$3"
      if [ -n "$5" ]; then rm -f "$5"; fi
      """;

  private final Path doneFile;
  private final Process process;

  private PauseWatchdog(Path doneFile, Process process) {
    this.doneFile = doneFile;
    this.process = process;
  }

  /**
   * Arms a watchdog for node {@code nodePid}, logging to {@code logFile}; {@code networkOn} is the
   * request that switches the node's network back on, if it has such a switch.
   */
  public static PauseWatchdog arm(
      long nodePid, Duration maxPause, Path workDir, Path logFile, Optional<HttpCall> networkOn) {
    try {
      Files.createDirectories(workDir);
      String name = "watchdog-" + nodePid + "-" + System.nanoTime();
      Path done = workDir.resolve(name + ".done");
      String curlConfig =
          networkOn.isPresent()
              ? writeCurlConfig(workDir.resolve(name + ".curl"), networkOn.get()).toString()
              : "";
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
                  String.valueOf(deadline),
                  curlConfig)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .start();
      LOG.debugf("pause watchdog %d armed for node %d", process.pid(), nodePid);
      return new PauseWatchdog(done, process);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the pause watchdog; not freezing the node", e);
    }
  }

  /** A curl config file (mode 0600) that makes {@code call}; its values quoted for curl. */
  static Path writeCurlConfig(Path file, HttpCall call) throws IOException {
    StringBuilder config = new StringBuilder();
    config.append("url = ").append(quote(call.url().toString())).append('\n');
    if (call.authorization() != null) {
      config
          .append("header = ")
          .append(quote("Authorization: " + call.authorization()))
          .append('\n');
    }
    config.append("header = ").append(quote("Content-Type: " + call.contentType())).append('\n');
    config.append("data-binary = ").append(quote(call.body())).append('\n');
    config.append("max-time = 5\n");
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, config.toString());
    return file;
  }

  /** A value in curl's config syntax: in double quotes, with {@code \} and {@code "} escaped. */
  static String quote(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
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
