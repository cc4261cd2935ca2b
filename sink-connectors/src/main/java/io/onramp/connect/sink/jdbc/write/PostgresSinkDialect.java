package io.onramp.connect.sink.jdbc.write;

import io.onramp.connect.sink.jdbc.mapping.ColumnSpec;
import io.onramp.connect.sink.jdbc.mapping.RowChange;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.stream.Collectors;

/** PostgreSQL: INSERT ... ON CONFLICT (key) DO UPDATE SET c = EXCLUDED.c; JSON as jsonb. */
public class PostgresSinkDialect extends SinkDialect {

    public PostgresSinkDialect(io.onramp.connect.core.jdbc.Dialect base) {
        super(base);
    }

    @Override
    protected String upsert(RowChange.Shape shape) {
        String insert = insert(shape) + " ON CONFLICT (" + list(shape.keyColumns()) + ") DO ";
        if (shape.valueColumns().isEmpty()) {
            return insert + "NOTHING";
        }
        return insert + "UPDATE SET " + shape.valueColumns().stream()
                .map(c -> quote(c) + " = EXCLUDED." + quote(c)).collect(Collectors.joining(", "));
    }

    @Override
    public String columnType(ColumnSpec column, boolean key) {
        return switch (column.type()) {
            case BOOLEAN -> "boolean";
            case INT16 -> "smallint";
            case INT32 -> "integer";
            case INT64 -> "bigint";
            case FLOAT32 -> "real";
            case FLOAT64 -> "double precision";
            case DECIMAL -> column.scale() < 0 ? "numeric"
                    : "numeric(" + (column.precision() > 0 ? column.precision() : 38) + ", " + column.scale() + ")";
            case STRING -> "text";
            case BYTES -> "bytea";
            case DATE -> "date";
            case TIME -> "time(6)";
            case TIMESTAMP -> "timestamp(6)";
            case JSON -> "jsonb";
        };
    }

    /** Typed as 'other' so that the server casts the text to the column's json, jsonb or text type. */
    @Override
    protected void bindJson(PreparedStatement statement, int index, String json) throws SQLException {
        statement.setObject(index, json, Types.OTHER);
    }
}
