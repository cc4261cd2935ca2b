package io.onramp.connect.sink.jdbc.write;

import io.onramp.connect.sink.jdbc.mapping.TableId;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

/** The columns an existing table has, as the driver reports them, and the row schema that types schemaless records. */
public final class TableDefinition {

    private final TableId table;
    private final Map<String, Column> columns;
    private final Map<String, String> lowerCaseNames = new LinkedHashMap<>();
    private final Schema rowSchema;

    public record Column(String name, int jdbcType, String typeName, int precision, int scale) {
    }

    TableDefinition(TableId table, Map<String, Column> columns) {
        this.table = table;
        this.columns = Map.copyOf(columns);
        columns.keySet().forEach(name -> lowerCaseNames.putIfAbsent(name.toLowerCase(Locale.ROOT), name));
        var builder = SchemaBuilder.struct().optional();
        columns.values().forEach(column -> {
            Schema schema = schemaOf(column);
            if (schema != null) {
                builder.field(column.name(), schema);
            }
        });
        this.rowSchema = builder.build();
    }

    static TableDefinition of(TableId table, ResultSetMetaData meta) throws SQLException {
        var columns = new LinkedHashMap<String, Column>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            String name = meta.getColumnName(i);
            columns.put(name, new Column(name, meta.getColumnType(i), meta.getColumnTypeName(i),
                    meta.getPrecision(i), meta.getScale(i)));
        }
        return new TableDefinition(table, columns);
    }

    public TableId table() {
        return table;
    }

    /**
     * Whether the table has the column; exact names first, then ignoring case (MariaDB compares column names
     * without case, and a column created by hand may differ only in case).
     */
    public boolean hasColumn(String name) {
        return columns.containsKey(name) || lowerCaseNames.containsKey(name.toLowerCase(Locale.ROOT));
    }

    public Map<String, Column> columns() {
        return columns;
    }

    /** The columns as a Connect schema (all optional), for typing schemaless records by the table. */
    public Schema rowSchema() {
        return rowSchema;
    }

    private static Schema schemaOf(Column column) {
        String typeName = column.typeName() == null ? "" : column.typeName().toLowerCase(Locale.ROOT);
        return switch (column.jdbcType()) {
            case Types.BIT, Types.BOOLEAN -> column.precision() > 1 && column.jdbcType() == Types.BIT
                    ? Schema.OPTIONAL_BYTES_SCHEMA : Schema.OPTIONAL_BOOLEAN_SCHEMA;
            case Types.TINYINT, Types.SMALLINT -> Schema.OPTIONAL_INT16_SCHEMA;
            case Types.INTEGER -> typeName.contains("unsigned") ? Schema.OPTIONAL_INT64_SCHEMA : Schema.OPTIONAL_INT32_SCHEMA;
            case Types.BIGINT -> Schema.OPTIONAL_INT64_SCHEMA;
            case Types.REAL -> Schema.OPTIONAL_FLOAT32_SCHEMA;
            case Types.FLOAT, Types.DOUBLE -> Schema.OPTIONAL_FLOAT64_SCHEMA;
            case Types.NUMERIC, Types.DECIMAL -> Decimal.builder(Math.max(0, column.scale())).optional().build();
            case Types.DATE -> Date.builder().optional().build();
            case Types.TIME, Types.TIME_WITH_TIMEZONE -> Time.builder().optional().build();
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> Timestamp.builder().optional().build();
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> Schema.OPTIONAL_BYTES_SCHEMA;
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
                    Types.CLOB, Types.NCLOB -> Schema.OPTIONAL_STRING_SCHEMA;
            default -> typeName.startsWith("json") ? JSON_TEXT : Schema.OPTIONAL_STRING_SCHEMA;
        };
    }

    /** A JSON column: schemaless values go in as JSON text. */
    static final Schema JSON_TEXT = SchemaBuilder.string().name("io.debezium.data.Json").optional().build();
}
