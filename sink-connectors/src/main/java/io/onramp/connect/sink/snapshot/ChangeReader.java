package io.onramp.connect.sink.snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * What a record says about the state of its key. A state record (key = primary key, value = the row) sets the
 * row, a tombstone deletes it; a change envelope (Onramp's or Debezium's: {@code before}, {@code after},
 * {@code op}) sets {@code after} for {@code c}, {@code r} and {@code u} and deletes for {@code d}. Truncate
 * ({@code t}) and message ({@code m}) events carry no row and are skipped.
 *
 * <p>The key is the configured key fields of the row (of {@code before} for an envelope delete; of the record key
 * for a tombstone), or the whole record key when no key fields are configured. Either way it becomes the same
 * text for an upsert and for the delete of one key.
 */
final class ChangeReader {

    private final List<String> keyFields;

    /** @param keyFields the key fields of the row; empty to key by the record key as a whole */
    ChangeReader(List<String> keyFields) {
        this.keyFields = List.copyOf(keyFields);
    }

    /** A change: the key's text and the new row (a Struct or a Map), or a null row for a delete. */
    record Change(String key, Object row, Schema rowSchema) {
        boolean isDelete() {
            return row == null;
        }
    }

    /** The change the record makes, or null for an envelope that changes no row (truncate, message). */
    Change read(SinkRecord record) {
        Object value = record.value();
        if (value == null) {
            return new Change(keyOf(record, null), null, null);
        }
        Envelope envelope = Envelope.of(value);
        if (envelope == null) {
            requireRow(value, record, "value");
            return new Change(keyOf(record, value), value, record.valueSchema());
        }
        switch (envelope.op) {
            case "c", "r", "u" -> {
                if (envelope.after == null) {
                    throw new DataException(where(record) + " is a change event with op '" + envelope.op
                            + "' but no 'after' row");
                }
                requireRow(envelope.after, record, "after");
                return new Change(keyOf(record, envelope.after), envelope.after,
                        envelope.after instanceof Struct s ? s.schema() : null);
            }
            case "d" -> {
                return new Change(keyOf(record, envelope.before), null, null);
            }
            case "t", "m" -> {
                return null;
            }
            default -> throw new DataException(where(record) + " is a change event with unknown op '" + envelope.op
                    + "'; expected c, r, u or d");
        }
    }

    private String keyOf(SinkRecord record, Object row) {
        if (keyFields.isEmpty()) {
            if (record.key() == null) {
                throw new DataException(where(record) + " has no record key; set "
                        + SnapshotExportSinkConfig.KEY_FIELDS + " to key rows by their fields");
            }
            return ValueJson.write(record.key(), record.keySchema());
        }
        Object source = row != null ? row : record.key();
        if (source == null) {
            throw new DataException(where(record) + " is a delete without a record key or 'before' row, so its key"
                    + " fields " + keyFields + " are unknown");
        }
        var values = new ArrayList<Object>(keyFields.size());
        var schemas = new ArrayList<Schema>(keyFields.size());
        if (source instanceof Struct struct) {
            for (String name : keyFields) {
                Field field = struct.schema().field(name);
                if (field == null) {
                    throw new DataException(where(record) + " has no key field '" + name + "'");
                }
                values.add(struct.get(field));
                schemas.add(field.schema());
            }
        } else if (source instanceof Map<?, ?> map) {
            for (String name : keyFields) {
                if (!map.containsKey(name)) {
                    throw new DataException(where(record) + " has no key field '" + name + "'");
                }
                values.add(map.get(name));
                schemas.add(null);
            }
        } else if (keyFields.size() == 1) {
            values.add(source); // a primitive record key is the single key field's value
            schemas.add(record.keySchema());
        } else {
            throw new DataException(where(record) + " has a primitive key, but " + keyFields.size()
                    + " key fields are configured");
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw new DataException(where(record) + " has a null key field '" + keyFields.get(i) + "'");
            }
        }
        return ValueJson.keyText(values, schemas);
    }

    private static void requireRow(Object row, SinkRecord record, String what) {
        if (!(row instanceof Struct) && !(row instanceof Map)) {
            throw new DataException(where(record) + ": the " + what + " is a " + row.getClass().getSimpleName()
                    + ", not a row (Struct or JSON object)");
        }
    }

    static String where(SinkRecord record) {
        return "Record " + record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset();
    }

    /** The parts of an envelope, Struct or schemaless; null when the value is not one. */
    private record Envelope(String op, Object before, Object after) {
        static Envelope of(Object value) {
            if (value instanceof Struct struct) {
                Schema schema = struct.schema();
                Field op = schema.field("op");
                if (op == null || op.schema().type() != Schema.Type.STRING
                        || (schema.field("after") == null && schema.field("before") == null)) {
                    return null;
                }
                return new Envelope(struct.getString("op"), get(struct, "before"), get(struct, "after"));
            }
            if (value instanceof Map<?, ?> map && map.get("op") instanceof String op
                    && (map.containsKey("after") || map.containsKey("before"))) {
                return new Envelope(op, map.get("before"), map.get("after"));
            }
            return null;
        }

        private static Object get(Struct struct, String name) {
            return struct.schema().field(name) == null ? null : struct.get(name);
        }
    }
}
