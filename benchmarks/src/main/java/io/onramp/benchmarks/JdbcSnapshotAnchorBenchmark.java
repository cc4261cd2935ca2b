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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/**
 * Issue 8's anchor for the JDBC source: copy one PostgreSQL table of N rows (default 1,000,000) into a topic, in one
 * run:
 * <ol>
 *   <li><b>plain JDBC</b> (the ceiling): a streaming cursor (autocommit off, fetch size 10,000) reading every column
 *       of every row with {@code getObject}, no Kafka;</li>
 *   <li>then each named {@link #VARIANTS variant}, one after the other, in the same real Connect worker
 *       (EmbeddedConnectCluster, one broker, in this JVM): <b>Onramp</b>'s JDBC source, {@code mode=bulk}, from the
 *       packaged plugin directory, or <b>Debezium</b>'s PostgreSQL connector 3.6.1.Final,
 *       {@code snapshot.mode=initial_only} (its initial snapshot, then it stops), from its own plugin directory;
 *       each with worker defaults or with per-connector producer and converter overrides; or the <b>Connect
 *       floor</b> ({@code floor*} variants): {@link FloorSourceConnector}, which emits the records Onramp's copy
 *       emits with no database, so what it costs is the worker's, converter's, producer's and broker's alone: the
 *       ceiling of any source connector through this worker on this machine.</li>
 * </ol>
 * Every connector: one task, JsonConverter (with schemas unless the fourth argument is false, or the variant turns
 * them off); the time runs from creating the connector until the topic's end offset reaches N (so it includes the
 * task's start), read every 100 ms. Beside the wall-clock time each copy reports CPU seconds (so that a loaded
 * machine's figures can still be compared): this JVM's (worker, broker, GC, JIT), split by thread for the Connect
 * task thread, Debezium's own threads, the producer's network thread and the broker's request handlers, and then
 * every thread of the JVM by name (GC and JIT compiler threads from /proc: {@link CpuClock#byThread()}); and the
 * PostgreSQL server processes' (from /proc, where there is one). A variant named twice runs twice ("name-2"): the
 * first copy after the worker starts also pays the JIT compilation of the worker's code. Heap: the worker runs in this JVM beside the broker,
 * so the figures are this JVM's: the heap pools' peak use (garbage included, so it follows -Xmx more than the work)
 * and the most found in use right after a collection (sampled every 100 ms): an upper bound of what the worker and
 * the broker kept live. Each variant's topic is deleted after its copy; the replication slots and publications
 * Debezium creates are dropped at the end, with the table.
 *
 * <pre>
 * ./mvnw -q -pl integration-tests -am verify -DskipTests   # distribution/target/plugin, integration-tests/target/debezium-plugins
 * java -Xmx2g -cp "benchmarks/target/classes:benchmarks/target/lib/*" io.onramp.benchmarks.JdbcSnapshotAnchorBenchmark \
 *     1000000 distribution/target/plugin integration-tests/target/debezium-plugins [schemas.enable: true|false] \
 *     [variants, comma-separated; default onramp,onramp-tuned,debezium,debezium-tuned]
 * </pre>
 */
public final class JdbcSnapshotAnchorBenchmark {

    private static final String URL = System.getenv().getOrDefault("ONRAMP_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = System.getenv().getOrDefault("ONRAMP_DB_USER", "onramp");
    private static final String PASSWORD = System.getenv().getOrDefault("ONRAMP_DB_PASSWORD", "onramp");
    private static final long TIMEOUT_NANOS = 30L * 60 * 1_000_000_000L;
    private static final String DEFAULT_VARIANTS = "onramp,onramp-tuned,onramp-tuned-synchronous,debezium,debezium-tuned";
    /** Onramp's switch for mode bulk's read-ahead thread, read when a task starts (the worker runs in this JVM). */
    private static final String READ_AHEAD_PROPERTY = "onramp.jdbc.readAhead";

    /**
     * Producer settings a user sets per connector ({@code producer.override.*}): each produce request carries one
     * batch per partition and Connect's producer keeps one request in flight, so the default 16 KB batch caps a
     * request at a few dozen JSON records; bigger batches, a short linger to fill them, and compression (the same
     * schema in every record compresses well) cut the requests and the bytes the broker writes.
     */
    static final Map<String, String> TUNING = Map.of(
            "producer.override.batch.size", "524288",
            "producer.override.linger.ms", "20",
            "producer.override.compression.type", "lz4");

    /**
     * JsonConverter without schemas, per connector. The converter class must be named too: a connector config that sets
     * only {@code value.converter.schemas.enable} gets the worker's converter with the worker's settings (Connect logs
     * "using the worker config"), which is how these variants ran with schemas until 2 December 2026.
     */
    static final Map<String, String> NO_SCHEMAS = Map.of(
            "key.converter", "org.apache.kafka.connect.json.JsonConverter", "key.converter.schemas.enable", "false",
            "value.converter", "org.apache.kafka.connect.json.JsonConverter", "value.converter.schemas.enable", "false");

    /** {@link EnvelopeCachingJsonConverter} for keys and values, per connector (schemas enabled, its default). */
    static final Map<String, String> CACHED_ENVELOPE = Map.of(
            "key.converter", EnvelopeCachingJsonConverter.class.getName(),
            "value.converter", EnvelopeCachingJsonConverter.class.getName());

    /**
     * One copy to run: which connector, the per-connector settings added to its base config, and whether Onramp's
     * task reads its next batch ahead on a thread of its own (the default) or in the worker's poll.
     */
    record Variant(String name, Source source, Map<String, String> overrides, boolean readAhead) {
        boolean debezium() {
            return source == Source.DEBEZIUM;
        }
    }

    /** Which connector a variant copies with: the Connect floor reads no database ({@link FloorSourceConnector}). */
    enum Source {
        ONRAMP, DEBEZIUM, FLOOR
    }

    static final Map<String, Variant> VARIANTS = new LinkedHashMap<>();

    static {
        variant("onramp", Source.ONRAMP, Map.of());
        variant("onramp-tuned", Source.ONRAMP, TUNING);
        VARIANTS.put("onramp-tuned-synchronous", new Variant("onramp-tuned-synchronous", Source.ONRAMP, TUNING, false));
        VARIANTS.put("onramp-synchronous", new Variant("onramp-synchronous", Source.ONRAMP, Map.of(), false));
        variant("debezium", Source.DEBEZIUM, Map.of());
        variant("debezium-tuned", Source.DEBEZIUM, TUNING);
        // one lever at a time, to see what each brings
        variant("onramp-batch", Source.ONRAMP, Map.of("producer.override.batch.size", "524288", "producer.override.linger.ms", "20"));
        variant("onramp-batch1m", Source.ONRAMP, Map.of("producer.override.batch.size", "1048576", "producer.override.linger.ms", "20"));
        variant("onramp-lz4", Source.ONRAMP, Map.of("producer.override.compression.type", "lz4"));
        variant("onramp-zstd", Source.ONRAMP, with(TUNING, "producer.override.compression.type", "zstd"));
        variant("onramp-acks1", Source.ONRAMP, with(TUNING, "producer.override.acks", "1"));
        variant("onramp-noschemas", Source.ONRAMP, NO_SCHEMAS);
        variant("onramp-tuned-noschemas", Source.ONRAMP, with(TUNING, NO_SCHEMAS));
        variant("debezium-tuned-noschemas", Source.DEBEZIUM, with(TUNING, NO_SCHEMAS));
        variant("onramp-tuned-rows10k", Source.ONRAMP, with(TUNING, "batch.max.rows", "10000"));
        // the Connect floor: the same records from no database, through the same worker, converter and producer
        variant("floor", Source.FLOOR, Map.of());
        variant("floor-tuned", Source.FLOOR, TUNING);
        variant("floor-tuned-nokey", Source.FLOOR, with(TUNING, FloorSourceConnector.KEY, "false"));
        // no converter work: the rows as JSON text, ByteArrayConverter (the worker's, producer's and broker's cost alone)
        variant("floor-tuned-bytes", Source.FLOOR, with(with(with(TUNING, FloorSourceConnector.FORMAT, "json-bytes"),
                "key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter"),
                "value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter"));
        variant("floor-tuned-noschemas", Source.FLOOR, with(TUNING, NO_SCHEMAS));
        // a converter change (what-if, reported apart): JsonConverter's bytes with the schema part written once per schema
        variant("floor-tuned-cached", Source.FLOOR, with(TUNING, CACHED_ENVELOPE));
        variant("onramp-tuned-cached", Source.ONRAMP, with(TUNING, CACHED_ENVELOPE));
    }

    private static void variant(String name, Source source, Map<String, String> overrides) {
        VARIANTS.put(name, new Variant(name, source, overrides, true));
    }

    private static Map<String, String> with(Map<String, String> base, Map<String, String> more) {
        var map = new LinkedHashMap<>(base);
        map.putAll(more);
        return map;
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        var map = new LinkedHashMap<>(base);
        map.put(key, value);
        return map;
    }

    private JdbcSnapshotAnchorBenchmark() {
    }

    /**
     * @param peakHeapBytes the heap pools' peak use, garbage included
     * @param liveHeapBytes the most heap found in use right after a collection, sampled every 100 ms
     * @param cpu           CPU seconds spent during the copy, by where
     */
    record Copy(double seconds, long rows, long peakHeapBytes, long liveHeapBytes, Map<String, Double> cpu,
            Map<String, Double> threads) {
        double rowsPerSecond() {
            return rows / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path onrampPlugins = Paths.get(args.length > 1 ? args[1] : "distribution/target/plugin").toAbsolutePath();
        Path debeziumPlugins = Paths.get(args.length > 2 ? args[2] : "integration-tests/target/debezium-plugins").toAbsolutePath();
        // JsonConverter's schemas.enable for keys and values, the worker's default for every variant
        String schemas = args.length > 3 ? args[3] : "true";
        List<Variant> variants = new ArrayList<>();
        for (String name : (args.length > 4 ? args[4] : DEFAULT_VARIANTS).split(",")) {
            Variant variant = VARIANTS.get(name.trim());
            if (variant == null) {
                throw new IllegalArgumentException("no variant '" + name + "'; known: " + VARIANTS.keySet());
            }
            variants.add(variant);
        }
        String suffix = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        String table = "bench_snapshot_" + suffix;
        List<String> slots = new ArrayList<>();
        List<String> publications = new ArrayList<>();

        System.out.printf(Locale.ROOT, "JDBC source anchor: %,d rows of public.%s (%s), JsonConverter schemas.enable=%s, %d cores,"
                + " load average %.1f%n", rows, table, URL, schemas, Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("tuning: " + new TreeMap<>(TUNING));
        try {
            createTable(table, rows);
            Copy plain = plainRead(table, rows);
            report("plain JDBC streaming read (ceiling)", plain);

            Map<String, String> worker = new HashMap<>();
            worker.put("plugin.path", onrampPlugins + "," + debeziumPlugins);
            worker.put("plugin.discovery", "hybrid_warn");
            worker.put("offset.flush.interval.ms", "1000");
            worker.put("connector.client.config.override.policy", "All");
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
            List<Run> copies = new ArrayList<>();
            Map<String, Integer> repeats = new HashMap<>();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafka().bootstrapServers()))) {
                for (Variant variant : variants) {
                    // a variant named again runs again (same worker, later, warmer JIT): "name-2", "name-3"
                    int repeat = repeats.merge(variant.name(), 1, Integer::sum);
                    String label = repeat == 1 ? variant.name() : variant.name() + "-" + repeat;
                    String id = label.replaceAll("[^a-z0-9]", "_") + "_" + suffix;
                    Map<String, String> config;
                    String topic;
                    if (variant.debezium()) {
                        slots.add("bench_slot_" + id);
                        publications.add("bench_pub_" + id);
                        config = debezium(table, "dbz_" + id, "bench_slot_" + id, "bench_pub_" + id);
                        topic = "dbz_" + id + ".public." + table;
                    } else if (variant.source() == Source.FLOOR) {
                        topic = "floor_" + id;
                        config = floor(table, topic, rows);
                    } else {
                        config = onramp(table, "onramp_" + id + ".");
                        topic = "onramp_" + id + "." + table;
                    }
                    config.putAll(variant.overrides());
                    System.setProperty(READ_AHEAD_PROPERTY, Boolean.toString(variant.readAhead()));
                    Copy copy = copy(cluster, admin, label, config, topic, rows);
                    report(label + (variant.overrides().isEmpty() ? "" : " " + new TreeMap<>(variant.overrides()))
                            + (variant.readAhead() ? "" : " (-D" + READ_AHEAD_PROPERTY + "=false)"), copy);
                    copies.add(new Run(label, variant, copy));
                    cluster.deleteConnector(label);
                    admin.deleteTopics(List.of(topic)).all().get(); // the broker's disk: ~0.7 GB per copy with schemas
                }
            } finally {
                cluster.stop();
            }
            summary(plain, copies);
        } finally {
            cleanUp(table, slots, publications);
        }
    }

    private static Map<String, String> onramp(String table, String topicPrefix) {
        Map<String, String> onramp = new LinkedHashMap<>();
        onramp.put("connector.class", "io.onramp.connect.source.jdbc.JdbcSourceConnector");
        onramp.put("tasks.max", "1");
        onramp.put("connection.url", URL);
        onramp.put("connection.user", USER);
        onramp.put("connection.password", PASSWORD);
        onramp.put("mode", "bulk");
        onramp.put("table.include.list", table);
        onramp.put("topic.prefix", topicPrefix);
        onramp.put("poll.interval.ms", "3600000"); // one pass
        onramp.put("batch.max.rows", "5000");
        onramp.put("topic.creation.default.replication.factor", "1");
        onramp.put("topic.creation.default.partitions", "1");
        return onramp;
    }

    private static Map<String, String> floor(String table, String topic, int rows) {
        Map<String, String> floor = new LinkedHashMap<>();
        floor.put("connector.class", FloorSourceConnector.class.getName());
        floor.put("tasks.max", "1");
        floor.put(FloorSourceConnector.TOPIC, topic);
        floor.put(FloorSourceConnector.ROWS, Integer.toString(rows));
        floor.put(FloorSourceConnector.BATCH, "5000"); // Onramp's batch.max.rows above
        floor.put(FloorSourceConnector.TABLE, "public." + table);
        floor.put("topic.creation.default.replication.factor", "1");
        floor.put("topic.creation.default.partitions", "1");
        return floor;
    }

    private static Map<String, String> debezium(String table, String topicPrefix, String slot, String publication) {
        Map<String, String> debezium = new LinkedHashMap<>();
        debezium.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        debezium.put("tasks.max", "1");
        debezium.put("database.hostname", host(URL));
        debezium.put("database.port", Integer.toString(port(URL)));
        debezium.put("database.user", USER);
        debezium.put("database.password", PASSWORD);
        debezium.put("database.dbname", database(URL));
        debezium.put("topic.prefix", topicPrefix);
        debezium.put("plugin.name", "pgoutput");
        debezium.put("slot.name", slot);
        debezium.put("publication.name", publication);
        debezium.put("publication.autocreate.mode", "filtered");
        debezium.put("table.include.list", "public." + table);
        debezium.put("snapshot.mode", "initial_only");
        debezium.put("topic.creation.default.replication.factor", "1");
        debezium.put("topic.creation.default.partitions", "1");
        return debezium;
    }

    /** One copy of the run: its label (the variant's name, "-2" on for a repeat), its variant, what it measured. */
    record Run(String label, Variant variant, Copy copy) {
    }

    /** Each copy's ratio to the plain read and to the Debezium copy with the same overrides (or the default one). */
    private static void summary(Copy plain, List<Run> copies) {
        System.out.println();
        System.out.printf(Locale.ROOT, "%-26s %9s %12s %9s %12s %10s %10s %10s %10s%n", "variant", "seconds", "rows/s", "/ plain",
                "/ Debezium", "peak MB", "live MB", "JVM CPU s", "conn. CPU s");
        for (Run run : copies) {
            Variant variant = run.variant();
            Copy copy = run.copy();
            Copy anchor = variant.debezium() ? null : debeziumLike(variant, copies);
            System.out.printf(Locale.ROOT, "%-26s %9.1f %,12.0f %8.2fx %12s %,10d %,10d %10.1f %10.1f%n", run.label(), copy.seconds(),
                    copy.rowsPerSecond(), plain.seconds() / copy.seconds(),
                    anchor == null ? "" : String.format(Locale.ROOT, "%.2fx", anchor.seconds() / copy.seconds()),
                    copy.peakHeapBytes() / (1024 * 1024), copy.liveHeapBytes() / (1024 * 1024), copy.cpu().get("JVM"),
                    copy.cpu().get("task thread") + (variant.debezium() ? copy.cpu().get("Debezium threads")
                            : copy.cpu().get("Onramp poll worker") + copy.cpu().get("Onramp read-ahead")));
        }
    }

    /** The first Debezium copy with the same overrides as {@code onramp}, else the first default one, else null. */
    private static Copy debeziumLike(Variant onramp, List<Run> copies) {
        for (Run run : copies) {
            if (run.variant().debezium() && run.variant().overrides().equals(onramp.overrides())) {
                return run.copy();
            }
        }
        for (Run run : copies) {
            if (run.variant().name().equals("debezium")) {
                return run.copy();
            }
        }
        return null;
    }

    private static void report(String what, Copy copy) {
        System.out.printf(Locale.ROOT, "%-48s %7.1f s  %,10.0f rows/s  %,d rows  peak heap %,d MB, live after GC %,d MB%n",
                what, copy.seconds(), copy.rowsPerSecond(), copy.rows(), copy.peakHeapBytes() / (1024 * 1024),
                copy.liveHeapBytes() / (1024 * 1024));
        if (!copy.cpu().isEmpty()) {
            var parts = new StringBuilder("    CPU s:");
            copy.cpu().forEach((where, seconds) -> parts.append(String.format(Locale.ROOT, " %s %.1f,", where, seconds)));
            parts.setLength(parts.length() - 1);
            System.out.printf(Locale.ROOT, "%s; load average %.1f%n", parts, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            var threads = new StringBuilder("    CPU s by thread:");
            copy.threads().forEach((where, seconds) -> threads.append(String.format(Locale.ROOT, " %s %.2f;", where, seconds)));
            System.out.println(threads);
        }
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
        return new Copy(seconds, count, peakHeap(), liveHeap(), Map.of(), Map.of());
    }

    /** Creates the connector and waits until its topic holds {@code rows} records. */
    private static Copy copy(EmbeddedConnectCluster cluster, Admin admin, String name, Map<String, String> config, String topic,
            int rows) throws Exception {
        System.gc();
        resetPeaks();
        CpuClock cpu = CpuClock.start();
        long start = System.nanoTime();
        cluster.configureConnector(name, config);
        long end = 0;
        long live = 0;
        while (System.nanoTime() - start < TIMEOUT_NANOS) {
            end = endOffset(admin, topic);
            live = Math.max(live, liveHeap());
            if (end >= rows) {
                double seconds = (System.nanoTime() - start) / 1e9;
                return new Copy(seconds, end, peakHeap(), live, cpu.stop(), cpu.byThread());
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

    /** Drops the table, the publications and the slots (once the stopped worker has let go of them, within 60 s each). */
    private static void cleanUp(String table, List<String> slots, List<String> publications) throws Exception {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
            for (String publication : publications) {
                s.execute("DROP PUBLICATION IF EXISTS " + publication);
            }
            for (String slot : slots) {
                dropSlot(s, slot);
            }
        }
    }

    private static void dropSlot(Statement s, String slot) throws Exception {
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
