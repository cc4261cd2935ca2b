package io.onramp.connect.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/**
 * One real Connect cluster (an in-JVM KRaft broker and a distributed worker) with Onramp loaded the way users
 * load it: from the packaged plugin directory through {@code plugin.path}, discovered by service loading.
 * Start one per test class; it takes about ten seconds.
 */
public final class OnrampConnect implements AutoCloseable {

    private final EmbeddedConnectCluster cluster;

    private OnrampConnect(EmbeddedConnectCluster cluster) {
        this.cluster = cluster;
    }

    /** @param exactlyOnce whether the worker runs with {@code exactly.once.source.support=enabled} */
    public static OnrampConnect start(String name, boolean exactlyOnce) {
        return start(name, exactlyOnce, Map.of());
    }

    /** @param extraWorkerProps worker settings a test needs on top of the defaults, e.g. config providers */
    public static OnrampConnect start(String name, boolean exactlyOnce, Map<String, String> extraWorkerProps) {
        Map<String, String> worker = new HashMap<>();
        worker.put("plugin.path", pluginPath().toString());
        worker.put("plugin.discovery", "service_load");
        worker.put("offset.flush.interval.ms", "500");
        worker.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        worker.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        worker.put("key.converter.schemas.enable", "false");
        worker.put("value.converter.schemas.enable", "true");
        worker.put("value.converter.decimal.format", "NUMERIC");
        if (exactlyOnce) {
            worker.put("exactly.once.source.support", "enabled");
        }
        worker.putAll(extraWorkerProps);
        var brokers = new Properties();
        brokers.put("auto.create.topics.enable", "false");
        // One broker: the transaction log must fit on it, or exactly-once workers never get a producer id.
        brokers.put("transaction.state.log.replication.factor", "1");
        brokers.put("transaction.state.log.min.isr", "1");
        brokers.put("transaction.state.log.num.partitions", "1");
        var cluster = new EmbeddedConnectCluster.Builder()
                .name(name)
                .numWorkers(1)
                .numBrokers(1)
                .workerProps(worker)
                .brokerProps(brokers)
                .build();
        cluster.start();
        return new OnrampConnect((EmbeddedConnectCluster) cluster);
    }

    /**
     * The directory a user would put on plugin.path: the Confluent Hub ZIP that distribution built, unzipped
     * once per test JVM, so the tests load exactly what users install (never this module's classpath).
     */
    public static synchronized Path pluginPath() {
        if (unzippedPluginPath == null) {
            Path zip = Paths.get(System.getProperty("onramp.component.zip", "../distribution/target/onramp-kafka-connect.zip"));
            assertThat(zip).as("the component ZIP; run the build through 'package' first").isRegularFile();
            // Per test JVM: classes run two at a time, and re-unzipping under a running worker removes its jars.
            unzippedPluginPath = unzip(zip, Paths.get("target", "plugin-path", Long.toString(ProcessHandle.current().pid()))
                    .toAbsolutePath());
        }
        return unzippedPluginPath;
    }

    private static Path unzippedPluginPath;

    private static Path unzip(Path zip, Path target) {
        try {
            if (Files.exists(target)) {
                try (var walk = Files.walk(target)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
            Files.createDirectories(target);
            try (var file = new java.util.zip.ZipFile(zip.toFile())) {
                for (var entries = file.entries(); entries.hasMoreElements(); ) {
                    var entry = entries.nextElement();
                    Path out = target.resolve(entry.getName()).normalize();
                    if (!out.startsWith(target)) {
                        throw new IllegalStateException("ZIP entry outside its directory: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(out);
                    } else {
                        Files.createDirectories(out.getParent());
                        try (var in = file.getInputStream(entry)) {
                            Files.copy(in, out);
                        }
                    }
                }
            }
            return target;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot unzip " + zip, e);
        }
    }

    public static String version() {
        return System.getProperty("onramp.version");
    }

    public EmbeddedConnectCluster cluster() {
        return cluster;
    }

    /** GET on the worker's REST API, e.g. {@code connector-plugins}; fails on a status other than 200. */
    public String get(String resource) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var response = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(cluster.endpointForResource(resource))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", resource, response.body()).isEqualTo(200);
        return response.body();
    }

    /** Creates the connector through REST; the config typically comes from {@link ConfigExamples}. */
    public void create(String name, Map<String, String> config) {
        cluster.configureConnector(name, config);
    }

    public void awaitRunning(String name, int tasks) throws InterruptedException {
        cluster.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, tasks, "connector " + name + " did not start");
    }

    public void awaitTaskFailed(String name) throws InterruptedException {
        cluster.assertions().assertConnectorIsRunningAndTasksHaveFailed(name, 1, "the task of " + name + " did not fail");
    }

    public String taskTrace(String name, int task) {
        ConnectorStateInfo status = cluster.connectorStatus(name);
        return status.tasks().get(task).trace();
    }

    public void restartConnectorAndTasks(String name) {
        cluster.restartConnectorAndTasks(name, false, true, false);
    }

    /** Stops the only worker and starts a fresh one in its place, as a crash and a redeploy would. */
    public void replaceWorker() {
        var worker = cluster.workers().iterator().next();
        cluster.removeWorker(worker);
        cluster.addWorker();
    }

    public void delete(String name) {
        cluster.deleteConnector(name);
    }

    /** Reads the topic from the beginning until {@code count} records arrived or the timeout passed. */
    public List<ConsumerRecord<byte[], byte[]>> read(String topic, int count, Duration timeout, boolean readCommitted) {
        return readAtLeast(topic, count, timeout, readCommitted, Duration.ZERO);
    }

    /**
     * Reads until {@code count} records arrived, then keeps reading for {@code settle}. A settle time is no proof
     * that nothing more arrives: to see everything, wait for a positive end signal and use {@link #readToEnd}.
     */
    public List<ConsumerRecord<byte[], byte[]>> readAtLeast(String topic, int count, Duration timeout,
            boolean readCommitted, Duration settle) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        var records = new ArrayList<ConsumerRecord<byte[], byte[]>>();
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.kafka().createConsumer(props)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty() && System.nanoTime() < deadline) { // the connector creates the topic
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                        .map(info -> new TopicPartition(topic, info.partition())).collect(Collectors.toList());
                if (partitions.isEmpty()) {
                    sleep(200);
                }
            }
            if (partitions.isEmpty()) {
                return records;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            long settleUntil = System.nanoTime() + settle.toNanos();
            while (System.nanoTime() < settleUntil) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /**
     * Every record of the topic from the beginning up to its end now: call it once a positive signal says all that
     * is expected was written (the file moved to finished.path or error.path, the task FAILED, which Connect reports
     * only after the task's producer is closed), so the read is complete without waiting for "nothing more".
     * With {@code readCommitted} it first waits until no transaction is open on the topic (its last stable offset
     * has reached its end: the commit or abort markers are written), then reads to there.
     */
    public List<ConsumerRecord<byte[], byte[]>> readToEnd(String topic, Duration timeout, boolean readCommitted) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        var records = new ArrayList<ConsumerRecord<byte[], byte[]>>();
        if (!topicExists(topic)) {
            return records;
        }
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.kafka().createConsumer(props)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).collect(Collectors.toList());
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (readCommitted && !ends.equals(logEnds(partitions))) {
                assertThat(System.nanoTime()).as("a transaction on %s still open after %s", topic, timeout).isLessThan(deadline);
                sleep(100);
                ends = consumer.endOffsets(partitions);
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            for (var end : ends.entrySet()) {
                while (consumer.position(end.getKey()) < end.getValue()) {
                    assertThat(System.nanoTime()).as("%s read to offset %s within %s", end.getKey(), end.getValue(), timeout)
                            .isLessThan(deadline);
                    for (var record : consumer.poll(Duration.ofMillis(200))) {
                        if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
                            records.add(record);
                        }
                    }
                }
            }
        }
        return records;
    }

    /** The log end offsets (aborted and open transactions included) of the partitions. */
    private Map<TopicPartition, Long> logEnds(List<TopicPartition> partitions) {
        Map<String, Object> props = Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.kafka().createConsumer(props)) {
            return consumer.endOffsets(partitions);
        }
    }

    /** The number of records in partition 0 of the topic (aborted transactions included), 0 when it does not exist. */
    public long endOffset(String topic) throws Exception {
        if (!topicExists(topic)) {
            return 0;
        }
        return cluster.kafka().endOffset(new TopicPartition(topic, 0));
    }

    /**
     * How many records a read_committed consumer sees in partition 0 right now: it reads from the start up to
     * the last stable offset taken first, so the count is one consistent view, not a read cut short.
     */
    public int countCommitted(String topic) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.kafka().createConsumer(props)) {
            if (consumer.partitionsFor(topic, Duration.ofSeconds(5)).isEmpty()) {
                return 0;
            }
            var partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long stable = consumer.endOffsets(List.of(partition)).get(partition);
            int count = 0;
            while (consumer.position(partition) < stable) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < stable) {
                        count++;
                    }
                }
            }
            return count;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public boolean topicExists(String topic) {
        return cluster.kafka().describeTopics(topic).get(topic).isPresent();
    }

    public static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        cluster.stop();
    }
}
