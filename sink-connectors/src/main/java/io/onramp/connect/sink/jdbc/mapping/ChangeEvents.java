package io.onramp.connect.sink.jdbc.mapping;

import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Recognizes a change envelope in a record value: Onramp's (io.onramp.connect.core.change.ChangeEnvelope) and
 * Debezium's share the shape {@code before}, {@code after}, {@code op}, so both are read the same way, with a
 * schema (a Struct whose {@code op} is a string and {@code before}/{@code after} are Structs) or without (a map
 * with an {@code op} string and a {@code before} or {@code after} entry, as Debezium's JSON without schemas).
 */
public final class ChangeEvents {

    public static final String OP = "op";
    public static final String BEFORE = "before";
    public static final String AFTER = "after";

    private ChangeEvents() {
    }

    /** One envelope's parts; rows are Structs (with their schemas) or maps. */
    public record Change(String op, Object before, Schema beforeSchema, Object after, Schema afterSchema) {
    }

    /** The envelope in {@code value}, or null when the value is a plain row. */
    public static Change read(Schema schema, Object value) {
        if (value instanceof Struct struct) {
            Schema s = struct.schema();
            Field op = s.field(OP);
            Field before = s.field(BEFORE);
            Field after = s.field(AFTER);
            if (op == null || op.schema().type() != Schema.Type.STRING || before == null || after == null
                    || before.schema().type() != Schema.Type.STRUCT || after.schema().type() != Schema.Type.STRUCT) {
                return null;
            }
            return new Change((String) struct.get(op), struct.get(before), before.schema(), struct.get(after), after.schema());
        }
        if (value instanceof Map<?, ?> map && map.get(OP) instanceof String op
                && (map.containsKey(AFTER) || map.containsKey(BEFORE))
                && isRow(map.get(AFTER)) && isRow(map.get(BEFORE))) {
            return new Change(op, map.get(BEFORE), null, map.get(AFTER), null);
        }
        return null;
    }

    private static boolean isRow(Object value) {
        return value == null || value instanceof Map<?, ?>;
    }
}
