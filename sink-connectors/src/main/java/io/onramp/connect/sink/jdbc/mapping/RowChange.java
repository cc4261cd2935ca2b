package io.onramp.connect.sink.jdbc.mapping;

import io.onramp.connect.core.jdbc.TableId;
import java.util.List;

/**
 * What one record does to one table: write a row (insert, upsert or update) or delete the row with a key.
 * Values are already converted for binding (see {@link SinkType}); {@code values} is empty for a delete. The
 * {@link Shape} (table, kind, column names) decides the SQL statement; the mapper builds it from cached lists, so
 * comparing the shapes of consecutive changes is cheap.
 */
public record RowChange(Shape shape, List<ColumnSpec> keyColumns, Object[] keyValues, List<ColumnSpec> valueColumns,
        Object[] values) {

    public enum Kind {
        INSERT, UPSERT, UPDATE, DELETE
    }

    public RowChange(TableId table, Kind kind, List<ColumnSpec> keyColumns, Object[] keyValues,
            List<ColumnSpec> valueColumns, Object[] values) {
        this(new Shape(table, kind, names(keyColumns), names(valueColumns)), keyColumns, keyValues, valueColumns, values);
    }

    static List<String> names(List<ColumnSpec> columns) {
        return columns.stream().map(ColumnSpec::name).toList();
    }

    public TableId table() {
        return shape.table();
    }

    public Kind kind() {
        return shape.kind();
    }

    /** Changes of equal shape share one prepared statement and go into one JDBC batch. */
    public record Shape(TableId table, Kind kind, List<String> keyColumns, List<String> valueColumns) {
    }
}
