package io.onramp.connect.source.file;

import io.onramp.connect.core.OnrampVersion;
import io.onramp.connect.core.change.ChangeEnvelope;
import io.onramp.connect.core.change.FlatStructText;
import io.onramp.connect.core.diff.ChangeEvent;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns the diff of two snapshots into Kafka records: Debezium-style change envelopes, or state records
 * (key = the key fields, value = the row, a tombstone for a delete). Built once per snapshot.
 */
final class ChangeRecordFactory {

    static final String HEADER_OP = "onramp.op";
    static final String HEADER_SNAPSHOT = "onramp.snapshot";

    static final Schema SOURCE_SCHEMA = SchemaBuilder.struct().name("io.onramp.connect.source.file.Source")
            .field("version", Schema.STRING_SCHEMA)
            .field("connector", Schema.STRING_SCHEMA)
            .field("name", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA)
            .field("snapshot", Schema.OPTIONAL_STRING_SCHEMA)
            .field("table", Schema.STRING_SCHEMA)
            .field("file", Schema.STRING_SCHEMA)
            .field("snapshot_id", Schema.STRING_SCHEMA)
            .build();

    private final String topic;
    private final boolean stateOutput;
    private final FlatStructText text;
    /** Builds before and after: on the envelope's row schema for envelopes, else {@link #text}. */
    private final FlatStructText rowText;
    private final Field[] keyFieldsOfKey;
    private final List<String> keyFields;
    private final Schema keySchema;
    private final ChangeEnvelope envelope;
    private final Struct source;
    private final String snapshotFile;

    ChangeRecordFactory(String topic, boolean stateOutput, FlatStructText text, List<String> keyFields,
            String connectorName, String table, String snapshotFile, String snapshotId, long fileModifiedMs, boolean first) {
        this.topic = topic;
        this.stateOutput = stateOutput;
        this.text = text;
        this.keyFields = keyFields;
        this.snapshotFile = snapshotFile;
        String prefix = text.schema().name() != null ? text.schema().name() : topic;
        SchemaBuilder key = SchemaBuilder.struct().name(prefix + ".Key");
        keyFields.forEach(field -> key.field(field, text.schema().field(field).schema()));
        this.keySchema = key.build();
        this.envelope = new ChangeEnvelope(prefix + ".Envelope", text.schema(), SOURCE_SCHEMA);
        // Envelope rows are built straight on the envelope's optional row schema, so ChangeEnvelope need not copy
        // each one over. Only without defaults: the copy writes a field's default where the row holds null.
        boolean defaults = text.schema().fields().stream().anyMatch(field -> field.schema().defaultValue() != null);
        this.rowText = stateOutput || defaults || envelope.envelopeRowSchema() == text.schema()
                ? text : new FlatStructText(envelope.envelopeRowSchema());
        this.keyFieldsOfKey = keyFields.stream().map(keySchema::field).toArray(Field[]::new);
        this.source = new Struct(SOURCE_SCHEMA)
                .put("version", OnrampVersion.get())
                .put("connector", "file")
                .put("name", connectorName)
                .put("ts_ms", fileModifiedMs)
                .put("snapshot", first ? "true" : "false")
                .put("table", table)
                .put("file", snapshotFile)
                .put("snapshot_id", snapshotId);
    }

    SourceRecord record(ChangeEvent event, List<String> oldColumns, List<String> newColumns,
            Map<String, ?> partition, Map<String, ?> offset, long nowMs) {
        Struct before = event.before() == null ? null : rowText.toStruct(oldColumns, event.before().values());
        Struct after = event.after() == null ? null : rowText.toStruct(newColumns, event.after().values());
        Struct key = key(after != null ? after : before);
        ChangeEnvelope.Op op = op(event.op());
        var headers = new ConnectHeaders();
        headers.addString(HEADER_OP, op.code());
        headers.addString(HEADER_SNAPSHOT, snapshotFile);
        if (stateOutput) {
            // A tombstone has neither value nor value schema, so every converter writes a null value.
            boolean delete = op == ChangeEnvelope.Op.DELETE;
            return new SourceRecord(partition, offset, topic, null, keySchema, key,
                    delete ? null : text.schema(), delete ? null : after, nowMs, headers);
        }
        return new SourceRecord(partition, offset, topic, null, keySchema, key,
                envelope.schema(), envelope.build(op, before, after, source, nowMs), nowMs, headers);
    }


    private Struct key(Struct row) {
        var key = new Struct(keySchema);
        for (Field field : keyFieldsOfKey) {
            key.put(field, row.get(field.name()));
        }
        return key;
    }

    private static ChangeEnvelope.Op op(ChangeEvent.Op op) {
        return switch (op) {
            case READ -> ChangeEnvelope.Op.READ;
            case INSERT -> ChangeEnvelope.Op.CREATE;
            case UPDATE -> ChangeEnvelope.Op.UPDATE;
            case DELETE -> ChangeEnvelope.Op.DELETE;
        };
    }
}
