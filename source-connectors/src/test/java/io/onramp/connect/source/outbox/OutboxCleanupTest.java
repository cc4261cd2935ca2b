package io.onramp.connect.source.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The cleanup deletes up to the position Connect committed, never up to the one last handed to Connect. */
class OutboxCleanupTest {

    @Test
    void postgresDeletesOnlyRowsAtOrBeforeTheCommittedPosition() throws SQLException {
        String table = OutboxDatabases.uniqueName("outboxcleanuptest");
        try (Connection c = OutboxDatabases.POSTGRES.open()) {
            execute(c, "CREATE TABLE " + table + " (id BIGSERIAL PRIMARY KEY, aggregateid TEXT)");
            try {
                execute(c, "INSERT INTO " + table + " (aggregateid) SELECT 'a' || i FROM generate_series(1, 10) i");
                var reader = new PostgresHorizonBatchReader(table, "\"id\"", "\"aggregateid\"");
                // another session's open transaction on the shared server holds the horizon back until it ends
                List<OutboxEvent> delivered = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> reader.read(c, OutboxPosition.START, 100), rows -> rows.size() == 10);
                assertCleanupFollowsTheCommittedPosition(c, table, reader, delivered);
            } finally {
                execute(c, "DROP TABLE " + table);
            }
        }
    }

    @Test
    void mariaDbDeletesOnlyRowsAtOrBeforeTheCommittedPosition() throws SQLException {
        String table = OutboxDatabases.uniqueName("outboxcleanuptest");
        try (Connection c = OutboxDatabases.MARIADB.open()) {
            execute(c, "CREATE TABLE " + table + " (id BIGINT AUTO_INCREMENT PRIMARY KEY, aggregateid VARCHAR(20))");
            try {
                execute(c, "INSERT INTO " + table + " (aggregateid) SELECT CONCAT('a', seq) FROM seq_1_to_10");
                var reader = new MariaDbGapReader(table, "`id`", 60_000, gap -> { }, new NanoClock());
                assertCleanupFollowsTheCommittedPosition(c, table, reader, reader.read(c, OutboxPosition.START, 100));
            } finally {
                execute(c, "DROP TABLE " + table);
            }
        }
    }

    private static void assertCleanupFollowsTheCommittedPosition(Connection c, String table, CommitOrderReader reader,
            List<OutboxEvent> delivered) throws SQLException {
        assertThat(delivered).hasSize(10);
        var committed = new AtomicReference<>(OutboxPosition.START);
        var metrics = new OutboxSourceMetrics();
        var cleanup = new OutboxCleanup(table, c.getMetaData().getURL().startsWith("jdbc:postgresql") ? "\"id\"" : "`id`",
                reader, committed::get, 3, metrics);

        cleanup.runIfRequested(c);
        assertThat(ids(c, table)).as("no commit reported yet").hasSize(10);

        cleanup.offsetsCommitted();
        cleanup.runIfRequested(c);
        assertThat(ids(c, table)).as("nothing committed yet: all 10 were handed over, none committed").hasSize(10);

        committed.set(delivered.get(6).position());
        cleanup.runIfRequested(c);
        assertThat(ids(c, table)).as("a commit must be reported first").hasSize(10);

        cleanup.offsetsCommitted();
        cleanup.runIfRequested(c);
        assertThat(ids(c, table)).as("rows 1..7 committed, deleted in batches of 3").containsExactly(8L, 9L, 10L);
        assertThat(metrics.getRowsDeleted()).isEqualTo(7);
    }

    private static List<Long> ids(Connection c, String table) throws SQLException {
        var ids = new ArrayList<Long>();
        try (var s = c.createStatement(); var rows = s.executeQuery("SELECT id FROM " + table + " ORDER BY id")) {
            while (rows.next()) {
                ids.add(rows.getLong(1));
            }
        }
        return ids;
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (var s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
