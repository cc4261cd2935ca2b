package io.onramp.connect.sink.jdbc.write;

import io.onramp.connect.sink.jdbc.mapping.ColumnSpec;
import io.onramp.connect.sink.jdbc.mapping.RowChange;
import java.util.stream.Collectors;

/**
 * MariaDB and MySQL: INSERT ... ON DUPLICATE KEY UPDATE c = VALUES(c). Key columns of text or bytes get bounded
 * types (VARCHAR(255), VARBINARY(255)): InnoDB cannot index TEXT or BLOB columns whole.
 */
public class MariaDbSinkDialect extends SinkDialect {

    public MariaDbSinkDialect(io.onramp.connect.core.jdbc.Dialect base) {
        super(base);
    }

    @Override
    protected String upsert(RowChange.Shape shape) {
        String insert = insert(shape) + " ON DUPLICATE KEY UPDATE ";
        if (shape.valueColumns().isEmpty()) {
            String first = quote(shape.keyColumns().get(0));
            return insert + first + " = " + first;
        }
        return insert + shape.valueColumns().stream()
                .map(c -> quote(c) + " = VALUES(" + quote(c) + ")").collect(Collectors.joining(", "));
    }

    @Override
    public String columnType(ColumnSpec column, boolean key) {
        return switch (column.type()) {
            case BOOLEAN -> "BOOLEAN";
            case INT16 -> "SMALLINT";
            case INT32 -> "INT";
            case INT64 -> "BIGINT";
            case FLOAT32 -> "FLOAT";
            case FLOAT64 -> "DOUBLE";
            case DECIMAL -> column.scale() < 0 ? "DECIMAL(65, 30)"
                    : "DECIMAL(" + Math.min(65, column.precision() > 0 ? column.precision() : 65) + ", "
                            + Math.min(30, column.scale()) + ")";
            case STRING -> key ? "VARCHAR(255)" : "LONGTEXT";
            case BYTES -> key ? "VARBINARY(255)" : "LONGBLOB";
            case DATE -> "DATE";
            case TIME -> "TIME(6)";
            case TIMESTAMP -> "DATETIME(6)";
            case JSON -> "JSON";
        };
    }
}
