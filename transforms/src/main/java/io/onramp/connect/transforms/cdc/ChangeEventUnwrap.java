package io.onramp.connect.transforms.cdc;

import io.onramp.connect.core.config.ConfigValidators;
import io.onramp.connect.core.metrics.Counter;
import io.onramp.connect.transforms.OnrampTransform;
import io.onramp.connect.transforms.TransformMetrics;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Headers;

/** Turns change envelopes into state records. See {@link #OVERVIEW_DOC}. */
public class ChangeEventUnwrap<R extends ConnectRecord<R>> extends OnrampTransform<R> {

    public static final String OVERVIEW_DOC = "Turns any change envelope (Debezium's from PostgreSQL, MySQL/MariaDB and"
            + " other connectors; Onramp's from the file source's snapshot mode and the JDBC source's bulk-diff) into a"
            + " state record: value = the row after the change; deletes per " + ChangeEventUnwrap.DELETE_HANDLING
            + "; envelope and source fields (op, table, ts_ms, lsn, binlog file/pos, file...) added to the value or"
            + " headers; the key kept or rebuilt from chosen fields. Config keys are Debezium ExtractNewRecordState's,"
            + " so moving is a rename of the class. Records that are not envelopes pass unchanged.";

    public static final String DELETE_HANDLING = "delete.tombstone.handling.mode";
    public static final String ADD_FIELDS = "add.fields";
    public static final String ADD_FIELDS_PREFIX = "add.fields.prefix";
    public static final String ADD_HEADERS = "add.headers";
    public static final String ADD_HEADERS_PREFIX = "add.headers.prefix";
    public static final String ROUTE_BY_FIELD = "route.by.field";
    public static final String KEY_FIELDS = "key.fields";

    public static final String DELETED_FIELD = "__deleted";

    private static final String GROUP = "Unwrap";

    enum DeleteHandling {
        DROP, TOMBSTONE, REWRITE, REWRITE_WITH_TOMBSTONE, DELETE_TO_TOMBSTONE;

        static DeleteHandling parse(String value) {
            return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    public static final ConfigDef CONFIG_DEF = TransformMetrics.defineConnectorName(new ConfigDef()
            .define(DELETE_HANDLING, Type.STRING, "tombstone", ConfigDef.CaseInsensitiveValidString.in(
                            "drop", "tombstone", "rewrite", "rewrite-with-tombstone", "delete-to-tombstone"), Importance.MEDIUM,
                    "What deletes become (as in Debezium's ExtractNewRecordState): 'drop' removes delete events and"
                            + " tombstones; 'tombstone' (default) turns each delete event into a record with a null value"
                            + " (keeping the row's value schema, as Debezium does: a converter with schemas writes a null"
                            + " payload) and drops incoming tombstones; 'rewrite' emits the row before the delete with "
                            + DELETED_FIELD + "='true' (other rows get 'false') and drops tombstones;"
                            + " 'rewrite-with-tombstone' does the same and keeps tombstones; 'delete-to-tombstone' turns"
                            + " each delete event into a tombstone (null value and value schema) and drops incoming"
                            + " tombstones: the choice for Onramp's sources, which emit no tombstone of their own.",
                    GROUP, 1, Width.MEDIUM, "Delete handling")
            .define(ADD_FIELDS, Type.LIST, "", fieldListValidator(), Importance.LOW,
                    "Envelope fields to add to the value: field, struct.field, either with :newName. Unqualified op, ts_ms"
                            + " are the envelope's, anything else the source block's: e.g. op,table,lsn,source.ts_ms adds"
                            + " __op, __table, __lsn, __source_ts_ms. Fields a record lacks are not added.",
                    GROUP, 2, Width.LONG, "Add fields")
            .define(ADD_FIELDS_PREFIX, Type.STRING, "__", Importance.LOW,
                    "Prefix of the names of the fields added by " + ADD_FIELDS + ".", GROUP, 3, Width.SHORT, "Field prefix")
            .define(ADD_HEADERS, Type.LIST, "", fieldListValidator(), Importance.LOW,
                    "Envelope fields to add as headers, named as in " + ADD_FIELDS + " with " + ADD_HEADERS_PREFIX
                            + ": e.g. op,source.ts_ms,file,pos. A tombstone gets the op header 'd'.",
                    GROUP, 4, Width.LONG, "Add headers")
            .define(ADD_HEADERS_PREFIX, Type.STRING, "__", Importance.LOW,
                    "Prefix of the names of the headers added by " + ADD_HEADERS + ".", GROUP, 5, Width.SHORT, "Header prefix")
            .define(ROUTE_BY_FIELD, Type.STRING, "", Importance.LOW,
                    "A row field whose value becomes the topic (empty: the topic is kept).", GROUP, 6, Width.MEDIUM,
                    "Route by field")
            .define(KEY_FIELDS, Type.LIST, "", Importance.MEDIUM,
                    "Rebuild the key as a struct of these row fields (from the row after the change, or before it for a"
                            + " delete). Empty: the key is kept. Incoming tombstones keep their key, so pair a rebuilt key"
                            + " with delete-to-tombstone.",
                    GROUP, 7, Width.LONG, "Key fields"), GROUP, 8);

    private static final int CACHE_SIZE = 256;

    private final ChangeEnvelopes envelopes = new ChangeEnvelopes();
    private DeleteHandling deletes;
    private boolean rewrite;
    private List<EnvelopeField> addFields;
    private List<EnvelopeField> addHeaders;
    private String routeByField;
    private List<String> keyFields;
    private final Map<Schema, Map<Schema, Schema>> valueSchemas = new IdentityHashMap<>();
    private final Map<Schema, Schema> keySchemas = new IdentityHashMap<>();
    private Counter unwrapped;
    private Counter passedThrough;
    private Counter deletesTombstoned;
    private Counter deletesRewritten;
    private Counter deletesDropped;
    private Counter tombstonesKept;
    private Counter tombstonesDropped;
    private Counter withoutRow;

    public ChangeEventUnwrap() {
        super(CONFIG_DEF);
    }

    /** No rule spans keys: every key is checked by its own validator. */
    @Override
    protected void load(AbstractConfig config) {
        deletes = DeleteHandling.parse(config.getString(DELETE_HANDLING));
        rewrite = deletes == DeleteHandling.REWRITE || deletes == DeleteHandling.REWRITE_WITH_TOMBSTONE;
        addFields = EnvelopeField.parseAll(config.getList(ADD_FIELDS), config.getString(ADD_FIELDS_PREFIX));
        addHeaders = EnvelopeField.parseAll(config.getList(ADD_HEADERS), config.getString(ADD_HEADERS_PREFIX));
        String route = config.getString(ROUTE_BY_FIELD);
        routeByField = route == null || route.isBlank() ? null : route.trim();
        keyFields = config.getList(KEY_FIELDS);
        var metrics = newMetrics("Onramp ChangeEventUnwrap transform");
        unwrapped = metrics.counter("RecordsUnwrapped", "Change events of an insert, update or snapshot read turned into"
                + " the row's state record");
        passedThrough = metrics.counter("RecordsPassedThrough", "Records that are not change envelopes, passed on unchanged");
        deletesTombstoned = metrics.counter("DeletesTombstoned", "Delete events turned into a record with a null value"
                + " (" + DELETE_HANDLING + " tombstone or delete-to-tombstone)");
        deletesRewritten = metrics.counter("DeletesRewritten", "Delete events turned into the row before the delete with "
                + DELETED_FIELD + "='true' (rewrite, rewrite-with-tombstone)");
        deletesDropped = metrics.counter("DeletesDropped", "Delete events dropped (" + DELETE_HANDLING + " drop)");
        tombstonesKept = metrics.counter("TombstonesKept", "Incoming tombstones passed on (rewrite-with-tombstone)");
        tombstonesDropped = metrics.counter("TombstonesDropped", "Incoming tombstones dropped (every other "
                + DELETE_HANDLING + ")");
        withoutRow = metrics.counter("EventsWithoutRowDropped", "Change envelopes with neither before nor after (truncate,"
                + " message events) dropped");
    }

    @Override
    public R apply(R record) {
        Object value = record.value();
        if (value == null) {
            return tombstone(record);
        }
        if (value instanceof Struct envelope && envelopes.isEnvelope(envelope.schema())) {
            return unwrap(record, envelope);
        }
        if (value instanceof Map<?, ?> map && ChangeEnvelopes.isEnvelope(map)) {
            return unwrapSchemaless(record, map);
        }
        passedThrough.increment();
        return record;
    }

    private R tombstone(R record) {
        if (deletes != DeleteHandling.REWRITE_WITH_TOMBSTONE) {
            tombstonesDropped.increment();
            return null;
        }
        tombstonesKept.increment();
        for (EnvelopeField h : addHeaders) {
            if (h.struct() == null && h.field().equals(ChangeEnvelopes.OP)) {
                record.headers().addString(h.outputName(), "d");
            }
        }
        return record;
    }

    private R unwrap(R record, Struct envelope) {
        Schema envelopeSchema = envelope.schema();
        String op = envelope.getString(ChangeEnvelopes.OP);
        Struct after = envelope.getStruct(ChangeEnvelopes.AFTER);
        boolean delete = after == null;
        Struct row = delete ? envelope.getStruct(ChangeEnvelopes.BEFORE) : after;
        if (row == null) {
            withoutRow.increment();
            return null; // truncate and message events carry no row
        }
        Schema rowSchema = envelopeSchema.field(ChangeEnvelopes.AFTER).schema();
        Object newValue;
        Schema newSchema;
        if (delete && deletes != DeleteHandling.REWRITE && deletes != DeleteHandling.REWRITE_WITH_TOMBSTONE) {
            switch (deletes) {
                case DROP -> {
                    deletesDropped.increment();
                    return null;
                }
                case TOMBSTONE -> newSchema = rowSchema;
                default -> newSchema = null;
            }
            deletesTombstoned.increment();
            newValue = null;
        } else if (!rewrite && addFields.isEmpty()) {
            unwrapped.increment();
            newValue = row;
            newSchema = row.schema();
        } else {
            (delete ? deletesRewritten : unwrapped).increment();
            newSchema = valueSchema(row.schema(), envelopeSchema);
            Struct out = new Struct(newSchema);
            // The extended schema starts with the row's fields in the row's order: copy by position.
            List<Field> rowFields = row.schema().fields();
            List<Field> outFields = newSchema.fields();
            for (int i = 0; i < rowFields.size(); i++) {
                out.put(outFields.get(i), row.get(rowFields.get(i)));
            }
            if (rewrite) {
                out.put(DELETED_FIELD, delete ? "true" : "false");
            }
            for (EnvelopeField f : addFields) {
                if (newSchema.field(f.outputName()) != null) {
                    out.put(f.outputName(), f.valueIn(envelope));
                }
            }
            newValue = out;
        }
        String topic = routeByField == null || row.schema().field(routeByField) == null ? record.topic()
                : topic(record, row.get(routeByField));
        Schema keySchema = record.keySchema();
        Object key = record.key();
        if (!keyFields.isEmpty()) {
            keySchema = keySchema(row.schema());
            Struct k = new Struct(keySchema);
            for (Field f : keySchema.fields()) {
                k.put(f, row.get(f.name()));
            }
            key = k;
        }
        Headers headers = record.headers();
        if (!addHeaders.isEmpty()) {
            headers = new ConnectHeaders(headers);
            for (EnvelopeField h : addHeaders) {
                Schema s = h.schemaIn(envelopeSchema);
                if (s != null) {
                    headers.add(h.outputName(), h.valueIn(envelope), s);
                }
            }
        }
        return record.newRecord(topic, record.kafkaPartition(), keySchema, key, newSchema, newValue, record.timestamp(), headers);
    }

    private R unwrapSchemaless(R record, Map<?, ?> envelope) {
        Object after = envelope.get(ChangeEnvelopes.AFTER);
        boolean delete = after == null;
        Object row = delete ? envelope.get(ChangeEnvelopes.BEFORE) : after;
        if (!(row instanceof Map<?, ?> rowMap)) {
            withoutRow.increment();
            return null;
        }
        Object newValue;
        if (delete && !rewrite) {
            if (deletes == DeleteHandling.DROP) {
                deletesDropped.increment();
                return null;
            }
            deletesTombstoned.increment();
            newValue = null;
        } else if (!rewrite && addFields.isEmpty()) {
            unwrapped.increment();
            newValue = rowMap;
        } else {
            (delete ? deletesRewritten : unwrapped).increment();
            var out = new LinkedHashMap<Object, Object>(rowMap);
            if (rewrite) {
                out.put(DELETED_FIELD, delete ? "true" : "false");
            }
            for (EnvelopeField f : addFields) {
                Object v = f.valueIn(envelope);
                if (v != null) {
                    out.put(f.outputName(), v);
                }
            }
            newValue = out;
        }
        String topic = topic(record, routeByField == null ? null : rowMap.get(routeByField));
        Object key = record.key();
        if (!keyFields.isEmpty()) {
            var k = new LinkedHashMap<String, Object>();
            keyFields.forEach(f -> k.put(f, rowMap.get(f)));
            key = k;
        }
        Headers headers = record.headers();
        if (!addHeaders.isEmpty()) {
            headers = new ConnectHeaders(headers);
            for (EnvelopeField h : addHeaders) {
                Object v = h.valueIn(envelope);
                if (v != null) {
                    headers.add(h.outputName(), v, null);
                }
            }
        }
        return record.newRecord(topic, record.kafkaPartition(), keyFields.isEmpty() ? record.keySchema() : null, key,
                null, newValue, record.timestamp(), headers);
    }

    private String topic(R record, Object routeValue) {
        if (routeByField == null || routeValue == null || routeValue.toString().isBlank()) {
            return record.topic();
        }
        return routeValue.toString();
    }

    private Schema valueSchema(Schema rowSchema, Schema envelopeSchema) {
        Map<Schema, Schema> byEnvelope = valueSchemas.computeIfAbsent(rowSchema, s -> new IdentityHashMap<>());
        Schema schema = byEnvelope.get(envelopeSchema);
        if (schema == null) {
            SchemaBuilder b = SchemaBuilder.struct().name(rowSchema.name()).version(rowSchema.version()).doc(rowSchema.doc());
            if (rowSchema.parameters() != null) {
                b.parameters(rowSchema.parameters());
            }
            if (rowSchema.isOptional()) {
                b.optional();
            }
            rowSchema.fields().forEach(f -> b.field(f.name(), f.schema()));
            if (rewrite) {
                b.field(DELETED_FIELD, Schema.OPTIONAL_STRING_SCHEMA);
            }
            for (EnvelopeField f : addFields) {
                Schema s = f.schemaIn(envelopeSchema);
                if (s != null && b.field(f.outputName()) == null) {
                    b.field(f.outputName(), s);
                }
            }
            schema = b.build();
            if (valueSchemas.size() >= CACHE_SIZE) {
                valueSchemas.clear();
                byEnvelope = valueSchemas.computeIfAbsent(rowSchema, s -> new IdentityHashMap<>());
            }
            byEnvelope.put(envelopeSchema, schema);
        }
        return schema;
    }

    private Schema keySchema(Schema rowSchema) {
        Schema schema = keySchemas.get(rowSchema);
        if (schema == null) {
            String name = rowSchema.name();
            SchemaBuilder b = SchemaBuilder.struct().name(name == null ? null
                    : name.endsWith(".Value") ? name.substring(0, name.length() - 6) + ".Key" : name + ".Key");
            for (String k : keyFields) {
                Field f = rowSchema.field(k);
                if (f == null) {
                    throw new DataException("The row has no field '" + k + "' named in " + KEY_FIELDS + ".");
                }
                b.field(k, f.schema());
            }
            schema = b.build();
            if (keySchemas.size() >= CACHE_SIZE) {
                keySchemas.clear();
            }
            keySchemas.put(rowSchema, schema);
        }
        return schema;
    }

    private static ConfigDef.Validator fieldListValidator() {
        return ConfigValidators.parsedList("a list of field or struct.field, each optionally :newName",
                entries -> EnvelopeField.parseAll(entries, ""));
    }
}
