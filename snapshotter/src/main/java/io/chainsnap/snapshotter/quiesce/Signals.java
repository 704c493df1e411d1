package io.chainsnap.snapshotter.quiesce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/** SIGSTOP and SIGCONT for a process (the JDK only sends SIGTERM and SIGKILL). */
public final class Signals {
  private Signals() {}

  /** Freezes {@code pid}: it keeps its memory and files, but runs no instruction until resumed. */
  public static void stop(long pid) {
    send("-STOP", pid);
  }

  /** Resumes a frozen {@code pid}. */
  public static void resume(long pid) {
    send("-CONT", pid);
  }

  /** The process state letter from {@code /proc} ({@code T} when stopped), or empty if gone. */
  public static String state(long pid) {
    try {
      String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
      return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static void send(String signal, long pid) {
    try {
      Process kill = new ProcessBuilder("kill", signal, String.valueOf(pid)).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill " + signal + " " + pid + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
