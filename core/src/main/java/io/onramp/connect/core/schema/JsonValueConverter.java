package io.onramp.connect.core.schema;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Converts a parsed JSON object (one JSON Lines line) to a Connect {@link Struct} of a given schema,
 * or to plain Java values when there is no schema.
 *
 * <p>Rules: JSON properties the schema does not name are ignored (contracts describe what a product
 * publishes, not everything a source emits). A missing or null property takes the field's default,
 * else null if optional, else is an error naming its path ({@code a.b[2].c}). A JSON string is
 * accepted for any scalar type and read like a text field by {@link TextValueParser}; a JSON number
 * is accepted for Decimal (read it with {@code USE_BIG_DECIMAL_FOR_FLOATS} to keep every digit),
 * Date (days since the epoch), Time (milliseconds after midnight) and Timestamp (epoch milliseconds);
 * otherwise the JSON type must match the schema type (a number is not accepted for a STRING).
 */
public final class JsonValueConverter {

    private final TextValueParser text;

    public JsonValueConverter() {
        this(new TextValueParser());
    }

    public JsonValueConverter(TextValueParser text) {
        this.text = text;
    }

    public Struct toStruct(JsonNode object, Schema structSchema) {
        if (structSchema.type() != Schema.Type.STRUCT) {
            throw new IllegalArgumentException("toStruct needs a STRUCT schema, not " + structSchema.type());
        }
        if (object == null || !object.isObject()) {
            throw new DataException("Expected a JSON object for " + TextValueParser.describe(structSchema)
                    + " but got " + (object == null ? "nothing" : object.getNodeType()));
        }
        return struct(object, structSchema, null);
    }

    /** Plain Java values for schemaless records: Map, List, String, Long (or BigDecimal if larger), Double or BigDecimal, Boolean, null. */
    public static Object toSchemaless(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return switch (node.getNodeType()) {
            case OBJECT -> {
                var map = new LinkedHashMap<String, Object>();
                for (var entry : node.properties()) {
                    map.put(entry.getKey(), toSchemaless(entry.getValue()));
                }
                yield map;
            }
            case ARRAY -> {
                var list = new ArrayList<>(node.size());
                for (JsonNode element : node) {
                    list.add(toSchemaless(element));
                }
                yield list;
            }
            case STRING -> node.textValue();
            case BOOLEAN -> node.booleanValue();
            case NUMBER -> number(node);
            case BINARY -> binary(node, null);
            default -> node.asText(); // POJO nodes never come from parsing text
        };
    }

    private static Object number(JsonNode node) {
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : new BigDecimal(node.bigIntegerValue());
        }
        return node.isBigDecimal() ? node.decimalValue() : (Object) node.doubleValue();
    }

    private Struct struct(JsonNode object, Schema schema, FieldPath path) {
        var struct = new Struct(schema);
        for (Field field : schema.fields()) {
            var fieldPath = new FieldPath(path, field.name(), -1);
            struct.put(field, value(object.get(field.name()), field.schema(), fieldPath));
        }
        return struct;
    }

    private Object value(JsonNode node, Schema schema, FieldPath path) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            if (schema.defaultValue() != null) {
                return schema.defaultValue();
            }
            if (schema.isOptional()) {
                return null;
            }
            throw new DataException("Field '" + path + "' is required");
        }
        if (node.isTextual() && schema.type() != Schema.Type.STRING && schema.type() != Schema.Type.BYTES
                && isScalar(schema.type())) {
            return text.parse(node.textValue(), schema, path.toString());
        }
        return switch (schema.type()) {
            case STRUCT -> struct(expect(node, node.isObject(), schema, path), schema, path);
            case ARRAY -> array(expect(node, node.isArray(), schema, path), schema, path);
            case MAP -> map(expect(node, node.isObject(), schema, path), schema, path);
            case STRING -> text.checkString(expect(node, node.isTextual(), schema, path).textValue(), schema, path.toString());
            case BYTES -> bytes(node, schema, path);
            case BOOLEAN -> expect(node, node.isBoolean(), schema, path).booleanValue();
            case FLOAT32 -> float32(expect(node, node.isNumber(), schema, path), path);
            case FLOAT64 -> expect(node, node.isNumber(), schema, path).doubleValue();
            case INT8, INT16, INT32, INT64 -> integer(expect(node, node.isNumber(), schema, path), schema, path);
        };
    }

    private static boolean isScalar(Schema.Type type) {
        return type != Schema.Type.STRUCT && type != Schema.Type.ARRAY && type != Schema.Type.MAP;
    }

    private List<Object> array(JsonNode node, Schema schema, FieldPath path) {
        var list = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            list.add(value(node.get(i), schema.valueSchema(), new FieldPath(path, null, i)));
        }
        return list;
    }

    private Map<Object, Object> map(JsonNode node, Schema schema, FieldPath path) {
        var map = new LinkedHashMap<Object, Object>();
        for (var entry : node.properties()) {
            var entryPath = new FieldPath(path, entry.getKey(), -2);
            Object key = schema.keySchema().type() == Schema.Type.STRING
                    ? entry.getKey() : text.parse(entry.getKey(), schema.keySchema(), entryPath.toString());
            map.put(key, value(entry.getValue(), schema.valueSchema(), entryPath));
        }
        return map;
    }

    private Object bytes(JsonNode node, Schema schema, FieldPath path) {
        if (Decimal.LOGICAL_NAME.equals(schema.name())) {
            if (node.isTextual()) {
                return text.parse(node.textValue(), schema, path.toString());
            }
            return text.decimal(expect(node, node.isNumber(), schema, path).decimalValue(), schema, path.toString(), node.asText());
        }
        if (node.isTextual()) {
            return text.parse(node.textValue(), schema, path.toString());
        }
        return binary(expect(node, node.isBinary(), schema, path), path);
    }

    private static byte[] binary(JsonNode node, FieldPath path) {
        try {
            return node.binaryValue();
        } catch (IOException e) {
            throw new DataException("Field '" + path + "' holds unreadable binary data", e);
        }
    }

    private static float float32(JsonNode node, FieldPath path) {
        double value = node.doubleValue();
        if (Double.isFinite(value) && Math.abs(value) > Float.MAX_VALUE) {
            throw new DataException(TextValueParser.invalid(path.toString(), "FLOAT32 (out of range)"));
        }
        return (float) value;
    }

    private static Object integer(JsonNode node, Schema schema, FieldPath path) {
        long value;
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            value = node.longValue();
        } else {
            try {
                // 2.0 is an integer written as a float; 1.5 and 1e30 are not longs
                value = node.decimalValue().longValueExact();
            } catch (ArithmeticException e) {
                throw new DataException(TextValueParser.invalid(path.toString(), schema.type() + " (not an integer in range)"));
            }
        }
        String name = schema.name();
        if (name != null) {
            switch (name) {
                case Date.LOGICAL_NAME -> {
                    return new java.util.Date(Math.multiplyExact(value, 86_400_000L));
                }
                case Time.LOGICAL_NAME, Timestamp.LOGICAL_NAME -> {
                    return new java.util.Date(value);
                }
                default -> { }
            }
        }
        return switch (schema.type()) {
            case INT8 -> (byte) inRange(value, Byte.MIN_VALUE, Byte.MAX_VALUE, node, schema, path);
            case INT16 -> (short) inRange(value, Short.MIN_VALUE, Short.MAX_VALUE, node, schema, path);
            case INT32 -> (int) inRange(value, Integer.MIN_VALUE, Integer.MAX_VALUE, node, schema, path);
            default -> value;
        };
    }

    private static long inRange(long value, long min, long max, JsonNode node, Schema schema, FieldPath path) {
        if (value < min || value > max) {
            throw new DataException(TextValueParser.invalid(path.toString(), schema.type() + " (out of range)"));
        }
        return value;
    }

    private static JsonNode expect(JsonNode node, boolean ok, Schema schema, FieldPath path) {
        if (!ok) {
            throw new DataException("Field '" + path + "' expects " + TextValueParser.describe(schema)
                    + " but the JSON holds " + node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)
                    + " " + truncate(node.toString()));
        }
        return node;
    }

    private static String truncate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }

    /** Where a value sits, rendered only when an error needs it: {@code a.b[2].c}, map entries as {@code m["k"]}. */
    private record FieldPath(FieldPath parent, String name, int index) {
        @Override
        public String toString() {
            var sb = new StringBuilder();
            append(sb);
            return sb.toString();
        }

        private void append(StringBuilder sb) {
            if (parent != null) {
                parent.append(sb);
            }
            if (index >= 0) {
                sb.append('[').append(index).append(']');
            } else if (index == -2) {
                sb.append("[\"").append(name).append("\"]");
            } else {
                if (parent != null) {
                    sb.append('.');
                }
                sb.append(name);
            }
        }
    }
}
