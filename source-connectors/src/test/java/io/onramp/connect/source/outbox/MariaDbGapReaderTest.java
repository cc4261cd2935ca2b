package io.onramp.connect.source.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
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
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The MariaDB commit-order reader on the real server: gaps in the auto-increment id, filled, proved empty, timed out. */
class MariaDbGapReaderTest {

    private final String table = OutboxDatabases.uniqueName("mariadbgapreadertest");
    private final List<ResolvedGap> resolved = new CopyOnWriteArrayList<>();
    private final MovableClock clock = new MovableClock();
    private Connection reader;
    private Connection writer1;
    private Connection writer2;

    @BeforeEach
    void createTable() throws SQLException {
        reader = OutboxDatabases.MARIADB.open();
        reader.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        writer1 = OutboxDatabases.MARIADB.open();
        writer2 = OutboxDatabases.MARIADB.open();
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
        untilHoldersKnown(gaps);
        clock.advance(READ_INTERVAL_MS);
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
        untilHoldersKnown(gaps);
        clock.advance(5);
        assertThat(gaps.read(reader, OutboxPosition.START, 100)).as("INNODB_TRX is not asked again before 150 ms").isEmpty();

        assertThat(readUntilRows(gaps, OutboxPosition.START)).extracting(e -> e.columns().get("aggregateid"))
                .containsExactly("kept");
        assertThat(resolved).extracting(ResolvedGap::from, ResolvedGap::to, ResolvedGap::resolution)
                .containsExactly(tuple(1L, 1L, Resolution.PROVED_EMPTY));
        assertThat(resolved.get(0).waitedMs()).as("proved only by a second round, read the grace time after the first")
                .isGreaterThanOrEqualTo(IdGapTracker.RECHECK_GRACE_MS);
    }

    /**
     * Another session reading INNODB_TRX every 20 ms keeps InnoDB from refilling that cache (it refills only after
     * 100 ms without a read), so the list the reader gets can predate the transaction holding the missing id. The
     * gap must not be proved empty on such a list: the row is delivered, in order, once its transaction commits.
     */
    @Test
    void aGapIsNotProvedEmptyWhileAnotherSessionKeepsTheTransactionCacheStale() throws Exception {
        var gaps = gapReader(3_600_000);
        var monitor = Executors.newSingleThreadScheduledExecutor();
        var monitorReads = new AtomicInteger();
        try (Connection other = OutboxDatabases.MARIADB.open()) {
            monitor.scheduleAtFixedRate(() -> {
                try (var s = other.createStatement(); var rows = s.executeQuery("SELECT COUNT(*) FROM information_schema.INNODB_TRX")) {
                    rows.next();
                    monitorReads.incrementAndGet();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, 0, 20, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> monitorReads.get() >= 5); // the cache is frozen from here on
            begin(writer1, "INSERT INTO " + table + " (aggregateid) VALUES ('a')"); // id 1, started after the last refill
            execute(writer2, "INSERT INTO " + table + " (aggregateid) VALUES ('b')"); // id 2, committed
            assertThat(gaps.read(reader, OutboxPosition.START, 100)).isEmpty();

            await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(READ_INTERVAL_MS))
                    .until(() -> {
                        clock.advance(READ_INTERVAL_MS);
                        return gaps.read(reader, OutboxPosition.START, 100).isEmpty() && resolved.isEmpty();
                    });
            int readsWhileOpen = monitorReads.get();
            writer1.commit();

            assertThat(readUntilRows(gaps, OutboxPosition.START)).extracting(e -> e.columns().get("aggregateid"))
                    .containsExactly("a", "b");
            assertThat(resolved).isEmpty();
            // A precondition, not a speed check: some ten reads in the 1.5 s, even on a loaded machine.
            assertThat(readsWhileOpen).as("the other session kept reading INNODB_TRX").isGreaterThan(5 + 10);
        } finally {
            monitor.shutdownNow();
            assertThat(monitor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
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
        untilHoldersKnown(gaps);
        clock.advance(READ_INTERVAL_MS);
        assertThat(gaps.read(reader, OutboxPosition.START, 100)).as("100's holder still runs").isEmpty();
        writer1.commit();

        assertThat(readUntilRows(gaps, OutboxPosition.START)).extracting(e -> e.position().id()).containsExactly(100L, 101L);
        assertThat(resolved).as("1..99 were never taken by a running transaction")
                .extracting(ResolvedGap::from, ResolvedGap::to, ResolvedGap::resolution)
                .containsExactly(tuple(1L, 99L, Resolution.PROVED_EMPTY));
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

    /** The reader asks INNODB_TRX at most this often by its clock; the test moves the clock that far per read. */
    private static final long READ_INTERVAL_MS = MariaDbGapReader.TRX_READ_INTERVAL_NANOS / 1_000_000;

    /**
     * Reads (every 150 ms of real time, INNODB_TRX's cache refills only after 100 ms without a read) until the
     * reader's canary showed in a list of running transactions, so that every gap seen has its holders.
     */
    private void untilHoldersKnown(MariaDbGapReader gaps) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(READ_INTERVAL_MS)).until(() -> {
            clock.advance(READ_INTERVAL_MS);
            assertThat(gaps.read(reader, OutboxPosition.START, 100)).isEmpty();
            return !gaps.gapsLackHolders();
        });
    }

    /** Reads as the task does while it waits for a gap, until some rows come. */
    private List<OutboxEvent> readUntilRows(MariaDbGapReader gaps, OutboxPosition after) {
        var events = new java.util.concurrent.atomic.AtomicReference<List<OutboxEvent>>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(READ_INTERVAL_MS)).until(() -> {
            clock.advance(READ_INTERVAL_MS);
            events.set(gaps.read(reader, after, 100));
            return !events.get().isEmpty();
        });
        return events.get();
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
