package io.chainsnap.snapshotter.node;

import io.chainsnap.chain.ChainAdapter;
import io.chainsnap.chain.ChainRpcException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Controls a node with shell commands: whatever runs it (a script, systemd, kubectl, fsfreeze or
 * LVM/ZFS hooks). Stop returns once the status command says the node is gone; start returns once
 * the node answers its RPC through the chain adapter.
 */
public class ExecNodeController implements NodeController {
  private static final Logger LOG = Logger.getLogger(ExecNodeController.class);

  private final String stop;
  private final String start;
  private final String status;
  private final Optional<String> pid;
  private final ChainAdapter adapter;
  private final Duration stopTimeout;
  private final Duration startTimeout;

  public ExecNodeController(
      String stop,
      String start,
      String status,
      Optional<String> pid,
      ChainAdapter adapter,
      Duration stopTimeout,
      Duration startTimeout) {
    this.stop = stop;
    this.start = start;
    this.status = status;
    this.pid = pid;
    this.adapter = adapter;
    this.stopTimeout = stopTimeout;
    this.startTimeout = startTimeout;
  }

  /**
   * systemd: stop/start the unit; its main pid for freezing (systemd's own freezer needs cgroup v2
   * delegation, which many hosts lack; SIGSTOP of the main process works everywhere).
   *
   * @param unit the unit, e.g. {@code litecoind.service}
   * @param userManager true: the unit belongs to a user manager ({@code systemctl --user}; the
   *     agent's {@code XDG_RUNTIME_DIR} must name that manager's runtime directory)
   */
  public static ExecNodeController systemd(
      String unit,
      boolean userManager,
      ChainAdapter adapter,
      Duration stopTimeout,
      Duration startTimeout) {
    String quoted = "'" + unit.replace("'", "") + "'";
    String systemctl = userManager ? "systemctl --user " : "systemctl ";
    return new ExecNodeController(
        systemctl + "stop " + quoted,
        systemctl + "start " + quoted,
        systemctl + "is-active --quiet " + quoted,
        Optional.of(systemctl + "show -p MainPID --value " + quoted),
        adapter,
        stopTimeout,
        startTimeout);
  }

  /**
   * Kubernetes: scale the node's StatefulSet to zero and back with kubectl (the agent must be able
   * to reach the volume once the pod is gone). No pid: {@code pause-checkpoint} is not available.
   */
  public static ExecNodeController kubernetes(
      String statefulSet,
      String namespace,
      ChainAdapter adapter,
      Duration stopTimeout,
      Duration startTimeout) {
    String set = "statefulset/" + statefulSet.replace("'", "");
    String ns = " -n '" + namespace.replace("'", "") + "'";
    return new ExecNodeController(
        "kubectl scale "
            + set
            + ns
            + " --replicas=0 && kubectl wait --for=delete pod -l"
            + " statefulset.kubernetes.io/pod-name="
            + statefulSet
            + "-0"
            + ns
            + " --timeout="
            + stopTimeout.toSeconds()
            + "s",
        "kubectl scale " + set + ns + " --replicas=1",
        "test \"$(kubectl get " + set + ns + " -o jsonpath='{.status.replicas}')\" != 0",
        Optional.empty(),
        adapter,
        stopTimeout,
        startTimeout);
  }

  /** The command lines, for logs and tests. */
  public List<String> commands() {
    return List.of(stop, start, status, pid.orElse(""));
  }

  @Override
  public void stop() {
    run("stop", stop, stopTimeout);
    long deadline = System.nanoTime() + stopTimeout.toNanos();
    while (isRunning()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("node still running " + stopTimeout + " after: " + stop);
      }
      sleep(200);
    }
  }

  @Override
  public void start() {
    run("start", start, startTimeout);
    long deadline = System.nanoTime() + startTimeout.toNanos();
    while (true) {
      try {
        adapter.status();
        return;
      } catch (ChainRpcException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "node did not answer within " + startTimeout + " after: " + start, e);
        }
        sleep(250);
      }
    }
  }

  @Override
  public boolean isRunning() {
    try {
      return exec(status, Duration.ofSeconds(30)).exit() == 0;
    } catch (RuntimeException e) {
      LOG.warnf("status command failed: %s", e.getMessage());
      return false;
    }
  }

  @Override
  public Optional<Long> pid() {
    return pid.flatMap(
        command -> {
          Result result = exec(command, Duration.ofSeconds(30));
          try {
            long value = Long.parseLong(result.output().strip());
            return value > 0 ? Optional.of(value) : Optional.empty();
          } catch (NumberFormatException e) {
            return Optional.empty();
          }
        });
  }

  private void run(String what, String command, Duration timeout) {
    Result result = exec(command, timeout);
    if (result.exit() != 0) {
      throw new IllegalStateException(
          what
              + " command failed (exit "
              + result.exit()
              + "): "
              + command
              + "\n"
              + result.output());
    }
  }

  private record Result(int exit, String output) {}

  private static Result exec(String command, Duration timeout) {
    try {
      Process process = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("timed out after " + timeout + ": " + command);
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run: " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
