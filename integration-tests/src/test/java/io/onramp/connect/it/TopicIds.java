package io.onramp.connect.it;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Counts how often each value of one field arrives on a one-partition topic (read_committed), reading on from
 * where it stopped: for exact missing/duplicate counts of JDBC source tests.
 */
public final class TopicIds implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String field;
    private final Map<Long, Integer> counts = new TreeMap<>();
    private long records;

    public TopicIds(OnrampConnect connect, String topic, String field) {
        this(connect.cluster().kafka(), topic, field);
    }

    public TopicIds(org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster kafka, String topic, String field) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        this.consumer = kafka.createConsumer(props);
        this.field = field;
        var partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
    }

    /** Reads until {@code distinct} different values arrived or the timeout passed; returns the distinct count. */
    public int readUntilDistinct(int distinct, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (counts.size() < distinct && System.nanoTime() < deadline) {
            poll();
        }
        return counts.size();
    }

    /** Reads everything committed up to the topic's end right now (the last stable offset). */
    public void readToEnd(Duration timeout) {
        var partition = consumer.assignment().iterator().next();
        long end = consumer.endOffsets(List.of(partition)).get(partition);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (consumer.position(partition) < end && System.nanoTime() < deadline) {
            poll();
        }
    }

    private void poll() {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
            if (record.value() == null) {
                continue;
            }
            var value = Records.payload(record).path(field);
            if (!value.isMissingNode() && !value.isNull()) {
                counts.merge(value.asLong(), 1, Integer::sum);
                records++;
            }
        }
    }

    public int distinct() {
        return counts.size();
    }

    public long records() {
        return records;
    }

    /** How many records repeat a value already seen. */
    public long duplicates() {
        return records - counts.size();
    }

    public boolean contains(long value) {
        return counts.containsKey(value);
    }

    public Map<Long, Integer> counts() {
        return counts;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
