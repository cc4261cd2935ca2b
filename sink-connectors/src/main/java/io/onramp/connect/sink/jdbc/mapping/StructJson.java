package io.onramp.connect.sink.jdbc.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Writes a nested Struct, array or map as a JSON document for a JSON column: fields in schema order, decimals
 * as exact numbers, dates and times as ISO-8601 text (timestamps in UTC with a 'Z'), bytes as base64.
 */
public final class StructJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private StructJson() {
    }

    public static String write(Object value, Schema schema) {
        try {
            return JSON.writeValueAsString(node(value, schema));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    static JsonNode node(Object value, Schema schema) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (schema == null) {
            return schemaless(value);
        }
        if (schema.name() != null && schema.type() != Schema.Type.STRUCT) {
            ColumnSpec column = ValueConverter.column("", schema);
            if (column != null && column.type() != SinkType.JSON && column.type() != SinkType.BYTES) {
                Object converted = ValueConverter.bindValue(value, schema, "");
                if (converted instanceof BigDecimal d) {
                    return NODES.numberNode(d);
                }
                if (converted instanceof java.time.LocalDateTime t) {
                    return NODES.textNode(t + "Z");
                }
                if (converted instanceof java.time.temporal.Temporal t) {
                    return NODES.textNode(t.toString());
                }
            }
        }
        return switch (schema.type()) {
            case STRUCT -> {
                ObjectNode object = NODES.objectNode();
                Struct struct = (Struct) value;
                for (Field field : schema.fields()) {
                    object.set(field.name(), node(struct.get(field), field.schema()));
                }
                yield object;
            }
            case ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                for (Object element : (List<?>) value) {
                    array.add(node(element, schema.valueSchema()));
                }
                yield array;
            }
            case MAP -> {
                ObjectNode object = NODES.objectNode();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    object.set(String.valueOf(entry.getKey()), node(entry.getValue(), schema.valueSchema()));
                }
                yield object;
            }
            case BYTES -> NODES.textNode(Base64.getEncoder().encodeToString(bytes(value)));
            default -> schemaless(value);
        };
    }

    private static JsonNode schemaless(Object value) {
        if (value instanceof Struct struct) {
            return node(struct, struct.schema());
        }
        if (value instanceof byte[] || value instanceof ByteBuffer) {
            return NODES.textNode(Base64.getEncoder().encodeToString(bytes(value)));
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            map.forEach((k, v) -> object.set(String.valueOf(k), schemaless(v)));
            return object;
        }
        if (value instanceof List<?> list) {
            ArrayNode array = NODES.arrayNode();
            list.forEach(v -> array.add(v == null ? NODES.nullNode() : schemaless(v)));
            return array;
        }
        if (value instanceof java.util.Date date) {
            return NODES.textNode(date.toInstant().toString());
        }
        return JSON.valueToTree(value);
    }

    private static byte[] bytes(Object value) {
        if (value instanceof ByteBuffer buffer) {
            var copy = new byte[buffer.remaining()];
            buffer.duplicate().get(copy);
            return copy;
        }
        return (byte[]) value;
    }
}
