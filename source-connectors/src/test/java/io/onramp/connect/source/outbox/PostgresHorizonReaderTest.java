package io.onramp.connect.source.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The PostgreSQL commit-order reader on the real server: what the horizon lets through, and what it holds back. */
class PostgresHorizonReaderTest {

    private final String table = OutboxDatabases.uniqueName("pghorizonreadertest");
    private Connection reader;
    private Connection writer1;
    private Connection writer2;

    @BeforeEach
    void createTable() throws SQLException {
        reader = OutboxDatabases.POSTGRES.open();
        writer1 = OutboxDatabases.POSTGRES.open();
        writer2 = OutboxDatabases.POSTGRES.open();
        execute(reader, "CREATE TABLE " + table + " (id BIGSERIAL PRIMARY KEY, aggregateid TEXT, payload JSONB)");
        execute(reader, "CREATE TABLE " + table + "_uuid (id UUID PRIMARY KEY, aggregateid TEXT)");
    }

    @AfterEach
    void dropTable() throws SQLException {
        for (Connection c : List.of(writer1, writer2)) {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            c.close();
        }
        execute(reader, "DROP TABLE IF EXISTS " + table, "DROP TABLE IF EXISTS " + table + "_uuid");
        reader.close();
    }

    private PostgresHorizonReader horizonReader() {
        return new PostgresHorizonReader(table, "\"id\"", true);
    }

    @Test
    void rowsCommittedAfterAnOlderTransactionStartedWaitUntilItEnds() throws SQLException {
        begin(writer1, "INSERT INTO " + table + " (aggregateid) VALUES ('a')"); // takes id 1, stays open
        execute(writer2, "INSERT INTO " + table + " (aggregateid) VALUES ('b')"); // id 2, committed at once

        assertThat(horizonReader().read(reader, OutboxPosition.START, 100))
                .as("id 2 is committed, but the transaction of id 1 still runs below it").isEmpty();

        writer1.commit();
        var events = readAwaiting(horizonReader(), OutboxPosition.START, 100, 2);

        assertThat(events).extracting(e -> e.columns().get("aggregateid")).containsExactly("a", "b");
        assertThat(events.get(0).position().txid()).isLessThan(events.get(1).position().txid());
    }

    @Test
    void aRowInsertedInASavepointIsHeldWhileItsParentRuns() throws SQLException {
        begin(writer1, "SELECT 1");
        execute(writer1, "INSERT INTO " + table + "_uuid VALUES ('00000000-0000-4000-8000-000000000001', 'parent')",
                "SAVEPOINT s1", "INSERT INTO " + table + " (aggregateid) VALUES ('in-savepoint')", "RELEASE SAVEPOINT s1");
        execute(writer2, "INSERT INTO " + table + " (aggregateid) VALUES ('later')");

        assertThat(horizonReader().read(reader, OutboxPosition.START, 100)).isEmpty();

        writer1.commit();
        assertThat(readAwaiting(horizonReader(), OutboxPosition.START, 100, 2))
                .extracting(e -> e.columns().get("aggregateid")).containsExactly("in-savepoint", "later");
    }

    @Test
    void rolledBackRowsAreNeverDeliveredAndHoldNothingBack() throws SQLException {
        begin(writer1, "INSERT INTO " + table + " (aggregateid) VALUES ('rolled-back')");
        writer1.rollback();
        execute(writer2, "INSERT INTO " + table + " (aggregateid) VALUES ('kept')");

        assertThat(readAwaiting(horizonReader(), OutboxPosition.START, 100, 1))
                .extracting(e -> e.columns().get("aggregateid")).containsExactly("kept");
    }

    @Test
    void resumesAfterThePositionWithinOneTransaction() throws SQLException {
        execute(writer1, "INSERT INTO " + table + " (aggregateid) SELECT 'agg-' || i FROM generate_series(1, 5) i");

        var first = readAwaiting(horizonReader(), OutboxPosition.START, 2, 2);
        var rest = horizonReader().read(reader, first.get(1).position(), 100);

        assertThat(first).extracting(e -> e.columns().get("aggregateid")).containsExactly("agg-1", "agg-2");
        assertThat(rest).extracting(e -> e.columns().get("aggregateid")).containsExactly("agg-3", "agg-4", "agg-5");
        assertThat(rest).extracting(e -> e.position().txid()).containsOnly(first.get(0).position().txid());
    }

    @Test
    void jsonbAndUuidColumnsArriveAsTextAndUuid() throws SQLException {
        execute(writer1, "INSERT INTO " + table + " (aggregateid, payload) VALUES ('a', '{\"n\": 1}')",
                "INSERT INTO " + table + "_uuid VALUES ('00000000-0000-4000-8000-00000000000b', 'b'),"
                        + " ('00000000-0000-4000-8000-00000000000a', 'a')");

        assertThat(readAwaiting(horizonReader(), OutboxPosition.START, 1, 1).get(0).columns()).containsEntry("payload", "{\"n\": 1}");
        var uuidReader = new PostgresHorizonReader(table + "_uuid", "\"id\"", false);
        var first = readAwaiting(uuidReader, OutboxPosition.START, 1, 1);
        assertThat(first.get(0).columns()).containsEntry("id", UUID.fromString("00000000-0000-4000-8000-00000000000a"));
        assertThat(first.get(0).position().id()).isEqualTo("00000000-0000-4000-8000-00000000000a");
        assertThat(uuidReader.read(reader, first.get(0).position(), 10)).extracting(e -> e.columns().get("aggregateid"))
                .containsExactly("b");
        assertThat(uuidReader.deliveredIds(reader, first.get(0).position(), 10))
                .containsExactly(UUID.fromString("00000000-0000-4000-8000-00000000000a"));
    }

    @Test
    void deliveredIdsAreExactlyThoseAtOrBeforeTheCommittedPosition() throws SQLException {
        execute(writer1, "INSERT INTO " + table + " (aggregateid) SELECT 'agg-' || i FROM generate_series(1, 3) i");
        execute(writer1, "INSERT INTO " + table + " (aggregateid) VALUES ('next-transaction')");
        var events = readAwaiting(horizonReader(), OutboxPosition.START, 100, 4);

        assertThat(horizonReader().deliveredIds(reader, events.get(1).position(), 100)).containsExactlyInAnyOrder(1L, 2L);
        assertThat(horizonReader().deliveredIds(reader, events.get(3).position(), 100)).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
        assertThat(horizonReader().deliveredIds(reader, OutboxPosition.START, 100)).isEmpty();
    }

    /** xmin is 32 bits: widened next to the horizon, it is right on both sides of a wraparound. */
    @Test
    void widensA32BitXminAcrossTheWraparound() throws SQLException {
        long epoch5 = 5L << 32;
        assertThat(widen(epoch5 + 10, 4_294_967_290L)).as("just before the wrap, epoch 4").isEqualTo((4L << 32) + 4_294_967_290L);
        assertThat(widen(epoch5 + 10, 3)).isEqualTo(epoch5 + 3);
        assertThat(widen(epoch5 + 10, 25)).as("above the horizon").isEqualTo(epoch5 + 25);
        assertThat(widen(epoch5 + 4_294_967_290L, 5)).as("just after the wrap, epoch 6").isEqualTo((6L << 32) + 5);
        assertThat(widen(1_000, 3)).isEqualTo(3);
    }

    private long widen(long horizon, long xmin) throws SQLException {
        try (var statement = reader.prepareStatement("SELECT " + PostgresHorizonReader.TXID_EXPRESSION
                + " FROM (VALUES (?::text)) o(xmin) CROSS JOIN (SELECT ?::bigint AS " + PostgresHorizonReader.HORIZON_COLUMN + ") h")) {
            statement.setString(1, Long.toString(xmin));
            statement.setLong(2, horizon);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /**
     * Reads until {@code count} rows come (or 60 s pass): the server is shared, and another session's open
     * transaction holds the horizon, and so this reader, back until it ends.
     */
    private List<OutboxEvent> readAwaiting(PostgresHorizonReader horizon, OutboxPosition after, int max, int count)
            throws SQLException {
        var events = new AtomicReference<List<OutboxEvent>>(horizon.read(reader, after, max));
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> events.updateAndGet(last -> last.size() >= count ? last : read(horizon, after, max))
                            .size() >= count);
        } catch (ConditionTimeoutException e) {
            // the caller's assertions say what is missing
        }
        return events.get();
    }

    private List<OutboxEvent> read(PostgresHorizonReader horizon, OutboxPosition after, int max) {
        try {
            return horizon.read(reader, after, max);
        } catch (SQLException e) {
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
