package io.onramp.connect.core.outbox;

import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * One row of an outbox table, as the router reads it: columns by name, each with its Connect schema when
 * the row has one. Debezium's {@code after} struct and a source's row struct are wrapped by {@link #of(Struct)};
 * a JDBC row read into a map by {@link #of(Map)} (plain Java values: String, Long, Integer, Boolean,
 * java.util.Date / java.sql.Timestamp, java.time instants, UUID, byte[]).
 */
public interface OutboxRow {

    /** Whether the row has a column of this name (its value may still be null). */
    boolean has(String column);

    /** The column's value; null when it is null or the row has no such column. */
    Object get(String column);

    /** The column's Connect schema, or null when the row is schemaless. */
    Schema schema(String column);

    /** A row backed by a Struct (Debezium's {@code after}, an unwrapped record, a source's row). */
    static OutboxRow of(Struct struct) {
        return new OutboxRow() {
            @Override
            public boolean has(String column) {
                return struct.schema().field(column) != null;
            }

            @Override
            public Object get(String column) {
                Field field = struct.schema().field(column);
                return field == null ? null : struct.get(field);
            }

            @Override
            public Schema schema(String column) {
                Field field = struct.schema().field(column);
                return field == null ? null : field.schema();
            }
        };
    }

    /** A schemaless row: column name to plain Java value. */
    static OutboxRow of(Map<String, ?> values) {
        return new OutboxRow() {
            @Override
            public boolean has(String column) {
                return values.containsKey(column);
            }

            @Override
            public Object get(String column) {
                return values.get(column);
            }

            @Override
            public Schema schema(String column) {
                return null;
            }
        };
    }
}
