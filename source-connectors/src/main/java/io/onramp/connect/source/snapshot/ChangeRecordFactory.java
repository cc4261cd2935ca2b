package io.onramp.connect.source.snapshot;

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
 * (key = the key fields, value = the row, a tombstone for a delete). Built once per snapshot, by every source
 * that diffs snapshots (the file source's snapshot mode, the JDBC source's bulk-diff mode).
 */
public final class ChangeRecordFactory {

    static final String HEADER_OP = "onramp.op";
    static final String HEADER_SNAPSHOT = "onramp.snapshot";

    private final String topic;
    private final boolean stateOutput;
    private final FlatStructText text;
    /** Builds before and after: on the envelope's row schema for envelopes, else {@link #text}. */
    private final FlatStructText rowText;
    private final Field[] keyFieldsOfKey;
    private final Schema keySchema;
    private final ChangeEnvelope envelope;
    private final Struct source;
    private final String snapshotName;

    /**
     * @param source the envelope's {@code source} block, which says where the snapshot came from
     * @param snapshotName what the {@code onramp.snapshot} header of every record names: the dump, or the run
     */
    public ChangeRecordFactory(String topic, boolean stateOutput, FlatStructText text, List<String> keyFields,
            Struct source, String snapshotName) {
        this.topic = topic;
        this.stateOutput = stateOutput;
        this.text = text;
        this.snapshotName = snapshotName;
        String prefix = text.schema().name() != null ? text.schema().name() : topic;
        SchemaBuilder key = SchemaBuilder.struct().name(prefix + ".Key");
        keyFields.forEach(field -> key.field(field, text.schema().field(field).schema()));
        this.keySchema = key.build();
        this.envelope = new ChangeEnvelope(prefix + ".Envelope", text.schema(), source.schema());
        // Envelope rows are built straight on the envelope's optional row schema, so ChangeEnvelope need not copy
        // each one over. Only without defaults: the copy writes a field's default where the row holds null.
        boolean defaults = text.schema().fields().stream().anyMatch(field -> field.schema().defaultValue() != null);
        this.rowText = stateOutput || defaults || envelope.envelopeRowSchema() == text.schema()
                ? text : new FlatStructText(envelope.envelopeRowSchema());
        this.keyFieldsOfKey = keyFields.stream().map(keySchema::field).toArray(Field[]::new);
        this.source = source;
    }

    public SourceRecord record(ChangeEvent event, List<String> oldColumns, List<String> newColumns,
            Map<String, ?> partition, Map<String, ?> offset, long nowMs) {
        Struct before = event.before() == null ? null : rowText.toStruct(oldColumns, event.before().values());
        Struct after = event.after() == null ? null : rowText.toStruct(newColumns, event.after().values());
        Struct key = key(after != null ? after : before);
        ChangeEnvelope.Op op = op(event.op());
        var headers = new ConnectHeaders();
        headers.addString(HEADER_OP, op.code());
        headers.addString(HEADER_SNAPSHOT, snapshotName);
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
