package io.onramp.connect.core.change;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * Onramp's change event, shaped like Debezium's envelope ({@code before}, {@code after}, {@code source},
 * {@code op}, {@code ts_ms}) so that every Debezium-aware consumer, sink and transform reads it as it is.
 * One instance per row schema: the envelope schema is built once.
 */
public final class ChangeEnvelope {

    public static final String BEFORE = "before";
    public static final String AFTER = "after";
    public static final String SOURCE = "source";
    public static final String OP = "op";
    public static final String TS_MS = "ts_ms";

    private final Schema rowSchema;
    private final Schema sourceSchema;
    private final Schema schema;
    private final Field beforeField;
    private final Field afterField;
    private final Field sourceField;
    private final Field opField;
    private final Field tsField;

    /** @param name the envelope schema's name, by Debezium's convention {@code <prefix>.Envelope} */
    public ChangeEnvelope(String name, Schema rowSchema, Schema sourceSchema) {
        this.rowSchema = rowSchema;
        this.sourceSchema = sourceSchema;
        Schema optionalRow = optional(rowSchema);
        this.schema = SchemaBuilder.struct().name(name).version(1)
                .field(BEFORE, optionalRow)
                .field(AFTER, optionalRow)
                .field(SOURCE, sourceSchema)
                .field(OP, Schema.STRING_SCHEMA)
                .field(TS_MS, Schema.OPTIONAL_INT64_SCHEMA)
                .build();
        this.beforeField = schema.field(BEFORE);
        this.afterField = schema.field(AFTER);
        this.sourceField = schema.field(SOURCE);
        this.opField = schema.field(OP);
        this.tsField = schema.field(TS_MS);
    }

    public Schema schema() {
        return schema;
    }

    public Schema rowSchema() {
        return rowSchema;
    }

    public Schema sourceSchema() {
        return sourceSchema;
    }

    /** Rows must be Structs of the row schema, or of its optional copy. */
    public Struct build(Op op, Struct before, Struct after, Struct source, long tsMs) {
        Schema optionalRow = beforeField.schema();
        return new Struct(schema)
                .put(beforeField, retype(before, optionalRow))
                .put(afterField, retype(after, optionalRow))
                .put(sourceField, source)
                .put(opField, op.code())
                .put(tsField, tsMs);
    }

    /**
     * The schema of {@code before} and {@code after} in the envelope: the row schema made optional. Rows built
     * on it go into {@link #build} as they are, without the copy a row of the required schema needs.
     */
    public Schema envelopeRowSchema() {
        return beforeField.schema();
    }

    /** Connect compares Struct schemas exactly, so a row of the required schema is copied onto the optional one. */
    private static Struct retype(Struct row, Schema target) {
        if (row == null || row.schema() == target) {
            return row;
        }
        var copy = new Struct(target);
        row.schema().fields().forEach(field -> copy.put(field.name(), row.get(field)));
        return copy;
    }

    private static Schema optional(Schema row) {
        if (row.isOptional()) {
            return row;
        }
        SchemaBuilder builder = SchemaBuilder.struct().name(row.name()).version(row.version()).doc(row.doc()).optional();
        if (row.parameters() != null) {
            builder.parameters(row.parameters());
        }
        row.fields().forEach(field -> builder.field(field.name(), field.schema()));
        return builder.build();
    }

    /** Debezium's operation codes. */
    public enum Op {
        READ("r"), CREATE("c"), UPDATE("u"), DELETE("d");

        private final String code;

        Op(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }
}
