package io.onramp.connect.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 8 §3: 8 writer threads insert 20,000 rows, each taking its id from a sequence BEFORE its transaction's first
 * write and committing after random delays, so transactions commit out of id and timestamp order all the time.
 * Three connectors (incrementing, timestamp, timestamp+incrementing) read the same table meanwhile, on a worker with
 * exactly-once source support. Every mode must deliver every row (0 missing) and none twice (0 duplicated).
 */
class JdbcSourceConcurrencyTest {

    private static final int WRITERS = 8;
    private static final int ROWS = 20_000;
    private static final List<String> MODES = List.of("incrementing", "timestamp", "timestamp+incrementing");

    private static OnrampConnect connect;

    @BeforeAll
    static void startConnect() {
        connect = OnrampConnect.start("jdbc-concurrency", true);
    }

    @AfterAll
    static void stopConnect() {
        connect.close();
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void eightWritersCommittingOutOfOrderLoseAndDuplicateNothingInAnyMode(TestDatabases db) throws Exception {
        boolean pg = db == TestDatabases.POSTGRES;
        String name = TestDatabases.uniqueName("concurrency");
        String sequence = name + "_seq";
        db.execute("DROP SEQUENCE IF EXISTS " + db.quote(sequence), "CREATE SEQUENCE " + db.quote(sequence));
        try (var table = db.createNamedTable(name, "id BIGINT NOT NULL PRIMARY KEY, ts " + (pg ? "TIMESTAMP(6)" : "DATETIME(6)")
                + " NOT NULL, writer INT NOT NULL")) {
            Map<String, String> topics = new LinkedHashMap<>();
            for (String mode : MODES) {
                String connector = name + "-" + mode.replace('+', '-');
                String prefix = connector + ".";
                topics.put(mode, prefix + name);
                connect.create(connector, config(db, mode, name, prefix));
                connect.awaitRunning(connector, 1);
            }

            long writeStart = System.nanoTime();
            write(db, table, sequence);
            long writeMs = (System.nanoTime() - writeStart) / 1_000_000;

            for (String mode : MODES) {
                try (var ids = new TopicIds(connect, topics.get(mode), "id")) {
                    int distinct = ids.readUntilDistinct(ROWS, Duration.ofSeconds(120));
                    ids.readToEnd(Duration.ofSeconds(30));
                    System.out.printf("CONCURRENCY %s %s: written %d in %d ms by %d writers, delivered %d distinct, missing %d, "
                            + "duplicated %d%n", db, mode, ROWS, writeMs, WRITERS, distinct, ROWS - distinct, ids.duplicates());
                    assertThat(ROWS - distinct).as("%s %s: rows missing", db, mode).isZero();
                    assertThat(ids.duplicates()).as("%s %s: rows duplicated", db, mode).isZero();
                }
            }
            for (String mode : MODES) {
                connect.delete(name + "-" + mode.replace('+', '-'));
            }
        } finally {
            db.execute("DROP SEQUENCE IF EXISTS " + db.quote(sequence));
        }
    }

    private static Map<String, String> config(TestDatabases db, String mode, String table, String prefix) {
        Map<String, String> config = new HashMap<>(db.connectionProps());
        config.put("connector.class", "io.onramp.connect.source.jdbc.JdbcSourceConnector");
        config.put("tasks.max", "1");
        config.put("mode", mode);
        config.put("table.include.list", table);
        config.put("topic.prefix", prefix);
        config.put("poll.interval.ms", "100");
        config.put("batch.max.rows", "500");
        if (mode.contains("incrementing")) {
            config.put("incrementing.column.name", "id");
            config.put("exactly.once.support", "required");
            config.put("incrementing.gap.timeout.ms", "300000");
        }
        if (mode.contains("timestamp")) {
            config.put("timestamp.column.name", "ts");
            // MariaDB has no transaction horizon: a row is read once its timestamp is older than this
            config.put("timestamp.delay.interval.ms", "5000");
        }
        config.put("topic.creation.default.replication.factor", "1");
        config.put("topic.creation.default.partitions", "1");
        return config;
    }

    /**
     * 8 threads, 2,500 rows each, in transactions of 1 to 8 rows: the ids from the sequence, a pause, the inserts, a
     * pause, the commit.
     */
    private static void write(TestDatabases db, TestDatabases.Table table, String sequence) throws Exception {
        boolean pg = db == TestDatabases.POSTGRES;
        // n ids in one statement, each taken from the sequence before the transaction writes anything
        String next = pg ? "SELECT nextval('" + sequence.replace("'", "''") + "') FROM generate_series(1, ?)"
                : "SELECT NEXTVAL(" + db.quote(sequence) + ") FROM seq_1_to_8 LIMIT ?";
        String now = pg ? "clock_timestamp()" : "UTC_TIMESTAMP(6)";
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            done.add(pool.submit(() -> {
                try (Connection c = db.open(); PreparedStatement nextIds = c.prepareStatement(next)) {
                    if (pg) {
                        c.createStatement().execute("SET synchronous_commit = off"); // this session only: faster commits
                    }
                    c.setAutoCommit(false);
                    var random = ThreadLocalRandom.current();
                    int written = 0;
                    while (written < ROWS / WRITERS) {
                        // 1 to 8 rows per transaction, every id taken before the transaction's first write
                        int rows = Math.min(1 + random.nextInt(8), ROWS / WRITERS - written);
                        List<Long> ids = new ArrayList<>();
                        nextIds.setInt(1, rows);
                        try (ResultSet rs = nextIds.executeQuery()) {
                            while (rs.next()) {
                                ids.add(rs.getLong(1));
                            }
                        }
                        Thread.sleep(random.nextInt(4)); // ids taken, nothing written yet
                        StringBuilder insert = new StringBuilder("INSERT INTO " + table.quoted() + " (id, ts, writer) VALUES ");
                        for (int r = 0; r < ids.size(); r++) {
                            insert.append(r == 0 ? "" : ", ").append("(?, ").append(now).append(", ?)");
                        }
                        try (PreparedStatement ins = c.prepareStatement(insert.toString())) {
                            for (int r = 0; r < ids.size(); r++) {
                                ins.setLong(2 * r + 1, ids.get(r));
                                ins.setInt(2 * r + 2, writer);
                            }
                            ins.executeUpdate();
                        }
                        Thread.sleep(random.nextInt(6)); // written, not committed: higher ids commit meanwhile
                        c.commit();
                        written += ids.size();
                    }
                }
                return null;
            }));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(5, TimeUnit.MINUTES)).as("writers finished").isTrue();
        for (Future<?> f : done) {
            f.get();
        }
    }
}
