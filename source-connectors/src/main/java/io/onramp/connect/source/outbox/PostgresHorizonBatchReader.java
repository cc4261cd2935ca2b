package io.onramp.connect.source.outbox;

import static io.onramp.connect.source.outbox.PostgresHorizonReader.HORIZON;
import static io.onramp.connect.source.outbox.PostgresHorizonReader.HORIZON_COLUMN;
import static io.onramp.connect.source.outbox.PostgresHorizonReader.OWN_COLUMNS;
import static io.onramp.connect.source.outbox.PostgresHorizonReader.TXID_COLUMN;
import static io.onramp.connect.source.outbox.PostgresHorizonReader.TXID_EXPRESSION;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Commit order on PostgreSQL for an outbox table with an integer event id that the database assigns at the insert
 * (a sequence, identity or serial column), in horizon batches, so that each aggregate's events come out in the
 * order its transactions held the aggregate's lock, even when they took their transaction ids in another order.
 *
 * <p>A batch is the rows of the transactions {@code from <= txid < end}, where {@code end} is at most the horizon
 * {@code pg_snapshot_xmin(pg_current_snapshot())} read in the same statement as the rows (so every transaction of
 * the batch has ended and the batch can never gain a row), and is lowered by {@link HorizonBatch} until no
 * aggregate has a committed row after the batch that must come before one in it. The rows of a batch are
 * delivered in event-id order, in chunks of at most {@code max}; the next batch starts at {@code end}. The position
 * is (from, end, last event id delivered): a restarted task reads the rest of the same batch, in the same order.
 *
 * <p>What this guarantees, per aggregate: events in event-id order, which is the order the transactions took the
 * aggregate's lock when the id is assigned by the insert under that lock. Nothing is skipped and nothing delivered
 * twice (batches partition the transaction ids; each is read whole before the next). The price is the horizon's:
 * a long transaction anywhere in the cluster holds delivery back until it ends.
 */
final class PostgresHorizonBatchReader implements CommitOrderReader {

    private final String id;
    private final String candidatesSql;
    private final String batchSql;
    private final String deliveredSql;
    private boolean waiting;

    /**
     * @param qualifiedTable the outbox table, quoted
     * @param quotedId       the event id column, quoted: unique, an integer type
     * @param quotedKey      the aggregate key column, quoted, or null when the table has none (then the order
     *                       holds across all aggregates as if they were one)
     */
    PostgresHorizonBatchReader(String qualifiedTable, String quotedId, String quotedKey) {
        this.id = quotedId;
        String key = quotedKey == null ? "NULL" : "o." + quotedKey + "::text";
        this.candidatesSql = "SELECT h." + HORIZON_COLUMN + ", s." + TXID_COLUMN + ", s.id, s.key FROM " + HORIZON
                + " LEFT JOIN (SELECT " + TXID_EXPRESSION + " AS " + TXID_COLUMN + ", o." + quotedId + " AS id, " + key
                + " AS key FROM " + qualifiedTable + " o CROSS JOIN " + HORIZON + ") s ON s." + TXID_COLUMN + " >= ?";
        String rows = "SELECT * FROM (SELECT o.*, h." + HORIZON_COLUMN + ", " + TXID_EXPRESSION + " AS " + TXID_COLUMN
                + " FROM " + qualifiedTable + " o CROSS JOIN " + HORIZON + ") s";
        this.batchSql = rows + " WHERE s." + TXID_COLUMN + " >= ? AND s." + TXID_COLUMN + " < ? AND s." + quotedId
                + " > ? ORDER BY s." + quotedId + " LIMIT ?";
        this.deliveredSql = "SELECT s." + quotedId + " FROM (SELECT o." + quotedId + ", " + TXID_EXPRESSION + " AS "
                + TXID_COLUMN + " FROM " + qualifiedTable + " o CROSS JOIN " + HORIZON + ") s WHERE s." + TXID_COLUMN
                + " < ? OR (s." + TXID_COLUMN + " < ? AND s." + quotedId + " <= ?) LIMIT ?";
    }

    @Override
    public List<OutboxEvent> read(Connection connection, OutboxPosition after, int max) throws SQLException {
        waiting = false;
        long from = 0;
        if (!after.isStart()) {
            List<OutboxEvent> rest = batch(connection, after.txid(), after.batchEnd(), (Long) after.id(), max);
            if (!rest.isEmpty()) {
                return rest;
            }
            from = after.batchEnd();
        }
        var candidates = new ArrayList<HorizonBatch.Candidate>();
        long horizon = candidates(connection, from, candidates);
        long end = HorizonBatch.end(candidates, horizon);
        boolean any = candidates.stream().anyMatch(c -> c.txid() < end);
        if (!any || end <= from) {
            waiting = !candidates.isEmpty();
            return List.of();
        }
        return batch(connection, from, end, Long.MIN_VALUE, max);
    }

    /** Rows of committed transactions at or after {@code from} into {@code into}; returns the horizon. */
    private long candidates(Connection connection, long from, List<HorizonBatch.Candidate> into) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(candidatesSql)) {
            statement.setLong(1, from);
            long horizon = 0;
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    horizon = rows.getLong(1);
                    long txid = rows.getLong(2);
                    if (!rows.wasNull()) {
                        into.add(new HorizonBatch.Candidate(txid, rows.getLong(3), rows.getString(4)));
                    }
                }
            }
            return horizon;
        }
    }

    private List<OutboxEvent> batch(Connection connection, long from, long end, long afterId, int max) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(batchSql)) {
            statement.setLong(1, from);
            statement.setLong(2, end);
            statement.setLong(3, afterId);
            statement.setInt(4, max);
            var events = new ArrayList<OutboxEvent>(Math.min(max, 1024));
            try (var rows = statement.executeQuery()) {
                int idIndex = -1;
                while (rows.next()) {
                    if (idIndex < 0) {
                        idIndex = rows.findColumn(PostgresHorizonReader.unquoted(id));
                    }
                    var position = new OutboxPosition(from, end, rows.getLong(idIndex));
                    events.add(new OutboxEvent(position, RowValues.read(rows, OWN_COLUMNS)));
                }
            }
            return events;
        }
    }

    @Override
    public boolean waitingForCommits() {
        return waiting;
    }

    @Override
    public List<Object> deliveredIds(Connection connection, OutboxPosition committed, int max) throws SQLException {
        if (committed.isStart()) {
            return List.of();
        }
        try (PreparedStatement statement = connection.prepareStatement(deliveredSql)) {
            statement.setLong(1, committed.txid());
            statement.setLong(2, committed.batchEnd());
            statement.setLong(3, (Long) committed.id());
            statement.setInt(4, max);
            return CommitOrderReader.firstColumn(statement);
        }
    }
}
