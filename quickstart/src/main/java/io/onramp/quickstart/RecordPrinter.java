package io.onramp.quickstart;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;

/** Prints every committed record of the data product as it arrives, until stopped. */
final class RecordPrinter {

    private final EmbeddedKafkaCluster kafka;
    private final String topic;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean stopped;

    RecordPrinter(EmbeddedKafkaCluster kafka, String topic) {
        this.kafka = kafka;
        this.topic = topic;
    }

    void run() {
        consumer = kafka.createConsumer(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        try {
            // The topic appears when the connector writes its first record.
            var partition = new TopicPartition(topic, 0);
            while (!stopped && consumer.partitionsFor(topic, Duration.ofSeconds(1)).isEmpty()) {
                Thread.sleep(500);
            }
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            while (!stopped) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    String value = record.value() == null ? "null" : new String(record.value(), StandardCharsets.UTF_8);
                    Quickstart.say(topic + " @" + record.offset() + "  " + value);
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close();
        }
    }

    void stop() {
        stopped = true;
        if (consumer != null) {
            consumer.wakeup();
        }
    }
}
