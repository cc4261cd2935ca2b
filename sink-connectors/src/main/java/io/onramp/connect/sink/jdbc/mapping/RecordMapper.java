package io.onramp.connect.sink.jdbc.mapping;

import io.onramp.connect.core.jdbc.TableId;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Turns a sink record into the {@link RowChange} it asks for: a flat Struct, a change envelope (Onramp's or
 * Debezium's: op c/u/r writes {@code after}, d deletes), a tombstone (delete by key) or a schemaless map (typed by
 * {@link SchemalessTyping}); the key from {@link KeyMode}; value columns filtered by {@link FieldFilter}.
 * Returns null for records that change nothing (deletes when deletes are off, truncate and message events).
 * Problems of one record are {@link DataException}s naming the topic, table and field, never a value.
 */
public final class RecordMapper {

    public static final String KAFKA_TOPIC = "__connect_topic";
    public static final String KAFKA_PARTITION = "__connect_partition";
    public static final String KAFKA_OFFSET = "__connect_offset";
    public static final String PRIMITIVE_KEY = "__connect_key";

    private static final int MAX_CACHED_PLANS = 256;

    private final Settings settings;
    private final SchemalessTyping typing;
    private final List<ColumnSpec> kafkaKey;
    private final Map<String, Map<Schema, CachedPlan>> valuePlans = new HashMap<>();
    private final Map<Schema, RowPlan> keyPlans = new IdentityHashMap<>();
    private final Map<String, TableId> tablesByTopic = new HashMap<>();
    private final List<String> kafkaKeyNames;

    /** What the mapper needs from the configuration. */
    public record Settings(TableNameFormat tableNames, KeyMode keyMode, List<String> keyFields, WriteMode writeMode,
            boolean deleteEnabled, FieldFilter fields, NestedMode nested, String flattenDelimiter) {
    }

    public RecordMapper(Settings settings, SchemalessTyping typing) {
        this.settings = settings;
        this.typing = typing;
        List<String> names = settings.keyMode() == KeyMode.KAFKA && settings.keyFields().size() == 3
                ? settings.keyFields() : List.of(KAFKA_TOPIC, KAFKA_PARTITION, KAFKA_OFFSET);
        this.kafkaKey = List.of(ColumnSpec.of(names.get(0), SinkType.STRING, false),
                ColumnSpec.of(names.get(1), SinkType.INT32, false), ColumnSpec.of(names.get(2), SinkType.INT64, false));
        this.kafkaKeyNames = List.copyOf(names);
    }

    /** The table a record goes to. */
    public TableId table(SinkRecord record) {
        TableNameFormat format = settings.tableNames();
        if (!format.needsProduct()) {
            return tablesByTopic.computeIfAbsent(record.topic(), topic -> format.resolve(topic, null));
        }
        return format.resolve(record.topic(), ProductRef.of(record.topic(), record.headers()));
    }

    public RowChange map(SinkRecord record) {
        TableId table = table(record);
        Object value = record.value();
        RowChange.Kind kind = writeKind();
        Object row = value;
        Schema rowSchema = record.valueSchema();
        Object before = null;
        if (value == null) {
            if (!settings.deleteEnabled()) {
                return null;
            }
            kind = RowChange.Kind.DELETE;
        } else {
            ChangeEvents.Change change = ChangeEvents.read(rowSchema, value);
            if (change != null) {
                switch (change.op()) {
                    case "c", "u", "r" -> {
                        row = change.after();
                        rowSchema = change.afterSchema();
                        if (row == null) {
                            throw new DataException("The change event on topic '" + record.topic() + "' with op '"
                                    + change.op() + "' has no 'after' row");
                        }
                    }
                    case "d" -> {
                        if (!settings.deleteEnabled()) {
                            return null;
                        }
                        kind = RowChange.Kind.DELETE;
                        row = null;
                        before = change.before();
                    }
                    case "t", "m" -> {
                        return null; // truncate and logical-decoding messages change no row
                    }
                    default -> throw new DataException("The change event on topic '" + record.topic()
                            + "' has the unknown op '" + change.op() + "' (expected c, u, r, d)");
                }
            }
        }
        Struct rowStruct = asStruct(table, row, record.topic());
        Struct beforeStruct = asStruct(table, before, record.topic());

        List<ColumnSpec> keyColumns;
        List<String> keyNames;
        Object[] keyValues;
        switch (settings.keyMode()) {
            case NONE -> {
                keyColumns = List.of();
                keyNames = List.of();
                keyValues = new Object[0];
            }
            case KAFKA -> {
                keyColumns = kafkaKey;
                keyNames = kafkaKeyNames;
                keyValues = new Object[] {record.topic(), record.kafkaPartition(), record.kafkaOffset()};
            }
            case RECORD_KEY -> {
                Object key = record.key();
                if (key == null) {
                    throw new DataException("The record on topic '" + record.topic() + "' has no key, but "
                            + "primary.key.mode is record_key");
                }
                if (key instanceof Map<?, ?> map) {
                    key = typing.key(table, map);
                }
                if (key instanceof Struct struct) {
                    RowPlan plan = keyPlans.computeIfAbsent(struct.schema(), schema -> RowPlan.of(schema,
                            settings.nested(), settings.flattenDelimiter(), (n, s) -> true,
                            settings.keyFields().isEmpty() ? scalarFieldNames(schema) : settings.keyFields()));
                    keyColumns = plan.columns();
                    keyNames = plan.names();
                    keyValues = plan.values(struct);
                } else {
                    String name = settings.keyFields().size() == 1 ? settings.keyFields().get(0)
                            : typing.contractKeys().size() == 1 ? typing.contractKeys().get(0) : PRIMITIVE_KEY;
                    Schema schema = record.keySchema();
                    if (schema == null) {
                        Schema typed = typing.fieldSchema(table, name);
                        schema = typed != null ? typed : inferred(key);
                        key = typed != null ? typing.convert(key, typed, name) : key;
                    }
                    ColumnSpec spec = ValueConverter.column(name, schema);
                    if (spec == null) {
                        throw new DataException("The key of the record on topic '" + record.topic() + "' is a "
                                + schema.type() + "; use a Struct or a scalar key");
                    }
                    keyColumns = List.of(new ColumnSpec(name, spec.type(), spec.scale(), spec.precision(), false));
                    keyNames = List.of(name);
                    keyValues = new Object[] {ValueConverter.bindValue(key, schema, name)};
                }
            }
            case RECORD_VALUE -> {
                Struct source = kind == RowChange.Kind.DELETE ? beforeStruct : rowStruct;
                if (source == null) {
                    throw new DataException("The " + (value == null ? "tombstone" : "delete event") + " on topic '"
                            + record.topic() + "' carries no value fields to find the row by (primary.key.mode is "
                            + "record_value)");
                }
                RowPlan plan = keyPlans.computeIfAbsent(source.schema(), schema -> RowPlan.of(schema,
                        settings.nested(), settings.flattenDelimiter(), (n, s) -> true, settings.keyFields()));
                keyColumns = plan.columns();
                keyNames = plan.names();
                keyValues = plan.values(source);
            }
            default -> throw new IllegalStateException();
        }
        for (int i = 0; i < keyValues.length; i++) {
            if (keyValues[i] == null) {
                throw new DataException("Key column '" + keyColumns.get(i).name() + "' of the record on topic '"
                        + record.topic() + "' for table " + table + " is null");
            }
        }
        if (kind == RowChange.Kind.DELETE) {
            return new RowChange(new RowChange.Shape(table, kind, keyNames, List.of()), keyColumns, keyValues, List.of(),
                    new Object[0]);
        }
        if (rowStruct == null) {
            throw new DataException("The record on topic '" + record.topic() + "' has a " + value.getClass().getSimpleName()
                    + " value; expected a Struct, a map or a change event");
        }
        RowPlan plan = valuePlan(record.topic(), rowStruct.schema(), keyNames);
        return new RowChange(new RowChange.Shape(table, kind, keyNames, plan.names()), keyColumns, keyValues,
                plan.columns(), plan.values(rowStruct));
    }

    private RowChange.Kind writeKind() {
        return switch (settings.writeMode()) {
            case INSERT -> RowChange.Kind.INSERT;
            case UPSERT -> RowChange.Kind.UPSERT;
            case UPDATE -> RowChange.Kind.UPDATE;
        };
    }

    private Struct asStruct(TableId table, Object row, String topic) {
        if (row == null || row instanceof Struct) {
            return (Struct) row;
        }
        if (row instanceof Map<?, ?> map) {
            return typing.row(table, map);
        }
        throw new DataException("The record on topic '" + topic + "' has a " + row.getClass().getSimpleName()
                + " value; expected a Struct, a map or a change event");
    }

    private RowPlan valuePlan(String topic, Schema schema, List<String> keyNames) {
        Map<Schema, CachedPlan> plans = valuePlans.computeIfAbsent(topic, t -> new IdentityHashMap<>());
        CachedPlan cached = plans.get(schema);
        if (cached == null || !cached.keyNames().equals(keyNames)) { // the same lists as before: equals is identity
            if (plans.size() >= MAX_CACHED_PLANS) {
                plans.clear();
            }
            RowPlan plan = RowPlan.of(schema, settings.nested(), settings.flattenDelimiter(),
                    (name, s) -> !keyNames.contains(name) && settings.fields().accepts(topic, name), null);
            cached = new CachedPlan(keyNames, plan);
            plans.put(schema, cached);
        }
        return cached.plan();
    }

    private record CachedPlan(List<String> keyNames, RowPlan plan) {
    }

    private static List<String> scalarFieldNames(Schema schema) {
        return schema.fields().stream().map(f -> f.name()).toList();
    }

    private static Schema inferred(Object key) {
        if (key instanceof String) {
            return Schema.STRING_SCHEMA;
        }
        if (key instanceof Integer) {
            return Schema.INT32_SCHEMA;
        }
        if (key instanceof Long) {
            return Schema.INT64_SCHEMA;
        }
        if (key instanceof Short) {
            return Schema.INT16_SCHEMA;
        }
        if (key instanceof Byte) {
            return Schema.INT8_SCHEMA;
        }
        if (key instanceof Boolean) {
            return Schema.BOOLEAN_SCHEMA;
        }
        if (key instanceof byte[]) {
            return Schema.BYTES_SCHEMA;
        }
        throw new DataException("A schemaless key of type " + key.getClass().getSimpleName() + " cannot be a column; "
                + "use a Struct, a map or a scalar key");
    }
}
