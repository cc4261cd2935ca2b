package io.onramp.benchmarks;

import io.onramp.connect.source.jdbc.JdbcSourceTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The JDBC source's {@code bulk} mode beside its ceiling, on one PostgreSQL table of 1,000,000 rows (id, text,
 * numeric(12,2), timestamp, boolean), in the same run:
 * <ul>
 *   <li><b>plain JDBC</b> (the ceiling): a streaming cursor (autocommit off, fetch size 10,000) reading every column
 *       of every row with {@code getObject}, no Kafka;</li>
 *   <li><b>Onramp bulk</b>: {@code JdbcSourceTask} driven outside a worker (as {@link SnapshotSourceBenchmark} does),
 *       polled until it has returned every row as a SourceRecord with a Connect Struct value; no Kafka either, so
 *       this is the connector's own cost, not a worker's producer.</li>
 *   <li><b>Onramp bulk-diff</b>: after 1% of the rows were updated (every 100th id), one run of {@code mode=bulk-diff}:
 *       the whole table read, sorted into the archive and diffed against the previous run, the 10,000 change events
 *       built and acknowledged, the new state archived. The archive is set up by one untimed first run.</li>
 * </ul>
 * Each is run {@code rounds} times alternately; the best round is reported, as rows/s and as a ratio to the ceiling.
 *
 * <p>Run from the repository root (the databases of {@code scripts/db-services.sh} must run):
 * <pre>
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -cp "benchmarks/target/classes:benchmarks/target/lib/*" io.onramp.benchmarks.JdbcSourceBenchmark [rows] [rounds]
 * </pre>
 */
public final class JdbcSourceBenchmark {

    private static final String URL = System.getenv().getOrDefault("ONRAMP_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = System.getenv().getOrDefault("ONRAMP_DB_USER", "onramp");
    private static final String PASSWORD = System.getenv().getOrDefault("ONRAMP_DB_PASSWORD", "onramp");
    private static final String TABLE = "onramp_bench_jdbc_source";

    private JdbcSourceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        prepare(rows);
        Path archive = Files.createTempDirectory("onramp-bench-bulk-diff");
        long firstRun = onrampBulkDiff(rows, archive, -1); // the archive every timed run diffs against
        System.out.printf("bulk-diff first run (every row a read, untimed for the ratio): %.2f s%n", firstRun / 1e9);
        long bestPlain = Long.MAX_VALUE;
        long bestOnramp = Long.MAX_VALUE;
        long bestDiff = Long.MAX_VALUE;
        for (int round = 1; round <= rounds; round++) {
            long cpu0 = processCpuNanos();
            long plain = plainRead(rows);
            long cpu1 = processCpuNanos();
            long onramp = onrampBulk(rows);
            long cpu2 = processCpuNanos();
            changeOnePercent(round);
            long diff = onrampBulkDiff(rows, archive, rows / 100);
            // this JVM's CPU (all threads: the driver, Onramp's read-ahead and poll threads, GC, JIT), not PostgreSQL's
            System.out.printf("round %d: plain JDBC %.2f s (JVM CPU %.2f s), Onramp bulk %.2f s (JVM CPU %.2f s), Onramp bulk-diff"
                    + " (1%% changed) %.2f s%n", round, plain / 1e9, (cpu1 - cpu0) / 1e9, onramp / 1e9, (cpu2 - cpu1) / 1e9, diff / 1e9);
            bestPlain = Math.min(bestPlain, plain);
            bestOnramp = Math.min(bestOnramp, onramp);
            bestDiff = Math.min(bestDiff, diff);
        }
        System.out.printf("%d rows, best of %d: plain JDBC streaming read %.0f rows/s (%.2f s); Onramp bulk task %.0f rows/s "
                + "(%.2f s); Onramp / plain = %.2fx; Onramp bulk-diff after 1%% changed %.0f rows/s (%.2f s); "
                + "bulk-diff / plain = %.2fx%n", rows, rounds, rows / (bestPlain / 1e9), bestPlain / 1e9,
                rows / (bestOnramp / 1e9), bestOnramp / 1e9, (double) bestPlain / bestOnramp,
                rows / (bestDiff / 1e9), bestDiff / 1e9, (double) bestPlain / bestDiff);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Updates every 100th row (1% of the table), to a value it has not had before. */
    private static void changeOnePercent(int round) throws Exception {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("UPDATE " + TABLE + " SET name = 'customer ' || id || ' v" + round + "' WHERE id % 100 = 0");
        }
    }

    /**
     * One run of mode bulk-diff on a task started for it: polled, every record acknowledged as Kafka would, until the
     * run's {@code changes} events came and the run was archived.
     *
     * @param changes the events the run must emit, or -1 for the first run (every row a read)
     */
    private static long onrampBulkDiff(int rows, Path archive, int changes) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "bench-bulk-diff");
        props.put("connection.url", URL);
        props.put("connection.user", USER);
        props.put("connection.password", PASSWORD);
        props.put("mode", "bulk-diff");
        props.put("topic.prefix", "bench.");
        props.put("batch.max.rows", "10000");
        props.put("poll.interval.ms", "3600000");
        props.put("snapshot.archive.path", archive.toString());
        props.put("onramp.task.tables", "T\tpublic." + TABLE + "\n");
        var task = new JdbcSourceTask();
        task.initialize(new FreshTaskContext(props));
        long start = System.nanoTime();
        task.start(props);
        long expected = changes < 0 ? rows : changes;
        long count = 0;
        try {
            int idle = 0;
            while (count < expected || idle < 1) { // after the last event one more poll archives the run
                List<SourceRecord> batch;
                try {
                    batch = task.poll();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                if (batch == null) {
                    idle = count >= expected ? idle + 1 : 0;
                    continue;
                }
                count += batch.size();
                for (SourceRecord record : batch) {
                    task.commitRecord(record, null);
                }
            }
        } finally {
            task.stop();
        }
        long elapsed = System.nanoTime() - start;
        if (count != expected) {
            throw new IllegalStateException("bulk-diff emitted " + count + " events, expected " + expected);
        }
        return elapsed;
    }

    private static void prepare(int rows) throws Exception {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id BIGINT PRIMARY KEY, name TEXT NOT NULL, "
                    + "amount NUMERIC(12,2) NOT NULL, created TIMESTAMP(3) NOT NULL, flag BOOLEAN)");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + TABLE)) {
                rs.next();
                if (rs.getLong(1) == rows) {
                    return;
                }
            }
            s.execute("TRUNCATE " + TABLE);
            s.execute("INSERT INTO " + TABLE + " SELECT g, 'customer ' || g, (g % 100000) / 100.0, "
                    + "TIMESTAMP '2024-01-01' + g * INTERVAL '1 second', g % 3 = 0 FROM generate_series(1, " + rows + ") g");
            s.execute("ANALYZE " + TABLE);
        }
    }

    private static long plainRead(int rows) throws Exception {
        long start = System.nanoTime();
        long count = 0;
        long checksum = 0;
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.setFetchSize(10_000);
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + TABLE)) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            Object value = rs.getObject(i);
                            checksum += value == null ? 0 : 1;
                        }
                        count++;
                    }
                }
            }
            c.commit();
        }
        if (count != rows || checksum == 0) {
            throw new IllegalStateException("plain read saw " + count + " rows");
        }
        return System.nanoTime() - start;
    }

    private static long onrampBulk(int rows) {
        Map<String, String> props = new HashMap<>();
        props.put("connection.url", URL);
        props.put("connection.user", USER);
        props.put("connection.password", PASSWORD);
        props.put("mode", "bulk");
        props.put("topic.prefix", "bench.");
        props.put("batch.max.rows", "10000");
        props.put("poll.interval.ms", "3600000");
        props.put("onramp.task.tables", "T\tpublic." + TABLE + "\n");
        var task = new JdbcSourceTask();
        task.initialize(new FreshTaskContext(props));
        long start = System.nanoTime();
        task.start(props);
        long count = 0;
        try {
            while (count < rows) {
                List<SourceRecord> batch;
                try {
                    batch = task.poll();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                if (batch != null) {
                    count += batch.size();
                }
            }
        } finally {
            task.stop();
        }
        return System.nanoTime() - start;
    }
}
