package io.onramp.connect.source.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.source.outbox.IdGapTracker.Resolution;
import io.onramp.connect.source.outbox.IdGapTracker.ResolvedGap;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The MariaDB commit-order reader on the real server: gaps in the auto-increment id, filled, proved empty, timed out. */
class MariaDbGapReaderTest {

    private final String table = OutboxDatabases.uniqueName("mariadbgapreadertest");
    private final List<ResolvedGap> resolved = new CopyOnWriteArrayList<>();
    private final AtomicLong clock = new AtomicLong(1_000_000);
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
        return new MariaDbGapReader(table, "`id`", timeoutMs, resolved::add, clock::get);
    }

    @Test
    void aRowCommittedAfterAHigherIdIsDeliveredInIdOrder() throws SQLException {
        var gaps = gapReader(60_000);
        begin(writer1, "INSERT INTO " + table + " (aggregateid) VALUES ('a')"); // id 1, open
        execute(writer2, "INSERT INTO " + table + " (aggregateid) VALUES ('b')"); // id 2, committed

        assertThat(gaps.read(reader, OutboxPosition.START, 100)).as("1 is still in flight").isEmpty();
        pastTheTransactionCache();
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
        pastTheTransactionCache();
        assertThat(gaps.read(reader, OutboxPosition.START, 100)).as("the holders are read now; the next read is checked")
                .isEmpty();
        clock.addAndGet(5);

        assertThat(gaps.read(reader, OutboxPosition.START, 100)).extracting(e -> e.columns().get("aggregateid"))
                .containsExactly("kept");
        assertThat(resolved).containsExactly(new ResolvedGap(1, 1, Resolution.PROVED_EMPTY, 5));
    }

    @Test
    void aGapWhoseHolderRunsPastTheTimeoutIsGivenUpAndItsLateRowIsNeverCleanedUp() throws SQLException {
        var gaps = gapReader(200);
        begin(writer1, "INSERT INTO " + table + " (aggregateid) VALUES ('late')"); // id 1
        execute(writer2, "INSERT INTO " + table + " (aggregateid) VALUES ('on-time')"); // id 2
        assertThat(gaps.read(reader, OutboxPosition.START, 100)).isEmpty();
        clock.addAndGet(199);
        assertThat(gaps.read(reader, OutboxPosition.START, 100)).isEmpty();
        clock.addAndGet(1);

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
        pastTheTransactionCache();
        assertThat(gaps.read(reader, OutboxPosition.START, 100)).isEmpty();
        writer1.commit();
        pastTheTransactionCache();

        assertThat(gaps.read(reader, OutboxPosition.START, 100)).extracting(e -> e.position().id()).containsExactly(100L, 101L);
        assertThat(resolved).as("1..99 were never taken by a running transaction")
                .containsExactly(new ResolvedGap(1, 99, Resolution.PROVED_EMPTY, 0));
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

    /** INNODB_TRX is a cache refreshed at most every 100 ms: the reader waits past it before it trusts it. */
    private static void pastTheTransactionCache() {
        try {
            Thread.sleep(MariaDbGapReader.TRX_CACHE_NANOS / 1_000_000 + 50);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
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
