package io.chainsnap.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The local stack's control channel: {@code scripts/local-service.sh} drops a request file {@code
 * control/<id>.request} holding {@code <verb> <service>} (verb {@code restart}, {@code stop} or
 * {@code start}); the supervisor carries it out and answers in {@code control/<id>.result}, {@code
 * ok ...} or {@code error: ...}, written whole. Requests are handled one at a time, in name order.
 */
final class LocalControl {
  private static final Logger LOG = Logger.getLogger(LocalControl.class);
  static final String DIR = "control";
  private static final String REQUEST = ".request";

  private final Path dir;
  private final LocalPipeline pipeline;

  LocalControl(Path dir, LocalPipeline pipeline) {
    this.dir = dir;
    this.pipeline = pipeline;
  }

  /** Serves requests until the thread is interrupted (the JVM shuts down). */
  void run() throws IOException, InterruptedException {
    Files.createDirectories(dir);
    LOG.infof("control requests in %s (scripts/local-service.sh)", dir);
    while (!Thread.currentThread().isInterrupted()) {
      for (Path request : pending()) {
        String id = request.getFileName().toString();
        id = id.substring(0, id.length() - REQUEST.length());
        String answer = answer(Files.readString(request).trim());
        Path partial = dir.resolve(id + ".result.partial");
        Files.writeString(partial, answer + "\n");
        Files.move(
            partial,
            dir.resolve(id + ".result"),
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(request);
      }
      Thread.sleep(250);
    }
  }

  private List<Path> pending() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(REQUEST)).sorted().toList();
    }
  }

  /** Carries out one request; never throws. */
  String answer(String request) {
    String[] words = request.split("\\s+");
    if (words.length != 2) {
      return "error: expected '<restart|stop|start> <service>', got '" + request + "'";
    }
    String verb = words[0];
    String service = words[1];
    if (!pipeline.serviceNames().contains(service)) {
      return "error: unknown service '"
          + service
          + "' (one of "
          + String.join(", ", pipeline.serviceNames())
          + ")";
    }
    LOG.infof("control: %s %s", verb, service);
    try {
      switch (verb) {
        case "stop" -> pipeline.stopService(service);
        case "start" -> {
          if (pipeline.isRunning(service)) {
            return "error: " + service + " is running (restart it instead)";
          }
          pipeline.startService(service);
        }
        case "restart" -> {
          pipeline.stopService(service);
          pipeline.startService(service);
        }
        default -> {
          return "error: unknown verb '" + verb + "' (restart, stop or start)";
        }
      }
    } catch (RuntimeException e) {
      LOG.errorf(e, "control: %s %s failed", verb, service);
      return "error: " + verb + " " + service + " failed: " + e.getMessage();
    }
    return pipeline.isRunning(service)
        ? "ok " + service + " running, pid " + pipeline.pid(service)
        : "ok " + service + " stopped";
  }
}
