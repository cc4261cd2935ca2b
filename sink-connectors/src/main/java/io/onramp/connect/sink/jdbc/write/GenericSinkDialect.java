package io.onramp.connect.sink.jdbc.write;

import io.onramp.connect.sink.jdbc.mapping.ColumnSpec;
import io.onramp.connect.sink.jdbc.mapping.RowChange;

/**
 * Any other JDBC database: standard SQL types and double-quoted identifiers; an upsert is an UPDATE followed by
 * an INSERT when no row matched, one record at a time.
 */
public class GenericSinkDialect extends SinkDialect {

    public GenericSinkDialect(io.onramp.connect.core.jdbc.Dialect base) {
        super(base);
    }

    @Override
    public boolean nativeUpsert() {
        return false;
    }

    @Override
    protected String upsert(RowChange.Shape shape) {
        return insert(shape);
    }

    @Override
    public String addColumn(io.onramp.connect.core.jdbc.TableId table, ColumnSpec column) {
        return "ALTER TABLE " + table(table) + " ADD " + quote(column.name()) + " " + columnType(column, false);
    }

    @Override
    public String createTable(io.onramp.connect.core.jdbc.TableId table, java.util.List<ColumnSpec> keys,
            java.util.List<ColumnSpec> values) {
        return super.createTable(table, keys, values).replace("CREATE TABLE IF NOT EXISTS ", "CREATE TABLE ");
    }

    @Override
    public String columnType(ColumnSpec column, boolean key) {
        return switch (column.type()) {
            case BOOLEAN -> "BOOLEAN";
            case INT16 -> "SMALLINT";
            case INT32 -> "INTEGER";
            case INT64 -> "BIGINT";
            case FLOAT32 -> "REAL";
            case FLOAT64 -> "DOUBLE PRECISION";
            case DECIMAL -> "DECIMAL(" + (column.precision() > 0 ? column.precision() : 38) + ", "
                    + Math.max(0, column.scale()) + ")";
            case STRING, JSON -> key ? "VARCHAR(255)" : "VARCHAR(4000)";
            case BYTES -> key ? "VARBINARY(255)" : "VARBINARY(4000)";
            case DATE -> "DATE";
            case TIME -> "TIME";
            case TIMESTAMP -> "TIMESTAMP";
        };
    }
}
