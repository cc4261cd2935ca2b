package io.onramp.connect.source.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.onramp.connect.source.outbox.IdGapTracker.Resolution;
import io.onramp.connect.source.outbox.IdGapTracker.ResolvedGap;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The MariaDB commit-order reader on the real server: gaps in the auto-increment id, filled, proved empty, timed out. */
class MariaDbGapReaderTest {

    private final String table = OutboxDatabases.uniqueName("mariadbgapreadertest");
    private final List<ResolvedGap> resolved = new CopyOnWriteArrayList<>();
    private final MovableClock clock = new MovableClock();
    private final java.util.Map<Connection, Long> threads = new java.util.IdentityHashMap<>();
    private Connection reader;
    private Connection writer1;
    private Connection writer2;

    @BeforeEach
    void createTable() throws SQLException {
        reader = OutboxDatabases.MARIADB.open();
        reader.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        writer1 = OutboxDatabases.MARIADB.open();
        writer2 = OutboxDatabases.MARIADB.open();
        for (Connection writer : List.of(writer1, writer2)) {
            try (var s = writer.createStatement(); var rows = s.executeQuery("SELECT CONNECTION_ID()")) {
                rows.next();
                threads.put(writer, rows.getLong(1)); // asked now, in autocommit: asking later would open a transaction
            }
        }
        execute(reader, "CREATE TABLE " + table + " (id BIGINT AUTO_INCREMENT PRIMARY KEY, aggregateid VARCHAR(64)) ENGINE=InnoDB");
    }

    @AfterEach
    void dropTable() throws SQLException {
        for (Connection c : List.of(writer1, writer2)) {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            c.close();
        }
        execute(reader, "DROP TABLE IF EXISTS " + table);
        reader.close();
    }

    private MariaDbGapReader gapReader(long timeoutMs) {
        return new MariaDbGapReader(table, "`id`", timeoutMs, resolved::add, clock);
    }

    @Test
    void aRowCommittedAfterAHigherIdIsDeliveredInIdOrder() throws SQLException {
        var gaps = gapReader(60_000);
        begin(writer1, "INSERT INTO " + table + " (aggregateid) VALUES ('a')"); // id 1, open
        execute(writer2, "INSERT INTO " + table + " (aggregateid) VALUES ('b')"); // id 2, committed

        assertThat(gaps.read(reader, OutboxPosition.START, 100)).as("1 is still in flight").isEmpty();
        pastTheTransactionCache(writer1, true);
        assertThat(gaps.read(reader, OutboxPosition.START, 100)).as("its holder still runs").isEmpty();

        writer1.commit();
        assertThat(gaps.read(reader, OutboxPosition.START, 100)).extracting(e -> e.columns().get("aggregateid"))
                .containsExactly("a", "b");
        assertThat(resolved).isEmpty();
    }

    @Test
    void anIdOfARolledBackTransactionIsProvedEmptyWithoutWaitingForTheTimeout() throws SQLException {
        var gaps = gapReader(3_600_000);
        begin(writer1, "INSERT INTO " + table + " (aggregateid) VALUES ('rolled-back')"); // id 1
        execute(writer2, "INSERT INTO " + table + " (aggregateid) VALUES ('kept')"); // id 2

        assertThat(gaps.read(reader, OutboxPosition.START, 100)).isEmpty();
        writer1.rollback();
        pastTheTransactionCache(writer1, false);
        assertThat(gaps.read(reader, OutboxPosition.START, 100)).as("the holders are read now; the next read is checked")
                .isEmpty();
        clock.advance(5);
        assertThat(gaps.read(reader, OutboxPosition.START, 100)).as("INNODB_TRX is not asked again before 150 ms").isEmpty();
        clock.advance(MariaDbGapReader.TRX_READ_INTERVAL_NANOS / 1_000_000);

        assertThat(gaps.read(reader, OutboxPosition.START, 100)).extracting(e -> e.columns().get("aggregateid"))
                .containsExactly("kept");
        assertThat(resolved).containsExactly(new ResolvedGap(1, 1, Resolution.PROVED_EMPTY,
                PAST_THE_CACHE_MS + 5 + MariaDbGapReader.TRX_READ_INTERVAL_NANOS / 1_000_000));
    }

    @Test
    void aGapWhoseHolderRunsPastTheTimeoutIsGivenUpAndItsLateRowIsNeverCleanedUp() throws SQLException {
        var gaps = gapReader(200);
        begin(writer1, "INSERT INTO " + table + " (aggregateid) VALUES ('late')"); // id 1
        execute(writer2, "INSERT INTO " + table + " (aggregateid) VALUES ('on-time')"); // id 2
        assertThat(gaps.read(reader, OutboxPosition.START, 100)).isEmpty();
        clock.advance(199);
        assertThat(gaps.read(reader, OutboxPosition.START, 100)).isEmpty();
        clock.advance(1);

        var events = gaps.read(reader, OutboxPosition.START, 100);

        assertThat(events).extracting(e -> e.columns().get("aggregateid")).containsExactly("on-time");
        assertThat(resolved).containsExactly(new ResolvedGap(1, 1, Resolution.TIMED_OUT, 200));
        writer1.commit();
        assertThat(gaps.read(reader, events.get(0).position(), 100)).as("the late row is behind the position").isEmpty();
        assertThat(gaps.deliveredIds(reader, events.get(0).position(), 100)).as("never delivered, so never deleted")
                .containsExactly(2L);
    }

    @Test
    void aFirstReadWaitsForIdsBelowTheFirstVisibleOne() throws SQLException {
        var gaps = gapReader(3_600_000);
        execute(writer2, "ALTER TABLE " + table + " AUTO_INCREMENT = 100");
        begin(writer1, "INSERT INTO " + table + " (aggregateid) VALUES ('first')"); // id 100, open
        execute(writer2, "INSERT INTO " + table + " (aggregateid) VALUES ('second')"); // id 101

        assertThat(gaps.read(reader, OutboxPosition.START, 100)).isEmpty();
        pastTheTransactionCache(writer1, true);
        assertThat(gaps.read(reader, OutboxPosition.START, 100)).isEmpty();
        writer1.commit();
        pastTheTransactionCache(writer1, false);

        assertThat(gaps.read(reader, OutboxPosition.START, 100)).extracting(e -> e.position().id()).containsExactly(100L, 101L);
        assertThat(resolved).as("1..99 were never taken by a running transaction")
                .containsExactly(new ResolvedGap(1, 99, Resolution.PROVED_EMPTY, 2 * PAST_THE_CACHE_MS));
    }

    @Test
    void resumesAfterThePosition() throws SQLException {
        var gaps = gapReader(60_000);
        execute(writer1, "INSERT INTO " + table + " (aggregateid) VALUES ('a'), ('b'), ('c')");

        var first = gaps.read(reader, OutboxPosition.START, 2);

        assertThat(first).extracting(e -> e.position().id()).containsExactly(1L, 2L);
        assertThat(gaps.read(reader, first.get(1).position(), 100)).extracting(e -> e.position().id()).containsExactly(3L);
        assertThat(gaps.deliveredIds(reader, first.get(1).position(), 100)).containsExactly(1L, 2L);
    }

    /** How far the reader's clock moves to trust a list of running transactions read after a gap was seen. */
    private static final long PAST_THE_CACHE_MS = MariaDbGapReader.TRX_CACHE_NANOS / 1_000_000 + 1;

    /**
     * INNODB_TRX is a cache the server refreshes at most every 100 ms, and only when nobody read it in the last 100
     * ms (so this asks every 150 ms). Waits until it shows {@code writer}'s
     * transaction as running (or no longer running), so that the list the reader reads next is at least that recent,
     * then moves the reader's clock past the time it waits before it trusts such a list.
     */
    private void pastTheTransactionCache(Connection writer, boolean running) {
        long thread = threads.get(writer);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(150)).until(() -> {
            try (var s = reader.prepareStatement("SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = ?")) {
                s.setLong(1, thread);
                try (var rows = s.executeQuery()) {
                    rows.next();
                    return rows.getInt(1) > 0 == running;
                }
            }
        });
        clock.advance(PAST_THE_CACHE_MS);
    }

    /** The reader's clock, moved by the test only. */
    private static final class MovableClock extends Clock {

        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(long millis) {
            now = now.plusMillis(millis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static void begin(Connection c, String sql) throws SQLException {
        c.setAutoCommit(false);
        execute(c, sql);
    }

    private static void execute(Connection c, String... sql) throws SQLException {
        try (var statement = c.createStatement()) {
            for (String s : sql) {
                statement.execute(s);
            }
        }
    }
}
