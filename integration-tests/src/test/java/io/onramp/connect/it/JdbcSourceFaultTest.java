package io.onramp.connect.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.it.crash.KafkaBroker;
import io.onramp.connect.it.crash.WorkerProcess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults with exact counts: PostgreSQL restarted while the connector polls, and the worker process killed with
 * SIGKILL in the middle of a table and in the middle of a bulk-diff run's open transaction. All on exactly-once
 * workers (separate JVMs of the crash harness).
 */
// Restarts PostgreSQL, which the other test classes share while they run two at a time: runs alone (pom.xml).
@Tag("serial")
class JdbcSourceFaultTest {

    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static Map<String, String> config(TestDatabases db, String table, String prefix) {
        Map<String, String> config = new HashMap<>(db.connectionProps());
        config.put("connector.class", "io.onramp.connect.source.jdbc.JdbcSourceConnector");
        config.put("tasks.max", "1");
        config.put("mode", "incrementing");
        config.put("incrementing.column.name", "id");
        config.put("table.include.list", table);
        config.put("topic.prefix", prefix);
        config.put("poll.interval.ms", "100");
        config.put("batch.max.rows", "200");
        config.put("connection.attempts", "30");
        config.put("connection.backoff.ms", "500");
        config.put("exactly.once.support", "required");
        config.put("topic.creation.default.replication.factor", "1");
        config.put("topic.creation.default.partitions", "1");
        return config;
    }

    /**
     * A backlog of 30,000 rows is one transaction window, read by one streaming query over many polls of 100 rows;
     * PostgreSQL is restarted the moment pg_stat_activity shows that query {@code active} (fetching), while a
     * writer inserts 2,000 rows more. Incrementing mode on an exactly-once worker documents every row exactly once.
     */
    @Test
    void postgresRestartedMidPollIsRetriedAndNoRowIsLostOrDuplicated() throws Exception {
        var db = TestDatabases.POSTGRES;
        int backlog = 30_000;
        int later = 2_000;
        int rows = backlog + later;
        try (var table = db.createTable("jt_fault_restart", "id BIGINT PRIMARY KEY, note TEXT");
                var worker = WorkerProcess.builder("jdbc-restart", broker).exactlyOnce(true).start()) {
            db.execute("INSERT INTO " + table.quoted() + " SELECT g, 'row ' || g FROM generate_series(1, " + backlog + ") g");
            String topic = "restart." + table.name();
            var config = config(db, table.name(), "restart.");
            config.put("batch.max.rows", "100");
            worker.createConnector("restart", config);
            worker.awaitRunning("restart", 1, Duration.ofSeconds(120));
            try (var ids = new TopicIds(broker.kafka(), topic, "id")) {
                KafkaBroker.await("the backlog's first rows delivered", Duration.ofSeconds(120),
                        () -> ids.readUntilDistinct(1, Duration.ofMillis(300)) >= 1);
                var written = new AtomicInteger(backlog);
                var failure = new AtomicReference<Throwable>();
                Thread writer = new Thread(() -> {
                    try {
                        writeSurvivingRestarts(db, table, backlog + 1, rows, written);
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                }, "restart-writer");
                writer.start();
                String seen = awaitActiveQuery(table.name(), Duration.ofSeconds(60));
                long deliveredAtRestart = broker.written(topic);
                PostgresServer.restart();
                assertThat(deliveredAtRestart).as("restarted before the backlog was read").isLessThan(backlog);
                writer.join(TimeUnit.MINUTES.toMillis(3));
                assertThat(failure.get()).as("writer").isNull();
                assertThat(written.get()).isEqualTo(rows);
                int distinct = ids.readUntilDistinct(rows, Duration.ofSeconds(180));
                ids.readToEnd(Duration.ofSeconds(30));
                System.out.printf("RESTART POSTGRES incrementing: restarted while the connector's query was %s, %d records "
                        + "written to Kafka by then; %d rows, delivered %d distinct, missing %d, duplicated %d%n",
                        seen, deliveredAtRestart, rows, distinct, rows - distinct, ids.duplicates());
                assertThat(rows - distinct).as("missing").isZero();
                assertThat(ids.duplicates()).as("duplicated").isZero();
            } finally {
                PostgresServer.ensureUp();
            }
            assertThat(worker.status("restart").path("tasks").get(0).path("state").asText()).isEqualTo("RUNNING");
            worker.deleteConnector("restart");
        }
    }

    /**
     * Watches pg_stat_activity without pause until a session other than this one runs a query on the table in
     * state {@code active}; returns that session's state and wait event.
     */
    private static String awaitActiveQuery(String table, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection c = TestDatabases.POSTGRES.open();
                PreparedStatement activity = c.prepareStatement("SELECT state, coalesce(wait_event, '-') FROM pg_stat_activity "
                        + "WHERE pid <> pg_backend_pid() AND state = 'active' AND strpos(query, ?) > 0 "
                        + "AND upper(left(ltrim(query), 6)) = 'SELECT'")) {
            activity.setString(1, table);
            while (System.nanoTime() < deadline) {
                try (var rs = activity.executeQuery()) {
                    if (rs.next()) {
                        return rs.getString(1) + " (wait event " + rs.getString(2) + ")";
                    }
                }
            }
        }
        throw new AssertionError("the connector's query on " + table + " was never seen active within " + timeout);
    }

    /**
     * Inserts ids first..rows, 10 per transaction, 20 ms apart; reconnects and re-inserts what a lost commit may have
     * lost.
     */
    private static void writeSurvivingRestarts(TestDatabases db, TestDatabases.Table table, int first, int rows,
            AtomicInteger written) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        int next = first;
        while (next <= rows) {
            try (Connection c = db.open();
                    PreparedStatement insert = c.prepareStatement("INSERT INTO " + table.quoted()
                            + " VALUES (?, 'x') ON CONFLICT (id) DO NOTHING")) {
                c.setAutoCommit(false);
                while (next <= rows) {
                    for (int i = next; i < next + 10 && i <= rows; i++) {
                        insert.setLong(1, i);
                        insert.executeUpdate();
                    }
                    c.commit();
                    next = Math.min(next + 10, rows + 1);
                    written.set(next - 1);
                    Thread.sleep(20);
                }
            } catch (java.sql.SQLException | AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(300); // the server is restarting; the uncommitted transaction is written again
            }
        }
    }

    @Test
    void workerKilledWithSigkillMidTableResumesWithEveryRowExactlyOnce() throws Exception {
        var db = TestDatabases.MARIADB;
        int rows = 10_000;
        try (var table = db.createTable("jdbcsourcefaulttest_kill", "id BIGINT PRIMARY KEY, note VARCHAR(20)")) {
            db.execute("INSERT INTO " + table.quoted() + " SELECT seq, CONCAT('row ', seq) FROM seq_1_to_" + rows);
            String topic = "kill." + table.name();
            var config = config(db, table.name(), "kill.");
            config.put("batch.max.rows", "100");
            try (var worker = WorkerProcess.builder("jdbc-kill", broker).exactlyOnce(true).start()) {
                worker.createConnector("kill", config);
                worker.awaitRunning("kill", 1, Duration.ofSeconds(120));
                KafkaBroker.await("some rows written", Duration.ofSeconds(120), () -> broker.written(topic) > 1_500);
                worker.kill();
            }
            long beforeKill = broker.readCommitted(topic).size();
            assertThat(beforeKill).as("killed in the middle of the table").isLessThan(rows);
            try (var next = WorkerProcess.builder("jdbc-kill", broker).exactlyOnce(true).start();
                    var ids = new TopicIds(broker.kafka(), topic, "id")) {
                next.awaitRunning("kill", 1, Duration.ofSeconds(120));
                int distinct = ids.readUntilDistinct(rows, Duration.ofSeconds(180));
                ids.readToEnd(Duration.ofSeconds(30));
                System.out.printf("SIGKILL MARIADB incrementing: %d rows, %d committed before the kill, delivered %d distinct, "
                        + "missing %d, duplicated %d%n", rows, beforeKill, distinct, rows - distinct, ids.duplicates());
                assertThat(rows - distinct).as("missing").isZero();
                assertThat(ids.duplicates()).as("duplicated").isZero();
                next.deleteConnector("kill");
            }
        }
    }

    @Test
    void workerKilledWithSigkillMidBulkDiffRunCommitsTheRunOnceAndDiffsTheNextAgainstIt(@TempDir Path archive)
            throws Exception {
        var db = TestDatabases.POSTGRES;
        int rows = 10_000;
        try (var table = db.createTable("jdbcsourcefaulttest_bulkdiff", "id BIGINT PRIMARY KEY, note TEXT")) {
            db.execute("INSERT INTO " + table.quoted() + " SELECT g, 'row ' || g FROM generate_series(1, " + rows + ") g");
            String topic = "bulkdiff." + table.name();
            var config = config(db, table.name(), "bulkdiff.");
            config.remove("incrementing.column.name");
            config.put("mode", "bulk-diff");
            config.put("output.format", "envelope");
            config.put("snapshot.archive.path", archive.toString());
            config.put("transaction.boundary", "connector");
            config.put("poll.interval.ms", "1000");
            config.put("batch.max.rows", "100");
            // The restarted worker reads its offsets read_committed, so it waits until the killed run's open
            // transaction times out (60 s by default); a whole run takes well under 20 s.
            config.put("producer.override.transaction.timeout.ms", "20000");
            long writtenAtKill;
            // 10,000 change events with their schemas take seconds to go out under the cap: the kill comes mid-run.
            broker.throttleProducers(2_000_000);
            try (var worker = WorkerProcess.builder("jdbc-bulkdiff", broker).exactlyOnce(true).start()) {
                worker.createConnector("bulkdiff", config);
                worker.awaitRunning("bulkdiff", 1, Duration.ofSeconds(120));
                KafkaBroker.await("2,000 events of the first run written", Duration.ofSeconds(120),
                        () -> broker.written(topic) >= 2_000);
                assertThat(broker.readCommitted(topic)).as("the run is one transaction: nothing committed yet").isEmpty();
                worker.kill();
                writtenAtKill = broker.written(topic);
                assertThat(broker.readCommitted(topic)).as("killed before the run's transaction committed").isEmpty();
            } finally {
                broker.throttleProducers(0);
            }
            assertThat(writtenAtKill).as("killed in the middle of the run").isLessThan(rows);
            try (var next = WorkerProcess.builder("jdbc-bulkdiff", broker).exactlyOnce(true).start()) {
                next.awaitRunning("bulkdiff", 1, Duration.ofSeconds(120));
                KafkaBroker.await("the first run committed", Duration.ofSeconds(120),
                        () -> broker.readCommitted(topic).size() >= rows);
                var first = broker.readCommitted(topic);
                Set<String> firstKeys = keys(first);
                System.out.printf("SIGKILL POSTGRES bulk-diff: %d rows, %d records written at the kill (0 committed), "
                        + "%d committed after the restart, %d distinct keys, duplicated %d%n",
                        rows, writtenAtKill, first.size(), firstKeys.size(), first.size() - firstKeys.size());
                assertThat(first).hasSize(rows);
                assertThat(opsByKind(first)).isEqualTo(Map.of("r", rows));
                assertThat(firstKeys).hasSize(rows);

                // The archive now holds the run the kill cut short: the next run emits exactly these 115 changes.
                db.execute("UPDATE " + table.quoted() + " SET note = 'changed ' || id WHERE id BETWEEN 1 AND 100",
                        "DELETE FROM " + table.quoted() + " WHERE id BETWEEN 101 AND 110",
                        "INSERT INTO " + table.quoted() + " SELECT g, 'new ' || g FROM generate_series("
                                + (rows + 1) + ", " + (rows + 5) + ") g");
                KafkaBroker.await("the second run committed", Duration.ofSeconds(120),
                        () -> broker.readCommitted(topic).size() > rows);
                var second = broker.readCommitted(topic);
                var changes = second.subList(rows, second.size());
                System.out.printf("SIGKILL POSTGRES bulk-diff, next run: %d committed changes %s, %d distinct keys%n",
                        changes.size(), opsByKind(changes), keys(changes).size());
                assertThat(changes).hasSize(115);
                assertThat(keysOf(changes, "u")).isEqualTo(ids(1, 100));
                assertThat(keysOf(changes, "d")).isEqualTo(ids(101, 110));
                assertThat(keysOf(changes, "c")).isEqualTo(ids(rows + 1, rows + 5));
                next.deleteConnector("bulkdiff");
            }
        }
    }

    private static Map<String, Integer> opsByKind(List<ConsumerRecord<byte[], byte[]>> records) {
        var ops = new TreeMap<String, Integer>();
        records.forEach(record -> ops.merge(Records.payload(record).path("op").asText(), 1, Integer::sum));
        return ops;
    }

    private static Set<String> keys(List<ConsumerRecord<byte[], byte[]>> records) {
        var keys = new HashSet<String>();
        records.forEach(record -> keys.add(new String(record.key(), java.nio.charset.StandardCharsets.UTF_8)));
        return keys;
    }

    private static Set<String> keysOf(List<ConsumerRecord<byte[], byte[]>> records, String op) {
        return keys(records.stream().filter(record -> op.equals(Records.payload(record).path("op").asText())).toList());
    }

    private static Set<String> ids(int from, int to) {
        var keys = new HashSet<String>();
        for (int id = from; id <= to; id++) {
            keys.add("{\"id\":" + id + "}");
        }
        return keys;
    }
}
