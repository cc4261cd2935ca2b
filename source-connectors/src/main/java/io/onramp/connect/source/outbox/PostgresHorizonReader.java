package io.onramp.connect.source.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Commit order on PostgreSQL (13 and later) from the transaction snapshot horizon, on any outbox table layout.
 *
 * <p>Every row carries the id of the transaction that inserted it ({@code xmin}). The horizon {@code
 * pg_snapshot_xmin(pg_current_snapshot())} is the oldest transaction still running: every transaction below it
 * has ended, committed or rolled back, and nothing can ever again be inserted with an id below it. This reader
 * delivers only rows whose transaction is below the horizon of the very statement that reads them, ordered by
 * (transaction id, event id); the position is the last (transaction id, event id) delivered. A row whose
 * transaction commits late is therefore never passed over: while its transaction runs the horizon stays at or
 * below it, and nothing after it is delivered. The price is latency: a long transaction anywhere in the cluster
 * holds delivery back until it ends.
 *
 * <p>{@code xmin} is a 32-bit counter that wraps around. The reader widens it to 64 bits next to the horizon
 * (an {@code xid8}): a live row's {@code xmin} is always within 2^31 transactions of the current one (PostgreSQL's
 * own wraparound protection), so the widened value is exact. A row inserted in a subtransaction (a savepoint)
 * carries the subtransaction's id, which is greater than its parent's and so also stays above the horizon while
 * the parent runs. Outbox rows must be insert-only: an UPDATE gives a row a new {@code xmin}.
 *
 * <p>Used for event ids that are not integers (uuid, text), whose order says nothing. Per aggregate, rows come out
 * in the order of their transactions' ids; several events of one transaction in event-id order. That is commit
 * order when a transaction takes its id (its first write) after the previous transaction of the aggregate
 * committed; transactions that contend for an aggregate's lock can take their ids in either order (PostgreSQL
 * assigns the id before the lock wait), so two such events may swap. Delivery is still complete and exactly once.
 * Integer ids assigned at the insert go through {@link PostgresHorizonBatchReader}, which keeps that order too.
 */
final class PostgresHorizonReader implements CommitOrderReader {

    static final String TXID_COLUMN = "onramp__txid";
    static final String HORIZON_COLUMN = "onramp__horizon";

    static final Set<String> OWN_COLUMNS = Set.of(TXID_COLUMN, HORIZON_COLUMN);

    /** The row's xmin widened to 64 bits around the horizon: horizon + signed 32-bit distance. */
    static final String TXID_EXPRESSION = "h." + HORIZON_COLUMN
            + " + ((o.xmin::text::bigint - h." + HORIZON_COLUMN + " % 4294967296 + 6442450944) % 4294967296) - 2147483648";
    static final String HORIZON = "(SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS "
            + HORIZON_COLUMN + ") h";

    private final String id;
    private final boolean numericId;
    private final String firstReadSql;
    private final String nextReadSql;
    private final String deliveredSql;

    /**
     * @param qualifiedTable the outbox table, quoted
     * @param quotedId       the event id column, quoted; it must be unique (the table's primary key)
     * @param numericId      whether the id column is an integer type (the position then keeps a number)
     */
    PostgresHorizonReader(String qualifiedTable, String quotedId, boolean numericId) {
        this.id = quotedId;
        this.numericId = numericId;
        String select = "SELECT * FROM (SELECT o.*, h." + HORIZON_COLUMN + ", " + TXID_EXPRESSION + " AS " + TXID_COLUMN
                + " FROM " + qualifiedTable + " o CROSS JOIN " + HORIZON + ") s WHERE s." + TXID_COLUMN + " < s." + HORIZON_COLUMN;
        String order = " ORDER BY s." + TXID_COLUMN + ", s." + quotedId + " LIMIT ?";
        this.firstReadSql = select + order;
        this.nextReadSql = select + " AND (s." + TXID_COLUMN + " > ? OR (s." + TXID_COLUMN + " = ? AND s." + quotedId + " > ?))" + order;
        this.deliveredSql = "SELECT s." + quotedId + " FROM (SELECT o." + quotedId + ", " + TXID_EXPRESSION + " AS " + TXID_COLUMN
                + " FROM " + qualifiedTable + " o CROSS JOIN " + HORIZON + ") s WHERE s." + TXID_COLUMN + " < ? OR (s."
                + TXID_COLUMN + " = ? AND s." + quotedId + " <= ?) LIMIT ?";
    }

    @Override
    public List<OutboxEvent> read(Connection connection, OutboxPosition after, int max) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(after.isStart() ? firstReadSql : nextReadSql)) {
            int p = 1;
            if (!after.isStart()) {
                statement.setLong(p++, after.txid());
                statement.setLong(p++, after.txid());
                bindId(statement, p++, after.id());
            }
            statement.setInt(p, max);
            var events = new ArrayList<OutboxEvent>(Math.min(max, 1024));
            try (var rows = statement.executeQuery()) {
                int idIndex = -1;
                while (rows.next()) {
                    if (idIndex < 0) {
                        idIndex = rows.findColumn(unquoted(id));
                    }
                    long txid = rows.getLong(TXID_COLUMN);
                    Object eventId = numericId ? (Object) rows.getLong(idIndex) : rows.getString(idIndex);
                    events.add(new OutboxEvent(new OutboxPosition(txid, eventId), RowValues.read(rows, OWN_COLUMNS)));
                }
            }
            return events;
        }
    }

    @Override
    public List<Object> deliveredIds(Connection connection, OutboxPosition committed, int max) throws SQLException {
        if (committed.isStart()) {
            return List.of();
        }
        try (PreparedStatement statement = connection.prepareStatement(deliveredSql)) {
            statement.setLong(1, committed.txid());
            statement.setLong(2, committed.txid());
            bindId(statement, 3, committed.id());
            statement.setInt(4, max);
            return CommitOrderReader.firstColumn(statement);
        }
    }

    private void bindId(PreparedStatement statement, int index, Object value) throws SQLException {
        if (numericId) {
            statement.setLong(index, (Long) value);
        } else {
            statement.setObject(index, value, Types.OTHER); // typed by the server as the column's type (uuid, text)
        }
    }

    /** The column label the driver reports for a quoted identifier. */
    static String unquoted(String quoted) {
        if (quoted.length() >= 2 && quoted.charAt(0) == '"' && quoted.charAt(quoted.length() - 1) == '"') {
            return quoted.substring(1, quoted.length() - 1).replace("\"\"", "\"");
        }
        return quoted;
    }
}
