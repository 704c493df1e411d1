package io.chainsnap.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real systemd service manager, {@code systemd --user}, for tests on machines where systemd is
 * not PID 1 (containers, sandboxes, CI).
 *
 * <p>systemd refuses to run a user manager unless the system "was booted with systemd", which it
 * decides by the directory {@code /run/systemd/system}. The manager is therefore started in a
 * private mount namespace ({@code unshare -m}, root only) with a tmpfs on {@code /run/systemd}
 * holding that directory: the host's {@code /run} is untouched. Clients ({@code systemctl --user},
 * the snapshotter's systemd controller) reach it from outside the namespace through {@code
 * $XDG_RUNTIME_DIR/systemd/private}; {@link #environment()} gives the variables. Units go in {@code
 * $XDG_CONFIG_HOME/systemd/user}. The cgroup freezer is not available this way ({@code systemctl
 * freeze} fails); the snapshotter freezes the unit's main process with SIGSTOP instead.
 */
public final class SystemdUserManager implements AutoCloseable {
  private final Path runtimeDir;
  private final Path configDir;
  private final ChildProcess process;

  private SystemdUserManager(Path runtimeDir, Path configDir, ChildProcess process) {
    this.runtimeDir = runtimeDir;
    this.configDir = configDir;
    this.process = process;
  }

  /** The systemd binary, or empty when systemd is not installed. */
  public static java.util.Optional<Path> binary() {
    for (String candidate : List.of("/lib/systemd/systemd", "/usr/lib/systemd/systemd")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return java.util.Optional.of(Path.of(candidate));
      }
    }
    return java.util.Optional.empty();
  }

  /** Starts a user manager with its state under {@code dir} and waits until it answers. */
  public static SystemdUserManager start(Path dir) {
    Path systemd =
        binary()
            .orElseThrow(
                () -> new IllegalStateException("systemd is not installed (scripts/setup.sh)"));
    try {
      Path runtime = Files.createDirectories(dir.resolve("runtime"));
      Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
      Path config = Files.createDirectories(dir.resolve("config"));
      Files.createDirectories(config.resolve("systemd/user"));
      String script =
          "mkdir -p /run/systemd && mount -t tmpfs -o mode=755 chainsnap-test /run/systemd"
              + " && mkdir /run/systemd/system && exec "
              + systemd
              + " --user --log-target=console";
      ChildProcess child =
          ChildProcess.start(
              "systemd-user",
              List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", script),
              dir,
              Map.of(
                  "XDG_RUNTIME_DIR", runtime.toString(),
                  "XDG_CONFIG_HOME", config.toString()),
              dir.resolve("systemd-user.log"));
      SystemdUserManager manager = new SystemdUserManager(runtime, config, child);
      manager.awaitReady(Duration.ofSeconds(30));
      return manager;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      process.checkAlive();
      Path socket = runtimeDir.resolve("systemd/private");
      if (Files.exists(socket) && systemctl("list-units", "--no-legend").exit() == 0) {
        return;
      }
      if (System.nanoTime() > deadline) {
        process.stop(Duration.ofSeconds(5));
        throw new IllegalStateException(
            "systemd --user did not come up within " + timeout + ":\n" + process.logTail(30));
      }
      Components.sleep(100);
    }
  }

  /** Environment under which {@code systemctl --user} reaches this manager. */
  public Map<String, String> environment() {
    return Map.of("XDG_RUNTIME_DIR", runtimeDir.toString());
  }

  /** Writes a unit file and reloads the manager. */
  public void install(String unit, String content) {
    try {
      Files.writeString(configDir.resolve("systemd/user").resolve(unit), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    require(systemctl("daemon-reload"), "daemon-reload");
  }

  /** Runs {@code systemctl --user ARGS} against this manager. */
  public Result systemctl(String... args) {
    List<String> command = new ArrayList<>(List.of("systemctl", "--user"));
    command.addAll(List.of(args));
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().putAll(environment());
      Process p = builder.start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + command);
      }
      return new Result(
          p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The unit's main pid (0 when it is not running). */
  public long mainPid(String unit) {
    Result r = require(systemctl("show", "-p", "MainPID", "--value", unit), "show MainPID");
    return Long.parseLong(r.output().strip());
  }

  /** Whether the unit is active. */
  public boolean isActive(String unit) {
    return systemctl("is-active", "--quiet", unit).exit() == 0;
  }

  /** Systemd's journal-less log of the manager (its console output). */
  public String logTail(int lines) {
    return process.logTail(lines);
  }

  private static Result require(Result result, String what) {
    if (result.exit() != 0) {
      throw new IllegalStateException(
          "systemctl --user " + what + " failed (" + result.exit() + "): " + result.output());
    }
    return result;
  }

  /** Exit status and output of a systemctl call. */
  public record Result(int exit, String output) {}

  /** Stops every unit (the manager's own shutdown) and the manager. */
  @Override
  public void close() {
    process.stop(Duration.ofSeconds(60));
  }
}
