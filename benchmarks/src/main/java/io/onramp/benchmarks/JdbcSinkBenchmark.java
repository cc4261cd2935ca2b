package io.onramp.benchmarks;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/**
 * JDBC sink throughput, upserting N records (N/2 keys, each written twice: an insert, then an update) into
 * PostgreSQL, three ways in one run:
 * <ol>
 *   <li><b>ceiling</b>: the same upserts through the driver alone (INSERT ... ON CONFLICT DO UPDATE, JDBC batches of
 *       3000, a commit per batch), no Kafka;</li>
 *   <li><b>Onramp</b>'s JDBC sink, from the packaged plugin, in a real Connect worker (EmbeddedConnectCluster);</li>
 *   <li><b>Debezium</b>'s JDBC sink (3.6.0.Final) in the same worker, reading the same topic.</li>
 * </ol>
 * Both sinks get the same converter (JsonConverter with schemas), one task, consumer batches of 3000 records and
 * JDBC batches of 3000 rows. A sink's time runs from creating the connector until the last record's row is in the
 * table (so it includes the task's start, ~1-3 s); the "steady" time runs from its first row to its last.
 *
 * <pre>
 * java -cp "benchmarks/target/classes:benchmarks/target/lib/*" io.onramp.benchmarks.JdbcSinkBenchmark \
 *     1000000 distribution/target/plugin \
 *     benchmarks/anchors/debezium-jdbc-sink/target/plugin jdbc:postgresql://127.0.0.1:5432/test onramp onramp
 * </pre>
 */
public final class JdbcSinkBenchmark {

    private static final int BATCH = 3000;
    private static final long TIMEOUT_MS = 60 * 60 * 1000L;

    private JdbcSinkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int records = Integer.parseInt(args[0]);
        // distribution's plugin directory: the same files as the component ZIP (PluginPackagingTest checks it)
        Path onrampPlugins = Paths.get(args[1]).toAbsolutePath();
        Path debeziumPlugins = Paths.get(args[2]).toAbsolutePath();
        String url = args[3];
        String user = args.length > 4 ? args[4] : "onramp";
        String password = args.length > 5 ? args[5] : "onramp";
        int keys = records / 2;

        String suffix = Long.toString(System.nanoTime() % 1_000_000, 36);
        String plainTable = "bench_plain_" + suffix;
        String onrampTable = "bench_onramp_" + suffix;
        String debeziumTable = "bench_debezium_" + suffix;

        System.out.printf(Locale.ROOT, "JDBC sink benchmark: %,d records (%,d keys, each inserted then updated) into %s%n",
                records, keys, url);

        // 1. the ceiling: plain JDBC batched upserts, no Kafka
        Result ceiling;
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            execute(c, "CREATE TABLE " + plainTable + " (id bigint PRIMARY KEY, name text, qty integer, price numeric(12, 2), "
                    + "updated timestamp(6))");
            ceiling = plainUpserts(c, plainTable, records, keys);
        }
        report("plain JDBC upsert (ceiling)", ceiling, records);

        Map<String, String> worker = new HashMap<>();
        worker.put("plugin.path", onrampPlugins + "," + debeziumPlugins);
        worker.put("plugin.discovery", "hybrid_warn");
        worker.put("offset.flush.interval.ms", "1000");
        worker.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        worker.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        worker.put("key.converter.schemas.enable", "true");
        worker.put("value.converter.schemas.enable", "true");
        var brokers = new Properties();
        brokers.put("auto.create.topics.enable", "false");
        brokers.put("log.retention.bytes", "-1");
        EmbeddedConnectCluster cluster = new EmbeddedConnectCluster.Builder().name("jdbc-sink-bench").numWorkers(1)
                .numBrokers(1).workerProps(worker).brokerProps(brokers).build();
        cluster.start();
        try {
            String topic = "bench.orders.v1";
            cluster.kafka().createTopic(topic, 1);
            long produceStart = System.nanoTime();
            produce(cluster, topic, records, keys);
            System.out.printf(Locale.ROOT, "produced %,d records in %.1f s%n", records, seconds(System.nanoTime() - produceStart));

            Map<String, String> onramp = new LinkedHashMap<>();
            onramp.put("connector.class", "io.onramp.connect.sink.jdbc.JdbcSinkConnector");
            onramp.put("tasks.max", "1");
            onramp.put("topics", topic);
            onramp.put("connection.url", url);
            onramp.put("connection.user", user);
            onramp.put("connection.password", password);
            onramp.put("insert.mode", "upsert");
            onramp.put("primary.key.mode", "record_key");
            onramp.put("table.name.format", onrampTable);
            onramp.put("auto.create", "true");
            onramp.put("batch.size", Integer.toString(BATCH));
            onramp.put("consumer.override.max.poll.records", Integer.toString(BATCH));
            Result onrampResult = runSink(cluster, "onramp-sink", onramp, url, user, password, onrampTable, keys);
            report("Onramp JdbcSinkConnector", onrampResult, records);

            Map<String, String> debezium = new LinkedHashMap<>();
            debezium.put("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector");
            debezium.put("tasks.max", "1");
            debezium.put("topics", topic);
            debezium.put("connection.url", url);
            debezium.put("connection.username", user);
            debezium.put("connection.password", password);
            debezium.put("insert.mode", "upsert");
            debezium.put("primary.key.mode", "record_key");
            debezium.put("schema.evolution", "basic");
            debezium.put("table.name.format", debeziumTable);
            debezium.put("batch.size", Integer.toString(BATCH));
            debezium.put("consumer.override.max.poll.records", Integer.toString(BATCH));
            Result debeziumResult = runSink(cluster, "debezium-sink", debezium, url, user, password, debeziumTable, keys);
            report("Debezium JdbcSinkConnector 3.6.0.Final", debeziumResult, records);

            System.out.println();
            System.out.printf(Locale.ROOT, "Onramp / Debezium: %.2fx (total), %.2fx (steady)%n",
                    debeziumResult.totalSeconds() / onrampResult.totalSeconds(),
                    debeziumResult.steadySeconds() / onrampResult.steadySeconds());
            System.out.printf(Locale.ROOT, "Onramp / ceiling:  %.2fx (total), %.2fx (steady)%n",
                    ceiling.totalSeconds() / onrampResult.totalSeconds(), ceiling.totalSeconds() / onrampResult.steadySeconds());
            System.out.printf(Locale.ROOT, "Debezium / ceiling: %.2fx (total), %.2fx (steady)%n",
                    ceiling.totalSeconds() / debeziumResult.totalSeconds(), ceiling.totalSeconds() / debeziumResult.steadySeconds());
        } finally {
            cluster.stop();
            try (Connection c = DriverManager.getConnection(url, user, password)) {
                for (String table : new String[] {plainTable, onrampTable, debeziumTable}) {
                    execute(c, "DROP TABLE IF EXISTS " + table);
                }
            }
        }
    }

    record Result(double totalSeconds, double steadySeconds, long rows) {
    }

    private static void report(String what, Result r, int records) {
        System.out.printf(Locale.ROOT, "%-40s %8.1f s  %,10.0f records/s   (steady %6.1f s, %,10.0f records/s), %,d rows%n",
                what, r.totalSeconds(), records / r.totalSeconds(), r.steadySeconds(), records / r.steadySeconds(), r.rows());
    }

    /** Record i: key i % keys + 1; the first half inserts (qty 1), the second updates (qty 2). */
    private static Result plainUpserts(Connection c, String table, int records, int keys) throws SQLException {
        c.setAutoCommit(false);
        long start = System.nanoTime();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (id, name, qty, price, updated) VALUES "
                + "(?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, qty = EXCLUDED.qty, "
                + "price = EXCLUDED.price, updated = EXCLUDED.updated")) {
            for (int i = 0; i < records; i++) {
                long id = i % keys + 1;
                int qty = i < keys ? 1 : 2;
                ps.setLong(1, id);
                ps.setString(2, name(id));
                ps.setInt(3, qty);
                ps.setBigDecimal(4, price(id, qty));
                ps.setObject(5, new Timestamp(updated(i)).toLocalDateTime());
                ps.addBatch();
                if ((i + 1) % BATCH == 0) {
                    ps.executeBatch();
                    c.commit();
                }
            }
            ps.executeBatch();
            c.commit();
        }
        double total = seconds(System.nanoTime() - start);
        c.setAutoCommit(true);
        return new Result(total, total, count(c, table));
    }

    private static String name(long id) {
        return "customer " + id;
    }

    private static BigDecimal price(long id, int qty) {
        return BigDecimal.valueOf(id * 7 % 100_000 + qty, 2);
    }

    private static long updated(int i) {
        return 1_700_000_000_000L + i;
    }

    private static void produce(EmbeddedConnectCluster cluster, String topic, int records, int keys) throws Exception {
        String keySchema = "{\"type\":\"struct\",\"name\":\"bench.Key\",\"optional\":false,\"fields\":["
                + "{\"field\":\"id\",\"type\":\"int64\",\"optional\":false}]}";
        String valueSchema = "{\"type\":\"struct\",\"name\":\"bench.Order\",\"optional\":false,\"fields\":["
                + "{\"field\":\"id\",\"type\":\"int64\",\"optional\":false},"
                + "{\"field\":\"name\",\"type\":\"string\",\"optional\":true},"
                + "{\"field\":\"qty\",\"type\":\"int32\",\"optional\":true},"
                + "{\"field\":\"price\",\"type\":\"bytes\",\"optional\":true,\"name\":\"org.apache.kafka.connect.data.Decimal\","
                + "\"parameters\":{\"scale\":\"2\"}},"
                + "{\"field\":\"updated\",\"type\":\"int64\",\"optional\":true,\"name\":\"org.apache.kafka.connect.data.Timestamp\"}]}";
        Map<String, Object> props = new HashMap<>();
        props.put("linger.ms", "50");
        props.put("batch.size", Integer.toString(512 * 1024));
        props.put("compression.type", "lz4");
        try (KafkaProducer<byte[], byte[]> producer = cluster.kafka().createProducer(props)) {
            for (int i = 0; i < records; i++) {
                long id = i % keys + 1;
                int qty = i < keys ? 1 : 2;
                String key = "{\"schema\":" + keySchema + ",\"payload\":{\"id\":" + id + "}}";
                String price = java.util.Base64.getEncoder().encodeToString(price(id, qty).unscaledValue().toByteArray());
                String value = "{\"schema\":" + valueSchema + ",\"payload\":{\"id\":" + id + ",\"name\":\"" + name(id)
                        + "\",\"qty\":" + qty + ",\"price\":\"" + price + "\",\"updated\":" + updated(i) + "}}";
                producer.send(new ProducerRecord<>(topic, 0, key.getBytes(StandardCharsets.UTF_8),
                        value.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    /** Creates the connector, waits for its first row and for the last record's row (key {@code keys}, qty 2). */
    private static Result runSink(EmbeddedConnectCluster cluster, String name, Map<String, String> config, String url,
            String user, String password, String table, int keys) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            long start = System.nanoTime();
            cluster.configureConnector(name, config);
            long first = -1;
            long deadline = start + TIMEOUT_MS * 1_000_000L;
            while (System.nanoTime() < deadline) {
                if (first < 0 && exists(c, table) && count(c, table) > 0) {
                    first = System.nanoTime();
                }
                if (first >= 0 && lastRowArrived(c, table, keys)) {
                    long end = System.nanoTime();
                    cluster.deleteConnector(name);
                    return new Result(seconds(end - start), seconds(end - first), count(c, table));
                }
                failIfFailed(cluster, name);
                Thread.sleep(100);
            }
            throw new IllegalStateException(name + " did not finish within " + TIMEOUT_MS + " ms");
        }
    }

    private static void failIfFailed(EmbeddedConnectCluster cluster, String name) {
        org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo status;
        try {
            status = cluster.connectorStatus(name);
        } catch (RuntimeException e) {
            return; // no status yet, right after creation
        }
        if (status.tasks().stream().anyMatch(t -> "FAILED".equals(t.state()))) {
            throw new IllegalStateException(name + " failed: " + status.tasks().get(0).trace());
        }
    }

    private static boolean lastRowArrived(Connection c, String table, int keys) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT qty FROM " + table + " WHERE id = " + keys)) {
            return rs.next() && rs.getInt(1) == 2;
        }
    }

    private static boolean exists(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
