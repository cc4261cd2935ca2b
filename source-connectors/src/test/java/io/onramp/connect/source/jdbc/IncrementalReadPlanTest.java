package io.onramp.connect.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.core.jdbc.ColumnMapper;
import io.onramp.connect.core.jdbc.Dialects;
import io.onramp.connect.core.jdbc.JdbcConnectionFactory;
import io.onramp.connect.core.jdbc.TableId;
import io.onramp.connect.source.outbox.OutboxDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The query plans of the incremental reads of a 100,000-row PostgreSQL table, by EXPLAIN on the real server: the
 * horizon-bounded read scans the table (xmin has no index); with transaction.horizon.enabled=false the read of
 * what is new takes the incrementing column's index.
 */
class IncrementalReadPlanTest {

    private static final int ROWS = 100_000;

    @Test
    void withoutTheHorizonTheReadOfNewRowsTakesTheIncrementingColumnsIndexWithItTheTableIsScanned() throws Exception {
        var db = OutboxDatabases.POSTGRES;
        String table = OutboxDatabases.uniqueName("plan");
        try (Connection c = db.open(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v TEXT)");
            s.execute("INSERT INTO " + table + " SELECT g, 'row ' || g FROM generate_series(1, " + ROWS + ") g");
            s.execute("ANALYZE " + table);
            var target = new ReadTarget(new TableId(null, "public", table), null, "plan." + table, List.of("id"), false);

            ReaderContext ranges = context(db, false);
            assertThat(JdbcSourceTask.usesTransactionHorizon(target, ranges.dialect(), ranges.config())).isFalse();
            try (var reader = new GapTrackingReader(target, ranges, null)) {
                assertThat(readAll(reader)).isEqualTo(ROWS);
                String plan = explain(c, reader.plan(c).get(0));
                assertThat(plan).as(plan).contains("Index Scan").contains("Index Cond").doesNotContain("Seq Scan");
            }

            ReaderContext horizon = context(db, true);
            assertThat(JdbcSourceTask.usesTransactionHorizon(target, horizon.dialect(), horizon.config())).isTrue();
            try (var reader = new XidWindowReader(target, horizon, null)) {
                assertThat(readAll(reader)).isEqualTo(ROWS);
                s.execute("INSERT INTO " + table + " VALUES (" + (ROWS + 1) + ", 'new')");
                try (Connection other = db.open()) {
                    other.setAutoCommit(false);
                    String plan = explain(other, reader.plan(other).get(0));
                    other.rollback();
                    assertThat(plan).as(plan).contains("Seq Scan");
                }
            }
        } finally {
            try (Connection c = db.open(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + table);
            }
        }
    }

    private static ReaderContext context(OutboxDatabases db, boolean horizon) {
        Map<String, String> props = new HashMap<>();
        props.put("connection.url", db.url());
        props.put("connection.user", OutboxDatabases.user());
        props.put("connection.password", OutboxDatabases.password());
        props.put("mode", "incrementing");
        props.put("incrementing.column.name", "id");
        props.put("topic.prefix", "plan.");
        props.put("batch.max.rows", "10000");
        props.put("transaction.horizon.enabled", String.valueOf(horizon));
        var config = new JdbcSourceConfig(props);
        var dialect = Dialects.forUrl(db.url());
        return new ReaderContext(config, new JdbcConnectionFactory(config.connection(), dialect), dialect,
                new ColumnMapper(dialect, config.numericMapping(), config.dbTimeZone()), Clock.systemUTC(), "plan-test");
    }

    /** Polls one round to its end (the round's records counted). */
    private static int readAll(TableReader reader) throws Exception {
        int count = 0;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            var batch = reader.poll(10_000, System.currentTimeMillis());
            if (batch == null) {
                return count;
            }
            count += batch.size();
        }
        throw new AssertionError("the round did not end within 60 s");
    }

    private static String explain(Connection c, TableReader.QueryPlan plan) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + plan.sql())) {
            for (int i = 0; i < plan.params().size(); i++) {
                ps.setObject(i + 1, plan.params().get(i));
            }
            var out = new StringBuilder();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.append(rs.getString(1)).append('\n');
                }
            }
            return out.toString();
        }
    }
}
