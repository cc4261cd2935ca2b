package io.onramp.connect.source.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL horizon-batch reader on the real server: an aggregate's events in lock order even when the later
 * transaction took its transaction id first; resuming inside a batch; what the cleanup may delete.
 */
class PostgresHorizonBatchReaderTest {

    private final String table = OutboxDatabases.uniqueName("pgbatchreadertest");
    private Connection reader;
    private Connection early;
    private Connection other;
    private Connection late;

    @BeforeEach
    void createTable() throws SQLException {
        reader = OutboxDatabases.POSTGRES.open();
        early = OutboxDatabases.POSTGRES.open();
        other = OutboxDatabases.POSTGRES.open();
        late = OutboxDatabases.POSTGRES.open();
        execute(reader, "CREATE TABLE " + table + " (id BIGSERIAL PRIMARY KEY, aggregateid TEXT, version INT)",
                "CREATE TABLE " + table + "_agg (id TEXT PRIMARY KEY, version INT NOT NULL)",
                "INSERT INTO " + table + "_agg VALUES ('a', 0), ('b', 0)");
    }

    @AfterEach
    void dropTable() throws SQLException {
        for (Connection c : List.of(early, other, late)) {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            c.close();
        }
        execute(reader, "DROP TABLE IF EXISTS " + table, "DROP TABLE IF EXISTS " + table + "_agg");
        reader.close();
    }

    private PostgresHorizonBatchReader batchReader() {
        return new PostgresHorizonBatchReader(table, "\"id\"", "\"aggregateid\"");
    }

    @Test
    void anAggregatesEventsComeInLockOrderWhenTheLaterTransactionTookItsIdFirst() throws SQLException {
        long earlyXid = begin(early);               // takes its transaction id, then does other work
        long otherXid = begin(other);               // an unrelated transaction that stays open: the horizon
        long lateXid = begin(late);
        bump(late, "a");                            // locks a first: version 1, commits
        late.commit();
        bump(early, "a");                           // now takes a's lock: version 2, event id after version 1's
        early.commit();
        assertThat(earlyXid).isLessThan(otherXid);
        assertThat(otherXid).isLessThan(lateXid);

        assertThat(batchReader().read(reader, OutboxPosition.START, 100))
                .as("version 2 is below the horizon, but version 1 of its aggregate is not yet").isEmpty();

        other.commit();
        var events = readAwaiting(OutboxPosition.START, 100, 2);
        assertThat(events).extracting(e -> e.columns().get("version")).containsExactly(1, 2);
        assertThat(events).extracting(e -> e.position().txid()).containsOnly(0L);
    }

    @Test
    void anotherAggregateIsNotHeldBackByIt() throws SQLException {
        begin(early);
        begin(other);
        begin(late);
        bump(late, "a");
        late.commit();
        bump(early, "b");
        early.commit();

        var events = readAwaiting(OutboxPosition.START, 100, 1);
        assertThat(events).extracting(e -> e.columns().get("aggregateid")).as("b's event is not behind a's").containsExactly("b");
        other.rollback();
        assertThat(readAwaiting(events.get(0).position(), 100, 1)).extracting(e -> e.columns().get("aggregateid"))
                .containsExactly("a");
    }

    @Test
    void aRestartInsideABatchReadsTheRestOfThatBatchInEventIdOrder() throws SQLException {
        execute(early, "INSERT INTO " + table + " (aggregateid, version) SELECT 'a', i FROM generate_series(1, 3) i");
        execute(other, "INSERT INTO " + table + " (aggregateid, version) SELECT 'a', i FROM generate_series(4, 5) i");
        var all = readAwaiting(OutboxPosition.START, 100, 5);
        var batch = all.get(0).position();

        var offset = all.get(1).position().toOffset();
        var resumed = OutboxPosition.fromOffset(Map.copyOf(offset)); // as read back from Kafka
        var rest = batchReader().read(reader, resumed, 100);

        assertThat(all).extracting(e -> e.position().txidEnd()).containsOnly(batch.txidEnd());
        assertThat(offset.keySet()).containsExactly("id", "txid", "txid.end");
        assertThat(rest).extracting(e -> e.columns().get("version")).containsExactly(3, 4, 5);
        assertThat(batchReader().read(reader, all.get(4).position(), 100)).as("the batch is done, nothing after").isEmpty();
    }

    @Test
    void anOffsetOfTheTransactionOrderedReaderResumesInsideItsTransaction() throws SQLException {
        execute(early, "INSERT INTO " + table + " (aggregateid, version) SELECT 'a', i FROM generate_series(1, 3) i");
        execute(other, "INSERT INTO " + table + " (aggregateid, version) VALUES ('a', 4)");
        var old = new PostgresHorizonReader(table, "\"id\"", true);
        List<OutboxEvent> first = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> old.read(reader, OutboxPosition.START, 2), events -> events.size() == 2);
        var previous = OutboxPosition.fromOffset(first.get(1).position().toOffset()); // {id, txid}, no txid.end

        var third = readAwaiting(previous, 100, 1);
        assertThat(third).extracting(e -> e.columns().get("version")).containsExactly(3);
        assertThat(readAwaiting(third.get(0).position(), 100, 1)).extracting(e -> e.columns().get("version"))
                .containsExactly(4);
    }

    @Test
    void deliveredIdsAreThoseOfEarlierBatchesAndOfThisBatchUpToItsLastId() throws SQLException {
        execute(early, "INSERT INTO " + table + " (aggregateid, version) SELECT 'a', i FROM generate_series(1, 4) i");
        var all = readAwaiting(OutboxPosition.START, 100, 4);
        execute(early, "INSERT INTO " + table + " (aggregateid, version) VALUES ('a', 5)");

        assertThat(batchReader().deliveredIds(reader, all.get(1).position(), 100)).containsExactlyInAnyOrder(1L, 2L);
        var next = readAwaiting(all.get(3).position(), 100, 1);
        assertThat(batchReader().deliveredIds(reader, next.get(0).position(), 100))
                .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L);
        assertThat(batchReader().deliveredIds(reader, OutboxPosition.START, 100)).isEmpty();
    }

    /** Bumps the aggregate's version under its row lock and inserts the event (the id is taken there). */
    private void bump(Connection c, String aggregate) throws SQLException {
        execute(c, "SELECT version FROM " + table + "_agg WHERE id = '" + aggregate + "' FOR UPDATE",
                "UPDATE " + table + "_agg SET version = version + 1 WHERE id = '" + aggregate + "'",
                "INSERT INTO " + table + " (aggregateid, version) SELECT id, version FROM " + table + "_agg WHERE id = '"
                        + aggregate + "'");
    }

    /** Opens a transaction and gives it its transaction id now, as a first write would. */
    private static long begin(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (var s = c.createStatement(); var rows = s.executeQuery("SELECT pg_current_xact_id()::text::bigint")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /**
     * Reads until {@code count} rows come (or 60 s pass): the server is shared, and another session's open
     * transaction holds the horizon, and so this reader, back until it ends.
     */
    private List<OutboxEvent> readAwaiting(OutboxPosition after, int max, int count) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> batchReader().read(reader, after, max), events -> events.size() >= count);
    }

    private static void execute(Connection c, String... sql) throws SQLException {
        try (var statement = c.createStatement()) {
            for (String s : sql) {
                statement.execute(s);
            }
        }
    }
}
