package io.onramp.quickstart;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;

/**
 * Prints every committed record of the data product as it arrives, until stopped: read back with the worker's
 * JsonConverter (schemas on), so that dates, timestamps and decimals print readably (see {@link RecordText}).
 */
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
        var converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "true", "decimal.format", "NUMERIC"), false);
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
                    SchemaAndValue data = converter.toConnectData(topic, record.value());
                    String value = record.value() == null ? "null" : RecordText.of(data.schema(), data.value());
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
