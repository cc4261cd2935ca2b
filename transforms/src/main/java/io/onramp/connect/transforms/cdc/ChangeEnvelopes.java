package io.onramp.connect.transforms.cdc;

import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;

/**
 * Recognizes change envelopes: a struct value with a string {@code op} and struct {@code before} and {@code after}
 * fields (Debezium's from any relational connector, Onramp's from its snapshot and bulk-diff sources), or a
 * schemaless map with the keys {@code op} and {@code after} or {@code before}. The decision is cached per value
 * schema instance, so a stream of same-schema records pays one identity lookup.
 */
public final class ChangeEnvelopes {

    public static final String OP = "op";
    public static final String BEFORE = "before";
    public static final String AFTER = "after";
    public static final String SOURCE = "source";
    public static final String TS_MS = "ts_ms";

    private static final int CACHE_SIZE = 256;

    private final Map<Schema, Boolean> decisions = new IdentityHashMap<>();
    private Schema lastSchema;
    private boolean lastDecision;

    /** Whether a struct value of this schema is a change envelope. */
    public boolean isEnvelope(Schema valueSchema) {
        if (valueSchema == lastSchema) {
            return lastDecision;
        }
        Boolean decision = decisions.get(valueSchema);
        if (decision == null) {
            decision = envelopeShape(valueSchema);
            if (decisions.size() >= CACHE_SIZE) {
                decisions.clear();
            }
            decisions.put(valueSchema, decision);
        }
        lastSchema = valueSchema;
        lastDecision = decision;
        return decision;
    }

    /** Whether a schemaless value is a change envelope. */
    public static boolean isEnvelope(Map<?, ?> value) {
        return value.get(OP) instanceof String && (value.containsKey(AFTER) || value.containsKey(BEFORE));
    }

    private static boolean envelopeShape(Schema schema) {
        if (schema == null || schema.type() != Schema.Type.STRUCT) {
            return false;
        }
        Field op = schema.field(OP);
        Field before = schema.field(BEFORE);
        Field after = schema.field(AFTER);
        return op != null && op.schema().type() == Schema.Type.STRING
                && before != null && before.schema().type() == Schema.Type.STRUCT
                && after != null && after.schema().type() == Schema.Type.STRUCT;
    }
}
