package io.chainsnap.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Quarkus test resource: a real in-JVM Kafka broker ({@link KafkaBroker#startInJvm}) in a temporary
 * directory. It sets {@code kafka.bootstrap.servers} (used by the Kafka connector and clients) and
 * turns Kafka Dev Services off. Use with {@code @QuarkusTestResource(KafkaResource.class)}; tests
 * reach the broker through {@link #bootstrapServers()}.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {
  /** System property that also carries the address, visible whatever class loader reads it. */
  public static final String BOOTSTRAP_PROPERTY = "chainsnap.test.kafka.bootstrap.servers";

  private static volatile KafkaBroker current;

  private KafkaBroker broker;
  private Path dir;

  @Override
  public Map<String, String> start() {
    try {
      dir = Files.createTempDirectory("chainsnap-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for Kafka", e);
    }
    broker = KafkaBroker.startInJvm(dir);
    current = broker;
    System.setProperty(BOOTSTRAP_PROPERTY, broker.bootstrapServers());
    return Map.of(
        "kafka.bootstrap.servers",
        broker.bootstrapServers(),
        "quarkus.kafka.devservices.enabled",
        "false");
  }

  @Override
  public void stop() {
    try {
      if (broker != null) {
        broker.close();
      }
    } finally {
      if (current == broker) {
        current = null;
        System.clearProperty(BOOTSTRAP_PROPERTY);
      }
      broker = null;
      deleteRecursively(dir);
      dir = null;
    }
  }

  /** The running broker's {@code bootstrap.servers}; fails if no broker is running. */
  public static String bootstrapServers() {
    KafkaBroker broker = current;
    if (broker != null) {
      return broker.bootstrapServers();
    }
    // The resource may have been loaded by another class loader than the caller's.
    String fromProperty = System.getProperty(BOOTSTRAP_PROPERTY);
    if (fromProperty != null) {
      return fromProperty;
    }
    throw new IllegalStateException("no KafkaResource broker is running");
  }

  /** The running broker, when started by this class loader's copy of the resource. */
  public static KafkaBroker broker() {
    KafkaBroker broker = current;
    if (broker == null) {
      throw new IllegalStateException("no KafkaResource broker is running in this class loader");
    }
    return broker;
  }

  private static void deleteRecursively(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // best effort: a leftover temp file is harmless
                }
              });
    } catch (IOException e) {
      // best effort
    }
  }
}
