package io.onramp.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/**
 * Issue 8's anchor for the JDBC source: copy one PostgreSQL table of N rows (default 1,000,000) into a topic three
 * ways, in one run:
 * <ol>
 *   <li><b>plain JDBC</b> (the ceiling): a streaming cursor (autocommit off, fetch size 10,000) reading every column
 *       of every row with {@code getObject}, no Kafka;</li>
 *   <li><b>Onramp</b>'s JDBC source, {@code mode=bulk}, from the packaged plugin directory, in a real Connect worker
 *       (EmbeddedConnectCluster, one broker);</li>
 *   <li><b>Debezium</b>'s PostgreSQL connector 3.6.1.Final, {@code snapshot.mode=initial_only} (its initial snapshot,
 *       then it stops), from its own plugin directory, in the same worker.</li>
 * </ol>
 * Both connectors: one task, JsonConverter (with schemas unless the fourth argument is false), the worker's default
 * producer; the time runs from creating
 * the connector until the topic's end offset reaches N (so it includes the task's start), read every 100 ms. Heap:
 * the worker runs in this JVM beside the broker, so the figures are this JVM's: the heap pools' peak use (garbage
 * included, so it follows -Xmx more than the work) and the most found in use right after a collection (sampled
 * every 100 ms): an upper bound of what the worker and the broker kept live. The
 * replication slot and publication Debezium creates are dropped at the end, with the tables.
 *
 * <pre>
 * ./mvnw -q -pl integration-tests -am verify -DskipTests   # distribution/target/plugin, integration-tests/target/debezium-plugins
 * java -Xmx2g -cp "benchmarks/target/classes:benchmarks/target/lib/*" io.onramp.benchmarks.JdbcSnapshotAnchorBenchmark \
 *     1000000 distribution/target/plugin integration-tests/target/debezium-plugins [schemas.enable: true|false]
 * </pre>
 */
public final class JdbcSnapshotAnchorBenchmark {

    private static final String URL = System.getenv().getOrDefault("ONRAMP_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = System.getenv().getOrDefault("ONRAMP_DB_USER", "onramp");
    private static final String PASSWORD = System.getenv().getOrDefault("ONRAMP_DB_PASSWORD", "onramp");
    private static final long TIMEOUT_NANOS = 30L * 60 * 1_000_000_000L;

    private JdbcSnapshotAnchorBenchmark() {
    }

    /**
     * @param peakHeapBytes the heap pools' peak use, garbage included
     * @param liveHeapBytes the most heap found in use right after a collection, sampled every 100 ms
     */
    record Copy(double seconds, long rows, long peakHeapBytes, long liveHeapBytes) {
        double rowsPerSecond() {
            return rows / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path onrampPlugins = Paths.get(args.length > 1 ? args[1] : "distribution/target/plugin").toAbsolutePath();
        Path debeziumPlugins = Paths.get(args.length > 2 ? args[2] : "integration-tests/target/debezium-plugins").toAbsolutePath();
        // JsonConverter's schemas.enable for keys and values, the same for both connectors
        String schemas = args.length > 3 ? args[3] : "true";
        String suffix = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        String table = "bench_snapshot_" + suffix;
        String slot = "bench_snapshot_slot_" + suffix;
        String publication = "bench_snapshot_pub_" + suffix;

        System.out.printf(Locale.ROOT, "JDBC source anchor: %,d rows of public.%s (%s), JsonConverter schemas.enable=%s, %d cores,"
                + " load average %.1f%n", rows, table, URL, schemas, Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        try {
            createTable(table, rows);
            Copy plain = plainRead(table, rows);
            report("plain JDBC streaming read (ceiling)", plain);

            Map<String, String> worker = new HashMap<>();
            worker.put("plugin.path", onrampPlugins + "," + debeziumPlugins);
            worker.put("plugin.discovery", "hybrid_warn");
            worker.put("offset.flush.interval.ms", "1000");
            worker.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
            worker.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
            worker.put("key.converter.schemas.enable", schemas);
            worker.put("value.converter.schemas.enable", schemas);
            var brokers = new Properties();
            brokers.put("auto.create.topics.enable", "false");
            brokers.put("log.retention.bytes", "-1");
            EmbeddedConnectCluster cluster = new EmbeddedConnectCluster.Builder().name("jdbc-snapshot-anchor").numWorkers(1)
                    .numBrokers(1).workerProps(worker).brokerProps(brokers).build();
            cluster.start();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafka().bootstrapServers()))) {
                Map<String, String> onramp = new LinkedHashMap<>();
                onramp.put("connector.class", "io.onramp.connect.source.jdbc.JdbcSourceConnector");
                onramp.put("tasks.max", "1");
                onramp.put("connection.url", URL);
                onramp.put("connection.user", USER);
                onramp.put("connection.password", PASSWORD);
                onramp.put("mode", "bulk");
                onramp.put("table.include.list", table);
                onramp.put("topic.prefix", "onramp.");
                onramp.put("poll.interval.ms", "3600000"); // one pass
                onramp.put("batch.max.rows", "5000");
                onramp.put("topic.creation.default.replication.factor", "1");
                onramp.put("topic.creation.default.partitions", "1");
                Copy onrampCopy = copy(cluster, admin, "onramp-bulk", onramp, "onramp." + table, rows);
                report("Onramp JdbcSourceConnector mode=bulk", onrampCopy);
                cluster.deleteConnector("onramp-bulk");

                Map<String, String> debezium = new LinkedHashMap<>();
                debezium.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
                debezium.put("tasks.max", "1");
                debezium.put("database.hostname", host(URL));
                debezium.put("database.port", Integer.toString(port(URL)));
                debezium.put("database.user", USER);
                debezium.put("database.password", PASSWORD);
                debezium.put("database.dbname", database(URL));
                debezium.put("topic.prefix", "dbz");
                debezium.put("plugin.name", "pgoutput");
                debezium.put("slot.name", slot);
                debezium.put("publication.name", publication);
                debezium.put("publication.autocreate.mode", "filtered");
                debezium.put("table.include.list", "public." + table);
                debezium.put("snapshot.mode", "initial_only");
                debezium.put("topic.creation.default.replication.factor", "1");
                debezium.put("topic.creation.default.partitions", "1");
                Copy debeziumCopy = copy(cluster, admin, "debezium-snapshot", debezium, "dbz.public." + table, rows);
                report("Debezium PostgresConnector 3.6.1 initial_only", debeziumCopy);
                cluster.deleteConnector("debezium-snapshot");

                System.out.println();
                System.out.printf(Locale.ROOT, "Onramp / Debezium snapshot: %.2fx%n", debeziumCopy.seconds() / onrampCopy.seconds());
                System.out.printf(Locale.ROOT, "Onramp / plain read:        %.2fx%n", plain.seconds() / onrampCopy.seconds());
                System.out.printf(Locale.ROOT, "Debezium / plain read:      %.2fx%n", plain.seconds() / debeziumCopy.seconds());
            } finally {
                cluster.stop();
            }
        } finally {
            cleanUp(table, slot, publication);
        }
    }

    private static void report(String what, Copy copy) {
        System.out.printf(Locale.ROOT, "%-48s %7.1f s  %,10.0f rows/s  %,d rows  peak heap %,d MB, live after GC %,d MB%n",
                what, copy.seconds(), copy.rowsPerSecond(), copy.rows(), copy.peakHeapBytes() / (1024 * 1024),
                copy.liveHeapBytes() / (1024 * 1024));
    }

    private static void createTable(String table, int rows) throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, name TEXT NOT NULL, amount NUMERIC(12,2) NOT NULL,"
                    + " created TIMESTAMP(3) NOT NULL, flag BOOLEAN)");
            s.execute("INSERT INTO " + table + " SELECT g, 'customer ' || g, (g % 100000) / 100.0, "
                    + "TIMESTAMP '2024-01-01' + g * INTERVAL '1 second', g % 3 = 0 FROM generate_series(1, " + rows + ") g");
            s.execute("ANALYZE " + table);
        }
    }

    private static Copy plainRead(String table, int rows) throws SQLException {
        resetPeaks();
        long start = System.nanoTime();
        long count = 0;
        long checksum = 0;
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.setFetchSize(10_000);
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            Object value = rs.getObject(i);
                            checksum += value == null ? 0 : value.hashCode();
                        }
                        count++;
                    }
                }
            }
            c.commit();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (count != rows || checksum == 42) {
            throw new IllegalStateException("read " + count + " rows of " + rows);
        }
        return new Copy(seconds, count, peakHeap(), liveHeap());
    }

    /** Creates the connector and waits until its topic holds {@code rows} records. */
    private static Copy copy(EmbeddedConnectCluster cluster, Admin admin, String name, Map<String, String> config, String topic,
            int rows) throws Exception {
        System.gc();
        resetPeaks();
        long start = System.nanoTime();
        cluster.configureConnector(name, config);
        long end = 0;
        long live = 0;
        while (System.nanoTime() - start < TIMEOUT_NANOS) {
            end = endOffset(admin, topic);
            live = Math.max(live, liveHeap());
            if (end >= rows) {
                double seconds = (System.nanoTime() - start) / 1e9;
                return new Copy(seconds, end, peakHeap(), live);
            }
            Thread.sleep(100); // poll interval of the end-offset check
        }
        throw new IllegalStateException(name + " wrote " + end + " of " + rows + " records to " + topic + " in 30 minutes");
    }

    private static long endOffset(Admin admin, String topic) throws Exception {
        if (!admin.listTopics().names().get().contains(topic)) {
            return 0;
        }
        var partition = new TopicPartition(topic, 0);
        return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).get().offset();
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : heapPools()) {
            pool.resetPeakUsage();
        }
    }

    private static long peakHeap() {
        return heapPools().stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    }

    /** Heap in use right after the last collection of each pool (what survived it). */
    private static long liveHeap() {
        return heapPools().stream().map(MemoryPoolMXBean::getCollectionUsage).filter(u -> u != null)
                .mapToLong(u -> u.getUsed()).sum();
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP).toList();
    }

    /** Drops the table, the publication and the slot (once the stopped worker has let go of it, within 60 s). */
    private static void cleanUp(String table, String slot, String publication) throws Exception {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
            s.execute("DROP PUBLICATION IF EXISTS " + publication);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (true) {
                Boolean active = null;
                try (ResultSet rs = s.executeQuery("SELECT active FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
                    if (rs.next()) {
                        active = rs.getBoolean(1);
                    }
                }
                if (active == null) {
                    System.out.println("no replication slot " + slot + " left");
                    return;
                }
                if (!active) {
                    s.execute("SELECT pg_drop_replication_slot('" + slot + "')");
                    System.out.println("dropped replication slot " + slot);
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("replication slot " + slot + " still active after 60 s: drop it by hand");
                }
                Thread.sleep(500); // poll interval while the stopped worker's connection closes
            }
        }
    }

    private static String host(String url) {
        return hostPort(url).split(":")[0];
    }

    private static int port(String url) {
        String[] parts = hostPort(url).split(":");
        return parts.length > 1 ? Integer.parseInt(parts[1]) : 5432;
    }

    private static String hostPort(String url) {
        String rest = url.substring("jdbc:postgresql://".length());
        return rest.substring(0, rest.indexOf('/'));
    }

    private static String database(String url) {
        String rest = url.substring("jdbc:postgresql://".length());
        String db = rest.substring(rest.indexOf('/') + 1);
        int query = db.indexOf('?');
        return query < 0 ? db : db.substring(0, query);
    }
}
