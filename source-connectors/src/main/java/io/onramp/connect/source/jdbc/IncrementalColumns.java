package io.onramp.connect.source.jdbc;

import io.onramp.connect.core.jdbc.ColumnDescriptor;
import io.onramp.connect.core.jdbc.Dialect;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.connect.errors.ConnectException;

/** The incrementing and timestamp columns of an incremental mode: their SQL and how their values are read. */
final class IncrementalColumns {

    final JdbcMode mode;
    final String incrementing;            // null unless the mode uses it
    final List<String> timestamps;        // empty unless the mode uses them
    private final String incrementingSql;
    private final String timestampSql;
    private int incrementingIndex;        // 1-based
    private int[] timestampIndexes;       // 1-based
    TimestampValues timestampValues;

    IncrementalColumns(JdbcSourceConfig config, Dialect dialect) {
        this.mode = config.mode();
        this.incrementing = mode.usesIncrementing() ? config.incrementingColumn() : null;
        this.timestamps = mode.usesTimestamp() ? config.timestampColumns() : List.of();
        this.incrementingSql = incrementing == null ? null : dialect.quoteIdentifier(incrementing);
        this.timestampSql = timestamps.isEmpty() ? null : timestamps.size() == 1 ? dialect.quoteIdentifier(timestamps.get(0))
                : timestamps.stream().map(dialect::quoteIdentifier).collect(Collectors.joining(", ", "COALESCE(", ")"));
    }

    /** Finds the columns in a result of the target by name and checks their types; errors name the key. */
    void resolve(List<ColumnDescriptor> columns, ReadTarget target, Dialect dialect, java.time.ZoneId dbTimeZone) {
        if (incrementing != null) {
            int i = TableReader.requireColumn(columns, incrementing, JdbcSourceConfig.INCREMENTING_COLUMN, target);
            if (!isInteger(columns.get(i))) {
                throw new ConnectException("column '" + incrementing + "' of " + target.describe() + " named in '"
                        + JdbcSourceConfig.INCREMENTING_COLUMN + "' is " + columns.get(i).typeName() + ", not an integer type");
            }
            incrementingIndex = i + 1;
        }
        List<Integer> indexes = new ArrayList<>();
        for (String column : timestamps) {
            int i = TableReader.requireColumn(columns, column, JdbcSourceConfig.TIMESTAMP_COLUMNS, target);
            if (!TimestampValues.fits(columns.get(i))) {
                throw new ConnectException("column '" + column + "' of " + target.describe() + " named in '"
                        + JdbcSourceConfig.TIMESTAMP_COLUMNS + "' is " + columns.get(i).typeName() + ", not a timestamp or date type");
            }
            indexes.add(i + 1);
        }
        timestampIndexes = indexes.stream().mapToInt(Integer::intValue).toArray();
        if (!timestamps.isEmpty() && timestampValues == null) { // offsets keep the encoding the task started with
            timestampValues = TimestampValues.of(columns.get(timestampIndexes[0] - 1), dialect, dbTimeZone);
        }
    }

    static boolean isInteger(ColumnDescriptor column) {
        return switch (column.jdbcType()) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> true;
            case Types.NUMERIC, Types.DECIMAL -> column.scale() == 0 && column.precision() > 0;
            default -> false;
        };
    }

    String incrementingSql() {
        return incrementingSql;
    }

    String timestampSql() {
        return timestampSql;
    }

    /** ORDER BY of the mode: timestamp, then incrementing. */
    String orderBy() {
        List<String> parts = new ArrayList<>();
        if (timestampSql != null) {
            parts.add(timestampSql);
        }
        if (incrementingSql != null) {
            parts.add(incrementingSql);
        }
        return String.join(", ", parts);
    }

    long readIncrementing(ResultSet rs) throws SQLException {
        return rs.getLong(incrementingIndex);
    }

    /** The first non-null timestamp column of the row (what COALESCE gives the database). */
    Object readTimestamp(ResultSet rs) throws SQLException {
        for (int index : timestampIndexes) {
            Object value = timestampValues.read(rs, index);
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
