package io.onramp.connect.source.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The incremental modes on a PostgreSQL table: each round reads the row versions written by the transactions of
 * one {@link XidWindow} {@code [from, to)}, {@code to} being the horizon below which every transaction has ended, in
 * the mode's order (incrementing column, timestamp, or both). The next round starts at {@code to}. No row is lost
 * whatever order transactions take ids and commit in; a row UPDATEd later is read again in the window of the
 * updating transaction (with its new values), in every mode.
 *
 * <p>Offset: {@code xid.from} (absent for the first window), {@code xid.to}, and the position of the record in
 * the window ({@code id}, {@code ts}). A restarted task resumes the same window after that position, so a record
 * is never emitted twice in {@code incrementing} and {@code timestamp+incrementing}; in {@code timestamp} rows
 * with the same timestamp as the last one emitted are read again.
 */
final class XidWindowReader extends IncrementalReader {

    static final String FROM = "xid.from";
    static final String TO = "xid.to";
    static final String ID = "id";
    static final String TS = "ts";

    private Long from;   // null: the first window
    private Long to;     // null: no window in progress
    private Long lastId; // position within the window in progress (with lastTs)

    XidWindowReader(ReadTarget target, ReaderContext ctx, Map<String, Object> offset) {
        super(target, ctx);
        if (offset != null && offset.get(TO) instanceof Number stored) {
            this.to = stored.longValue();
            this.from = offset.get(FROM) instanceof Number f ? f.longValue() : null;
            this.lastId = offset.get(ID) instanceof Number id ? id.longValue() : null;
            resumeTimestamp((String) offset.get(TS));
        }
    }

    @Override
    protected List<QueryPlan> plan(Connection c) throws SQLException {
        if (c.getAutoCommit()) {
            c.setAutoCommit(false);
        }
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        long horizon;
        long xmax;
        try (var statement = c.createStatement(); ResultSet rs = statement.executeQuery(XidWindow.HORIZON_SQL)) {
            rs.next();
            horizon = rs.getLong(1);
            xmax = rs.getLong(2);
        }
        if (to == null) {
            if (from != null && horizon <= from) {
                return List.of(); // no transaction ended since the last window
            }
            to = horizon;
            lastId = null;
            lastTs = null;
        }
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT * FROM ").append(target.from(dialect)).append(" WHERE ");
        sql.append(XidWindow.condition(from == null));
        long low = XidWindow.low32(to);
        if (from == null) {
            params.add(low);
            params.add(low);
            params.add(Math.max(0, xmax - to)); // every transaction at or after 'to' belongs to a later window
        } else {
            params.add(low);
            params.add(from - to);
            params.add(low);
        }
        if (columns.timestampSql() != null) {
            sql.append(" AND ").append(columns.timestampSql()).append(" IS NOT NULL");
        }
        appendPosition(sql, params);
        sql.append(" ORDER BY ").append(columns.orderBy());
        return List.of(new QueryPlan(sql.toString(), params, this::onRow));
    }

    /** Resuming a window part-way (after a restart or a failed round): only rows after the last emitted one. */
    private void appendPosition(StringBuilder sql, List<Object> params) {
        String inc = columns.incrementingSql();
        String ts = columns.timestampSql();
        switch (columns.mode) {
            case INCREMENTING -> {
                if (lastId != null) {
                    sql.append(" AND ").append(inc).append(" > ?");
                    params.add(lastId);
                }
            }
            case TIMESTAMP -> {
                if (lastTs != null) {
                    sql.append(" AND ").append(ts).append(" >= ?");
                    params.add(lastTs);
                }
            }
            case TIMESTAMP_INCREMENTING -> {
                if (lastTs != null && lastId != null) {
                    sql.append(" AND (").append(ts).append(" > ? OR (").append(ts).append(" = ? AND ").append(inc).append(" > ?))");
                    params.add(lastTs);
                    params.add(lastTs);
                    params.add(lastId);
                }
            }
            default -> throw new IllegalStateException("not an incremental mode: " + columns.mode);
        }
    }

    /** Reads all of the row before it moves the position: a row that fails to read leaves it as it was. */
    private org.apache.kafka.connect.source.SourceRecord onRow(ResultSet rs, RowConverter converter) throws SQLException {
        Long id = columns.incrementing != null ? columns.readIncrementing(rs) : null;
        Object ts = columns.timestamps.isEmpty() ? null : columns.readTimestamp(rs);
        org.apache.kafka.connect.data.Struct value = converter.value(rs);
        if (columns.incrementing != null) {
            lastId = id;
        }
        if (!columns.timestamps.isEmpty()) {
            lastTs = ts;
        }
        return record(converter, value, offset());
    }

    private Map<String, Object> offset() {
        var offset = new TreeMap<String, Object>();
        if (from != null) {
            offset.put(FROM, from);
        }
        offset.put(TO, to);
        if (lastId != null) {
            offset.put(ID, lastId);
        }
        if (lastTs != null) {
            offset.put(TS, columns.timestampValues.encode(lastTs));
        }
        return offset;
    }

    @Override
    protected void roundFinished() {
        if (to != null) {
            from = to;
            to = null;
            lastId = null;
            lastTs = null;
        }
    }
}
