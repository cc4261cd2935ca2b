package io.onramp.connect.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds records as Kafka's JsonConverter reads them ({@code {"schema": ..., "payload": ...}}), so a test can feed a
 * sink typed Structs, change envelopes or plain JSON without a source connector.
 */
public final class ConnectJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ConnectJson() {
    }

    /** A struct schema; add fields with {@link #field}. */
    public static ObjectNode struct(String name, boolean optional) {
        ObjectNode schema = NODES.objectNode().put("type", "struct").put("optional", optional);
        if (name != null) {
            schema.put("name", name);
        }
        schema.set("fields", NODES.arrayNode());
        return schema;
    }

    /** Adds a field of a primitive type ({@code int64}, {@code string}...) to a struct schema. */
    public static ObjectNode field(ObjectNode struct, String field, String type, boolean optional) {
        return field(struct, field, NODES.objectNode().put("type", type).put("optional", optional));
    }

    /** Adds a field of a logical type, e.g. {@code org.apache.kafka.connect.data.Timestamp} on int64. */
    public static ObjectNode logical(ObjectNode struct, String field, String type, String name, boolean optional) {
        return field(struct, field, NODES.objectNode().put("type", type).put("name", name).put("optional", optional));
    }

    /** Adds a Decimal field with the given scale. */
    public static ObjectNode decimal(ObjectNode struct, String field, int scale, boolean optional) {
        ObjectNode schema = NODES.objectNode().put("type", "bytes").put("name", "org.apache.kafka.connect.data.Decimal")
                .put("optional", optional);
        schema.set("parameters", NODES.objectNode().put("scale", Integer.toString(scale)));
        return field(struct, field, schema);
    }

    public static ObjectNode field(ObjectNode struct, String field, ObjectNode schema) {
        ((ArrayNode) struct.get("fields")).add(schema.deepCopy().put("field", field));
        return struct;
    }

    /** A copy of a struct schema, marked optional (as {@code before}/{@code after} are in envelopes). */
    public static ObjectNode optional(ObjectNode struct) {
        return struct.deepCopy().put("optional", true);
    }

    /** The envelope schema of Onramp's and Debezium's change events around a row schema. */
    public static ObjectNode envelope(String name, ObjectNode row, ObjectNode source) {
        ObjectNode schema = struct(name, false);
        field(schema, "before", optional(row));
        field(schema, "after", optional(row));
        field(schema, "source", source);
        field(schema, "op", "string", false);
        field(schema, "ts_ms", "int64", true);
        return schema;
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    /** {@code {"schema": schema, "payload": payload}} as text. */
    public static String record(ObjectNode schema, Object payload) {
        ObjectNode record = NODES.objectNode();
        record.set("schema", schema);
        record.set("payload", JSON.valueToTree(payload));
        return text(record);
    }

    public static String text(Object node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
