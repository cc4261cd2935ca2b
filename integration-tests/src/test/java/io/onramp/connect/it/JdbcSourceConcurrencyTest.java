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
 * One transaction in a hundred holds 1 to 3 s (10 to 30 polls) after taking its ids or after inserting, so the
 * connectors have certainly read past its ids before it commits; the test records the commit order and the ids
 * already delivered at each commit, and fails unless such late commits happened. Three connectors (incrementing,
 * timestamp, timestamp+incrementing) read the same table meanwhile, on a worker with exactly-once source support.
 * Every mode must deliver every row (0 missing) and none twice (0 duplicated).
 */
class JdbcSourceConcurrencyTest {

    private static final int WRITERS = 8;
    private static final int ROWS = 20_000;
    private static final List<String> MODES = List.of("incrementing", "timestamp", "timestamp+incrementing");
    /** Every HOLD_EVERY-th transaction of a writer holds: ~1% of them, the same number in every run. */
    private static final int HOLD_EVERY = 100;
    /** A commit this long after a higher id's commit is one the 100 ms poll loop has certainly read past. */
    private static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(1_000);

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
            CommitLog log;
            // What the incrementing connector has delivered so far (uncommitted included: it was read)
            try (var delivered = new DeliveredIds(connect, topics.get("incrementing"))) {
                log = write(db, table, sequence, delivered);
            }
            long writeMs = (System.nanoTime() - writeStart) / 1_000_000;
            var order = log.inversions();
            System.out.printf("CONCURRENCY %s: %d rows in %d transactions (%d held 1-3 s); rows committed after a higher id: %d, "
                    + "of them >= 1 s after: %d, after the incrementing connector had delivered a higher id: %d%n", db, ROWS,
                    log.transactions(), log.held(), order.inverted(), order.late(), order.readPast());
            assertThat(log.held()).as("%s: transactions held", db).isGreaterThanOrEqualTo(WRITERS * (ROWS / WRITERS / 8 / HOLD_EVERY));
            assertThat(order.late()).as("%s: rows committed >= 1 s after a higher id", db).isGreaterThanOrEqualTo(log.held());

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
            // Last, once every row was checked: whether the connector really read past ids committed later. On
            // MariaDB it must have. On PostgreSQL the transaction horizon may legitimately hold every higher id back
            // while held transactions overlap (seen at load ~8: 0 of 44): that run then proved no loss and no
            // duplicate, but not the read-past case, and is reported as not having reached it rather than passed.
            if (pg) {
                org.junit.jupiter.api.Assumptions.assumeTrue(order.readPast() >= log.held() / 4, () -> db + ": only "
                        + order.readPast() + " rows committed after the connector had delivered a higher id (wanted "
                        + log.held() / 4 + "): the horizon held the reads back; the read-past case was not reached");
            }
            assertThat(order.readPast()).as("%s: rows committed after the connector had delivered a higher id", db)
                    .isGreaterThanOrEqualTo(log.held() / 4);
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
            // MariaDB has no transaction horizon: a row is read once its timestamp is older than this. The writers
            // hold a written row up to 3 s before its commit; 10 s leaves room for a loaded machine's stalls.
            config.put("timestamp.delay.interval.ms", "10000");
        }
        config.put("topic.creation.default.replication.factor", "1");
        config.put("topic.creation.default.partitions", "1");
        return config;
    }

    /**
     * 8 threads, 2,500 rows each, in transactions of 1 to 8 rows: the ids from the sequence, a pause, the inserts, a
     * pause, the commit. Every {@link #HOLD_EVERY}-th transaction of a writer pauses 1 to 3 s instead, mostly before
     * its first write (on PostgreSQL: no transaction id yet, so the horizon moves on), else before its commit.
     */
    private static CommitLog write(TestDatabases db, TestDatabases.Table table, String sequence, DeliveredIds delivered)
            throws Exception {
        var log = new CommitLog();
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
                    int transactions = 0;
                    while (written < ROWS / WRITERS) {
                        transactions++;
                        boolean hold = transactions % HOLD_EVERY == HOLD_EVERY / 2;
                        // 3 of 4 holds before the first write: on PostgreSQL a hold after it keeps the horizon (and so every
                        // reader) back, and overlapping ones would leave few chances to read past a held id
                        boolean holdBeforeWrite = hold && (transactions / HOLD_EVERY) % 4 != 3;
                        // 1 to 8 rows per transaction, every id taken before the transaction's first write
                        int rows = Math.min(1 + random.nextInt(8), ROWS / WRITERS - written);
                        List<Long> ids = new ArrayList<>();
                        nextIds.setInt(1, rows);
                        try (ResultSet rs = nextIds.executeQuery()) {
                            while (rs.next()) {
                                ids.add(rs.getLong(1));
                            }
                        }
                        // ids taken, nothing written yet
                        Thread.sleep(holdBeforeWrite ? 1_000 + random.nextInt(2_000) : random.nextInt(4));
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
                        // written, not committed: higher ids commit meanwhile
                        Thread.sleep(hold && !holdBeforeWrite ? 1_000 + random.nextInt(2_000) : random.nextInt(6));
                        long deliveredBefore = delivered.max();
                        long commitStart = System.nanoTime();
                        c.commit();
                        log.add(ids, commitStart, System.nanoTime(), deliveredBefore, hold);
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
        return log;
    }

    /** When each row's transaction committed, and the highest id the connector had delivered before. */
    private static final class CommitLog {
        private final long[] commitStart = new long[ROWS + 1];
        private final long[] commitEnd = new long[ROWS + 1];
        private final long[] deliveredBefore = new long[ROWS + 1];
        private int transactions;
        private int held;

        synchronized void add(List<Long> ids, long start, long end, long delivered, boolean hold) {
            transactions++;
            held += hold ? 1 : 0;
            for (long id : ids) {
                int row = Math.toIntExact(id); // the sequence is new: ids 1 to ROWS
                commitStart[row] = start;
                commitEnd[row] = end;
                deliveredBefore[row] = delivered;
            }
        }

        synchronized int transactions() {
            return transactions;
        }

        synchronized int held() {
            return held;
        }

        /**
         * Per row: committed after the commit of a higher id had returned; that at least {@link #LATE_NANOS} after;
         * committed when the connector had delivered a higher id. Walks the ids downwards keeping the earliest
         * commit among the higher ones.
         */
        synchronized Order inversions() {
            long earliestHigher = Long.MAX_VALUE;
            int inverted = 0;
            int late = 0;
            int readPast = 0;
            for (int row = ROWS; row >= 1; row--) {
                long id = row;
                if (earliestHigher < commitStart[row]) {
                    inverted++;
                    late += commitStart[row] - earliestHigher >= LATE_NANOS ? 1 : 0;
                }
                readPast += deliveredBefore[row] > id ? 1 : 0;
                earliestHigher = Math.min(earliestHigher, commitEnd[row]);
            }
            return new Order(inverted, late, readPast);
        }
    }

    private record Order(int inverted, int late, int readPast) {
    }

    /**
     * Follows a topic in the background (read_uncommitted: a record sent in a transaction not yet committed was
     * read from the database all the same) and keeps the highest id seen.
     */
    private static final class DeliveredIds implements AutoCloseable {
        private final java.util.concurrent.atomic.AtomicLong max = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        /** Why the follower stopped early: a stale maximum must fail the test as that, not as a wrong count. */
        private final java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        private final Thread thread;

        DeliveredIds(OnrampConnect connect, String topic) {
            connect.cluster().kafka().createTopic(topic, 1);
            var consumer = connect.cluster().kafka().createConsumer(
                    Map.of(org.apache.kafka.clients.consumer.ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"));
            var partition = new org.apache.kafka.common.TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            thread = new Thread(() -> {
                try (consumer) {
                    while (running.get()) {
                        for (var record : consumer.poll(Duration.ofMillis(50))) {
                            var id = Records.payload(record).path("id");
                            if (id.isNumber()) {
                                max.accumulateAndGet(id.asLong(), Math::max);
                            }
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "delivered-ids");
            thread.start();
        }

        long max() {
            throwIfFailed();
            return max.get();
        }

        private void throwIfFailed() {
            Throwable e = failure.get();
            if (e != null) {
                throw new AssertionError("the thread following the delivered ids died; the highest id it saw is stale", e);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
            if (thread.isAlive()) {
                throw new AssertionError("the thread following the delivered ids did not stop within 10 s");
            }
            throwIfFailed();
        }
    }
}
