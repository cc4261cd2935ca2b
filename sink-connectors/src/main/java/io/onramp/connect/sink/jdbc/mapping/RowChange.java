package io.onramp.connect.sink.jdbc.mapping;

import io.onramp.connect.core.jdbc.TableId;
import java.util.List;

/**
 * What one record does to one table: write a row (insert, upsert or update) or delete the row with a key.
 * Values are already converted for binding (see {@link SinkType}); {@code values} is empty for a delete.
 */
public record RowChange(TableId table, Kind kind, List<ColumnSpec> keyColumns, Object[] keyValues,
        List<ColumnSpec> valueColumns, Object[] values) {

    public enum Kind {
        INSERT, UPSERT, UPDATE, DELETE
    }

    /** Key and value column names, the part of a change that decides its SQL statement. */
    public Shape shape() {
        return new Shape(table, kind, keyColumns.stream().map(ColumnSpec::name).toList(),
                valueColumns.stream().map(ColumnSpec::name).toList());
    }

    /** Changes of equal shape share one prepared statement and go into one JDBC batch. */
    public record Shape(TableId table, Kind kind, List<String> keyColumns, List<String> valueColumns) {
    }
}
