package io.onramp.connect.source.outbox;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A result row as plain Java values the outbox routing understands: strings, numbers, booleans, UUIDs, bytes and
 * instants ({@link java.sql.Timestamp}). Vendor objects (PostgreSQL's json/jsonb, arrays, intervals) become their
 * text; wall-clock date-times are taken as UTC (the JDBC dialects read in a UTC session).
 */
final class RowValues {

    private RowValues() {
    }

    /** The columns of the current row, in result order, leaving out {@code skip} (the reader's own columns). */
    static Map<String, Object> read(ResultSet rows, Set<String> skip) throws SQLException {
        ResultSetMetaData meta = rows.getMetaData();
        var values = new LinkedHashMap<String, Object>(meta.getColumnCount() * 2);
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            String name = meta.getColumnLabel(i);
            if (!skip.contains(name)) {
                values.put(name, plain(rows, i));
            }
        }
        return values;
    }

    private static Object plain(ResultSet rows, int column) throws SQLException {
        Object value = rows.getObject(column);
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof UUID || value instanceof byte[] || value instanceof java.util.Date) {
            return value;
        }
        if (value instanceof LocalDateTime local) {
            return Timestamp.from(local.toInstant(ZoneOffset.UTC));
        }
        if (value instanceof OffsetDateTime offset) {
            return Timestamp.from(offset.toInstant());
        }
        return rows.getString(column);
    }
}
