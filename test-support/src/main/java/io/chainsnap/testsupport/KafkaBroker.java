package io.chainsnap.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.stream.Collectors;
import kafka.server.KafkaRaftServer;
import kafka.server.Server;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.jboss.logging.Logger;
import org.jboss.logmanager.LogContext;

/**
 * A real single-node Apache Kafka broker and KRaft controller (one process, {@code
 * process.roles=broker,controller}) started from the official {@code kafka_2.13} artifacts.
 *
 * <p>{@link #startInJvm} runs {@code KafkaRaftServer} inside this JVM (for tests); {@link
 * #startProcess} runs {@code kafka.Kafka} in a child JVM with this JVM's classpath (for the local
 * run). Both first format the storage in this JVM with {@code kafka.tools.StorageTool}
 * (single-voter dynamic quorum, like {@code kafka-storage.sh format --standalone}) unless {@code
 * meta.properties} exists, and return when an admin client's {@code describeCluster} answers.
 *
 * <p>Kafka's loggers are set to WARN in this JVM (unless configured already); the child logs at
 * INFO to its log file.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(KafkaBroker.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);
  private static final String LOG_DIRS = "kafka-logs";
  private static final String META_PROPERTIES = "meta.properties";

  /** Kafka's own loggers, set to WARN in this JVM; held here so the levels stay set. */
  private static final List<java.util.logging.Logger> QUIETED = new ArrayList<>();

  private final String bootstrapServers;
  private final Server server;
  private final ChildProcess process;

  private KafkaBroker(String bootstrapServers, Server server, ChildProcess process) {
    this.bootstrapServers = bootstrapServers;
    this.server = server;
    this.process = process;
  }

  /**
   * Starts a broker inside this JVM on free loopback ports, its data under {@code dataDir}, and
   * waits until it answers (at most 60 s).
   */
  public static KafkaBroker startInJvm(Path dataDir) {
    long started = System.nanoTime();
    quietKafkaLogging();
    int port = Ports.free();
    int controllerPort = Ports.free();
    Path config = writeServerProperties(dataDir, port, controllerPort);
    if (!isFormatted(dataDir)) {
      formatInJvm(config);
    }
    Properties props = loadProperties(config);
    Server server = newRaftServer(props);
    String bootstrap = "127.0.0.1:" + port;
    try {
      server.startup();
      awaitReady(bootstrap, () -> {});
    } catch (RuntimeException e) {
      stopInJvm(server);
      throw e;
    }
    LOG.infof(
        "Kafka broker (in JVM) ready at %s in %d ms, data %s",
        bootstrap, elapsedMillis(started), dataDir);
    return new KafkaBroker(bootstrap, server, null);
  }

  /**
   * Starts a broker in a child JVM ({@code java -Xmx512m -cp <this JVM's classpath> kafka.Kafka
   * server.properties}) listening on {@code port} (PLAINTEXT) and {@code controllerPort}, output
   * appended to {@code logFile}. The storage under {@code dataDir} is formatted (in this JVM) only
   * if it is not yet, so a restart on the same directory and ports keeps the topics. Waits until
   * the broker answers (at most 60 s) and fails with the log tail if the child dies.
   */
  public static KafkaBroker startProcess(Path dataDir, int port, int controllerPort, Path logFile) {
    return startProcess(
        dataDir, port, controllerPort, logFile, System.getProperty("java.class.path"));
  }

  /** Like {@link #startProcess(Path, int, int, Path)} with an explicit classpath for the child. */
  public static KafkaBroker startProcess(
      Path dataDir, int port, int controllerPort, Path logFile, String classpath) {
    long started = System.nanoTime();
    quietKafkaLogging();
    Path config = writeServerProperties(dataDir, port, controllerPort);
    if (!isFormatted(dataDir)) {
      appendToLog(logFile, formatInJvm(config));
    }
    Path logging = writeChildLogging(dataDir);
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m",
            "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
            "-Dlogging.configuration=" + logging.toUri(),
            "-cp",
            childClasspath(classpath),
            "kafka.Kafka",
            config.toString());
    ChildProcess child = ChildProcess.start("kafka", command, dataDir, Map.of(), logFile);
    String bootstrap = "127.0.0.1:" + port;
    try {
      awaitReady(bootstrap, child::checkAlive);
    } catch (RuntimeException e) {
      boolean died = !child.isAlive();
      child.stop(STOP_GRACE);
      if (died) {
        throw e; // from checkAlive, whose message carries the log tail
      }
      throw new IllegalStateException(e.getMessage() + "; log tail:\n" + child.logTail(40), e);
    }
    LOG.infof(
        "Kafka broker (pid %d) ready at %s in %d ms, data %s, log %s",
        child.pid(), bootstrap, elapsedMillis(started), dataDir, logFile);
    return new KafkaBroker(bootstrap, null, child);
  }

  /** Process id of the broker's own JVM; empty for a broker inside this JVM. */
  public java.util.OptionalLong pid() {
    return process == null
        ? java.util.OptionalLong.empty()
        : java.util.OptionalLong.of(process.pid());
  }

  /** {@code host:port} of the PLAINTEXT listener, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Creates topics with one partition and replication factor 1; existing topics are fine. */
  public void createTopics(String... names) {
    if (names.length == 0) {
      return;
    }
    List<NewTopic> topics =
        Arrays.stream(names).map(n -> new NewTopic(n, 1, (short) 1)).collect(Collectors.toList());
    try (Admin admin = admin(bootstrapServers)) {
      for (var entry : admin.createTopics(topics).values().entrySet()) {
        try {
          entry.getValue().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topic " + entry.getKey(), e.getCause());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out creating topics " + Arrays.toString(names), e);
    }
  }

  /** Shuts the broker down and waits for it (SIGTERM and wait for a child process). */
  @Override
  public void close() {
    if (server != null) {
      stopInJvm(server);
      LOG.infof("Kafka broker (in JVM) at %s stopped", bootstrapServers);
    }
    if (process != null) {
      process.stop(STOP_GRACE);
    }
  }

  private static Path writeServerProperties(Path dataDir, int port, int controllerPort) {
    Properties props = new Properties();
    props.setProperty("process.roles", "broker,controller");
    props.setProperty("node.id", "1");
    props.setProperty("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
    props.setProperty(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    props.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.setProperty("controller.listener.names", "CONTROLLER");
    props.setProperty("inter.broker.listener.name", "PLAINTEXT");
    props.setProperty("log.dirs", dataDir.toAbsolutePath().resolve(LOG_DIRS).toString());
    props.setProperty("num.partitions", "1");
    props.setProperty("default.replication.factor", "1");
    props.setProperty("min.insync.replicas", "1");
    props.setProperty("auto.create.topics.enable", "true");
    props.setProperty("offsets.topic.replication.factor", "1");
    props.setProperty("offsets.topic.num.partitions", "1");
    props.setProperty("transaction.state.log.replication.factor", "1");
    props.setProperty("transaction.state.log.min.isr", "1");
    props.setProperty("transaction.state.log.num.partitions", "1");
    props.setProperty("share.coordinator.state.topic.replication.factor", "1");
    props.setProperty("share.coordinator.state.topic.min.isr", "1");
    props.setProperty("group.initial.rebalance.delay.ms", "0");
    Path file = dataDir.toAbsolutePath().resolve("server.properties");
    try {
      Files.createDirectories(dataDir);
      try (OutputStream out = Files.newOutputStream(file)) {
        props.store(out, "chainsnap single-node Kafka (KRaft, broker+controller)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }

  /**
   * The classpath minus the Quarkus jars that register JBoss LogManager services: with them, JBoss
   * LogManager ignores {@code logging.configuration} and holds every record back for a Quarkus
   * application that never starts in the child, so its log would stay empty.
   */
  private static String childClasspath(String classpath) {
    return Arrays.stream(classpath.split(File.pathSeparator))
        .filter(
            entry -> {
              String name = Path.of(entry).getFileName().toString();
              return !name.startsWith("quarkus-bootstrap-runner")
                  && !name.startsWith("quarkus-ide-launcher");
            })
        .collect(Collectors.joining(File.pathSeparator));
  }

  /**
   * JBoss LogManager configuration for the child: INFO to stdout, hence to the log file. Kafka's
   * log4j2 and slf4j output ends up in JBoss LogManager, which has no handler unless configured.
   */
  private static Path writeChildLogging(Path dataDir) {
    Path file = dataDir.toAbsolutePath().resolve("logging.properties");
    String text =
        String.join(
            "\n",
            "logger.level=INFO",
            "logger.handlers=CONSOLE",
            "handler.CONSOLE=org.jboss.logmanager.handlers.ConsoleHandler",
            "handler.CONSOLE.properties=target,autoFlush",
            "handler.CONSOLE.target=SYSTEM_OUT",
            "handler.CONSOLE.autoFlush=true",
            "handler.CONSOLE.formatter=PATTERN",
            "formatter.PATTERN=org.jboss.logmanager.formatters.PatternFormatter",
            "formatter.PATTERN.properties=pattern",
            "formatter.PATTERN.pattern=%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%c] (%t) %s%e%n",
            "");
    try {
      Files.createDirectories(dataDir);
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }

  private static boolean isFormatted(Path dataDir) {
    return Files.exists(dataDir.resolve(LOG_DIRS).resolve(META_PROPERTIES));
  }

  /** Formats the storage the way {@code kafka-storage.sh format --standalone} does; its output. */
  private static String formatInJvm(Path config) {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    String[] args = {
      "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(), "--standalone"
    };
    int code;
    try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      code = StorageTool.execute(args, print);
    } catch (RuntimeException e) {
      throw new IllegalStateException("formatting Kafka storage failed: " + e.getMessage(), e);
    }
    String text = output.toString(StandardCharsets.UTF_8).strip();
    if (code != 0) {
      throw new IllegalStateException("formatting Kafka storage failed (" + code + "): " + text);
    }
    LOG.debugf("formatted Kafka storage: %s", text);
    return text;
  }

  private static void appendToLog(Path logFile, String text) {
    try {
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      Files.writeString(
          logFile,
          text + System.lineSeparator(),
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + logFile, e);
    }
  }

  /** Polls {@code describeCluster} until it lists a node; {@code check} fails fast. */
  private static void awaitReady(String bootstrap, Runnable check) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    Exception last = null;
    try (Admin admin = admin(bootstrap)) {
      while (System.nanoTime() < deadline) {
        check.run();
        try {
          if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          last = e;
        }
        sleep(200);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka", e);
    }
    throw new IllegalStateException(
        "Kafka at " + bootstrap + " not ready within " + READY_TIMEOUT + ": " + last);
  }

  private static Admin admin(String bootstrap) {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000,
            AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500));
  }

  private static void stopInJvm(Server server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("error while stopping the in-JVM Kafka broker", e);
    }
  }

  /**
   * {@code new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM)}. {@code
   * KafkaConfig} is reached by reflection: its superclass lives in {@code kafka-server}, which
   * {@code kafka_2.13} declares with runtime scope, so javac cannot see it.
   */
  private static Server newRaftServer(Properties props) {
    try {
      Class<?> configClass = Class.forName("kafka.server.KafkaConfig");
      Object config =
          configClass
              .getMethod("fromProps", Properties.class, boolean.class)
              .invoke(null, props, false);
      return (Server)
          KafkaRaftServer.class
              .getConstructor(configClass, Time.class)
              .newInstance(config, Time.SYSTEM);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw new IllegalStateException("cannot create the Kafka server: " + cause, cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Kafka 4.x server classes not found", e);
    }
  }

  private static Properties loadProperties(Path file) {
    Properties props = new Properties();
    try (var in = Files.newInputStream(file)) {
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return props;
  }

  /**
   * Sets Kafka's server and client loggers to WARN in JBoss LogManager (where Kafka's log4j2 and
   * slf4j output ends up), unless a level was configured for them already.
   */
  private static synchronized void quietKafkaLogging() {
    if (!QUIETED.isEmpty()) {
      return;
    }
    LogContext context = LogContext.getLogContext();
    for (String name : List.of("kafka", "org.apache.kafka", "state.change.logger")) {
      java.util.logging.Logger logger = context.getLogger(name);
      if (logger.getLevel() == null) {
        logger.setLevel(Level.WARNING);
      }
      QUIETED.add(logger);
    }
  }

  private static long elapsedMillis(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
