package io.onramp.connect.transforms.cdc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * One entry of {@code add.fields} / {@code add.headers}, as in Debezium's ExtractNewRecordState:
 * {@code field} or {@code struct.field}, optionally {@code :newName}. An unqualified {@code op}, {@code ts_ms},
 * {@code ts_us}, {@code ts_ns} is the envelope's own field, {@code id}, {@code total_order},
 * {@code data_collection_order} the transaction's, anything else the {@code source} block's (table, lsn, file,
 * pos, snapshot_id...). The output name is the prefix plus {@code newName}, else plus {@code field}, or
 * {@code struct_field} when the struct was named.
 */
record EnvelopeField(String struct, String field, String outputName) {

    static List<EnvelopeField> parseAll(List<String> entries, String prefix) {
        var fields = new ArrayList<EnvelopeField>(entries.size());
        for (String entry : entries) {
            fields.add(parse(entry.trim(), prefix));
        }
        return List.copyOf(fields);
    }

    static EnvelopeField parse(String entry, String prefix) {
        String[] parts = entry.split(":", -1);
        if (parts.length > 2 || parts[0].isBlank() || (parts.length == 2 && parts[1].isBlank())) {
            throw new IllegalArgumentException("'" + entry + "' is not field, struct.field, or either with :newName");
        }
        String[] path = parts[0].trim().split("\\.", -1);
        if (path.length > 2 || path[0].isBlank() || (path.length == 2 && path[1].isBlank())) {
            throw new IllegalArgumentException("'" + entry + "' names a field deeper than struct.field");
        }
        String field = path.length == 1 ? path[0] : path[1];
        String struct = path.length == 1 ? hostOf(field) : path[0];
        String name = parts.length == 2 ? parts[1].trim() : path.length == 1 ? field : struct + "_" + field;
        return new EnvelopeField(struct, field, prefix + name);
    }

    private static String hostOf(String field) {
        return switch (field) {
            case "op", "ts_ms", "ts_us", "ts_ns" -> null;
            case "id", "total_order", "data_collection_order" -> "transaction";
            default -> ChangeEnvelopes.SOURCE;
        };
    }

    /** The field's schema in the envelope (made optional), or null when this envelope has no such field. */
    Schema schemaIn(Schema envelope) {
        Field f = fieldIn(envelope);
        if (f == null) {
            return null;
        }
        Schema s = f.schema();
        if (s.isOptional()) {
            return s;
        }
        SchemaBuilder b = new SchemaBuilder(s.type()).name(s.name()).version(s.version()).doc(s.doc()).optional();
        if (s.parameters() != null) {
            b.parameters(s.parameters());
        }
        return switch (s.type()) {
            case STRUCT, ARRAY, MAP -> s; // containers keep their schema (optional copies would need the nested parts)
            default -> b.build();
        };
    }

    private Field fieldIn(Schema envelope) {
        if (struct == null) {
            return envelope.field(field);
        }
        Field host = envelope.field(struct);
        if (host == null || host.schema().type() != Schema.Type.STRUCT) {
            return envelope.field(field); // as Debezium: a field another transform put on the envelope itself
        }
        Field f = host.schema().field(field);
        return f != null ? f : envelope.field(field);
    }

    Object valueIn(Struct envelope) {
        if (struct != null) {
            Field host = envelope.schema().field(struct);
            if (host != null && host.schema().type() == Schema.Type.STRUCT) {
                Struct s = (Struct) envelope.get(host);
                if (s == null) {
                    return null;
                }
                Field f = s.schema().field(field);
                if (f != null) {
                    return s.get(f);
                }
            }
        }
        Field f = envelope.schema().field(field);
        return f == null ? null : envelope.get(f);
    }

    Object valueIn(Map<?, ?> envelope) {
        if (struct != null && envelope.get(struct) instanceof Map<?, ?> host && host.containsKey(field)) {
            return host.get(field);
        }
        return envelope.get(field);
    }
}
