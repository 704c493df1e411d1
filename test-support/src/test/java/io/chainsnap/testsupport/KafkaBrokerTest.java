package io.chainsnap.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real-broker tests: produce to and consume from a Kafka started by {@link KafkaBroker}. */
class KafkaBrokerTest {

  @Test
  void inJvmBrokerRoundTrip(@TempDir Path dir) throws Exception {
    try (KafkaBroker broker = KafkaBroker.startInJvm(dir.resolve("kafka"))) {
      roundTrip(broker);
    }
  }

  @Test
  void processBrokerRoundTrip(@TempDir Path dir) throws Exception {
    try (KafkaBroker broker =
        KafkaBroker.startProcess(
            dir.resolve("kafka"), Ports.free(), Ports.free(), dir.resolve("kafka.log"))) {
      roundTrip(broker);
    }
  }

  private static void roundTrip(KafkaBroker broker) throws Exception {
    String topic = "round-trip";
    broker.createTopics(topic);
    broker.createTopics(topic); // already exists: no error

    Map<String, Object> producerConfig =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    List<String> sent = List.of("one", "two", "three");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
      for (String value : sent) {
        producer.send(new ProducerRecord<>(topic, value, value)).get();
      }
    }

    Map<String, Object> consumerConfig =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    List<String> received = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (received.size() < sent.size() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          received.add(record.value());
        }
      }
    }
    assertEquals(sent, received);
  }
}
