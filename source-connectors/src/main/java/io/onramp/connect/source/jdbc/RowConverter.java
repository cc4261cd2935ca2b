package io.onramp.connect.source.jdbc;

import io.onramp.connect.core.jdbc.ColumnDescriptor;
import io.onramp.connect.core.jdbc.ColumnMapper;
import io.onramp.connect.core.jdbc.ColumnMapping;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/** Rows of one result shape to Connect Structs: the value (every column) and the key (the key columns). */
final class RowConverter {

    private final List<ColumnDescriptor> columns;
    private final List<ColumnMapping> mappings;
    private final Schema valueSchema;
    private final Schema keySchema;
    private final List<String> keyColumns;

    RowConverter(List<ColumnDescriptor> columns, ColumnMapper mapper, List<String> keyColumns) {
        this(columns, mapper, keyColumns, null, null);
    }

    /** @param json the contract's typing of JSON columns, or null; {@code target} names the table in its errors */
    RowConverter(List<ColumnDescriptor> columns, ColumnMapper mapper, List<String> keyColumns, JsonColumns json, String target) {
        this.columns = columns;
        this.mappings = json == null ? mapper.map(columns) : mapper.map(columns).stream().map(m -> json.apply(m, target)).toList();
        SchemaBuilder value = SchemaBuilder.struct();
        for (ColumnMapping mapping : mappings) {
            value.field(mapping.column().name(), mapping.schema());
        }
        this.valueSchema = value.build();
        List<String> present = keyColumns.stream().filter(k -> valueSchema.field(k) != null).toList();
        this.keyColumns = present.size() == keyColumns.size() ? present : List.of();
        if (this.keyColumns.isEmpty()) {
            this.keySchema = null;
        } else {
            SchemaBuilder key = SchemaBuilder.struct();
            this.keyColumns.forEach(k -> key.field(k, valueSchema.field(k).schema()));
            this.keySchema = key.build();
        }
    }

    List<ColumnDescriptor> columns() {
        return columns;
    }

    Schema valueSchema() {
        return valueSchema;
    }

    Schema keySchema() {
        return keySchema;
    }

    /** Index (1-based, as JDBC counts) of the column with this name, or -1. */
    int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return i + 1;
            }
        }
        return -1;
    }

    Struct value(ResultSet rs) throws SQLException {
        Struct struct = new Struct(valueSchema);
        List<Field> fields = valueSchema.fields();
        for (int i = 0; i < mappings.size(); i++) {
            struct.put(fields.get(i), mappings.get(i).read(rs, i + 1));
        }
        return struct;
    }

    /** The key Struct of a value, or null when there are no key columns. */
    Struct key(Struct value) {
        if (keySchema == null) {
            return null;
        }
        Struct key = new Struct(keySchema);
        for (String column : keyColumns) {
            key.put(column, value.get(column));
        }
        return key;
    }
}
