package io.onramp.connect.it.crash;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A one-node KRaft broker inside the test JVM, for {@link WorkerProcess}es to connect to, plus the reads crash tests
 * count with. Only the workers are separate processes: a crash test kills a worker, never the broker.
 *
 * <p>Counting is exact and needs no sleep: {@link #readCommitted(String)} reads every partition from the beginning up
 * to the end offsets a {@code read_committed} consumer sees at the time of the call (the last stable offsets), so
 * the result is one consistent view of everything committed so far and nothing in it is still in flight.
 *
 * <p>A crash test class shares one broker among its tests, registered as a JUnit extension that starts it before
 * the first test and stops it after the last:
 * <pre>{@code @RegisterExtension static final KafkaBroker broker = KafkaBroker.perClass();}</pre>
 */
public final class KafkaBroker implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    private final long producerBytesPerSecond;
    private EmbeddedKafkaCluster kafka;

    private KafkaBroker(long producerBytesPerSecond) {
        this.producerBytesPerSecond = producerBytesPerSecond;
    }

    /** A broker for the test class that registers it ({@code @RegisterExtension}), started before its first test. */
    public static KafkaBroker perClass() {
        return new KafkaBroker(0);
    }

    /** {@link #perClass()} with every producer capped from the start: see {@link #throttleProducers(long)}. */
    public static KafkaBroker perClassThrottled(long producerBytesPerSecond) {
        return new KafkaBroker(producerBytesPerSecond);
    }

    /** A broker started now, for a test that manages its life itself ({@code try} with resources). */
    public static KafkaBroker start() {
        var broker = new KafkaBroker(0);
        broker.startCluster();
        return broker;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startCluster();
        if (producerBytesPerSecond > 0) {
            throttleProducers(producerBytesPerSecond);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private void startCluster() {
        var props = new Properties();
        props.put("auto.create.topics.enable", "false");
        // One broker: the transaction log must fit on it, or exactly-once workers never get a producer id.
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "1");
        // A worker that joins its group starts at once instead of after the default 3 s of waiting for others.
        props.put("group.initial.rebalance.delay.ms", "0");
        kafka = new EmbeddedKafkaCluster(1, props);
        kafka.start();
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Kafka's own test cluster, for what this class does not offer (topics, admin, producers). */
    public EmbeddedKafkaCluster kafka() {
        return kafka;
    }

    /**
     * Caps how fast every producer may write (a broker quota on all client ids), so that a file takes seconds
     * to go out on any machine and a test can kill its worker in the middle of it. {@code 0} lifts the cap.
     */
    public void throttleProducers(long bytesPerSecond) {
        var entity = new org.apache.kafka.common.quota.ClientQuotaEntity(
                java.util.Collections.singletonMap(org.apache.kafka.common.quota.ClientQuotaEntity.CLIENT_ID, null));
        var op = new org.apache.kafka.common.quota.ClientQuotaAlteration.Op("producer_byte_rate",
                bytesPerSecond > 0 ? (double) bytesPerSecond : null);
        try (var admin = kafka.createAdminClient()) {
            admin.alterClientQuotas(List.of(new org.apache.kafka.common.quota.ClientQuotaAlteration(entity, List.of(op))))
                    .all().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("cannot set the producer quota", e);
        }
    }

    /** Everything committed in the topic so far, all partitions, in partition then offset order; empty if no topic. */
    public List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
        return read(topic, true);
    }

    /** Everything in the topic so far, uncommitted and aborted records included. */
    public List<ConsumerRecord<byte[], byte[]>> readUncommitted(String topic) {
        return read(topic, false);
    }

    /**
     * The sum of the topic's end offsets (high watermarks): how many records were written to it, committed,
     * open or aborted, transaction markers included. 0 when the topic does not exist yet.
     */
    public long written(String topic) {
        try (var consumer = consumer(false)) {
            var partitions = partitions(consumer, topic);
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * The sum of the topic's last stable offsets: how far a {@code read_committed} consumer may read now. A cheap
     * signal of commit progress (commit markers and aborted records below it count too), not a record count:
     * {@link #readCommitted(String)} counts. 0 when the topic does not exist yet.
     */
    public long stable(String topic) {
        try (var consumer = consumer(true)) {
            var partitions = partitions(consumer, topic);
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Waits until the condition holds, polling every 200 ms; fails with the description after the timeout. */
    public static void await(String description, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + description);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + description, e);
            }
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> read(String topic, boolean committed) {
        var records = new ArrayList<ConsumerRecord<byte[], byte[]>>();
        try (var consumer = consumer(committed)) {
            var partitions = partitions(consumer, topic);
            if (partitions.isEmpty()) {
                return records;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " up to " + ends + " within 120 s");
                }
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        records.add(record);
                    }
                }
            }
        }
        records.sort(java.util.Comparator.<ConsumerRecord<byte[], byte[]>>comparingInt(ConsumerRecord::partition)
                .thenComparingLong(ConsumerRecord::offset));
        return records;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        return consumer.listTopics(Duration.ofSeconds(30)).getOrDefault(topic, List.of()).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    private KafkaConsumer<byte[], byte[]> consumer(boolean readCommitted) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        return kafka.createConsumer(props);
    }

    @Override
    public void close() {
        if (kafka != null) {
            kafka.stop();
            kafka = null;
        }
    }
}
