package io.onramp.connect.sink.snapshot.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Turns a stored row (JSON as {@code ValueJson} writes it: exact decimals, ISO-8601 dates, times and instants,
 * base64 bytes) into a generic record of an Avro schema, in the representation Avro's generic writer expects
 * (decimal as unscaled two's-complement bytes, date as epoch days, timestamps as epoch millis or micros).
 * A value that does not fit its field fails with a message naming the field and the expected type, never the value.
 */
public final class AvroRows {

    private final Schema schema;

    public AvroRows(Schema schema) {
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("An Avro export needs a record schema, not " + schema.getType());
        }
        this.schema = schema;
    }

    public GenericRecord record(JsonNode row) {
        return record(schema, row, "");
    }

    private GenericRecord record(Schema recordSchema, JsonNode node, String path) {
        var record = new GenericData.Record(recordSchema);
        for (Schema.Field field : recordSchema.getFields()) {
            String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
            JsonNode value = node.get(field.name());
            record.put(field.pos(), value(field.schema(), value == null ? null : value, fieldPath));
        }
        return record;
    }

    private Object value(Schema fieldSchema, JsonNode node, String path) {
        if (node == null || node.isNull()) {
            if (fieldSchema.getType() == Schema.Type.NULL
                    || fieldSchema.getType() == Schema.Type.UNION && fieldSchema.getTypes().stream()
                    .anyMatch(t -> t.getType() == Schema.Type.NULL)) {
                return null;
            }
            throw new IllegalArgumentException("Field '" + path + "' is required by the contract but the row has no value");
        }
        if (fieldSchema.getType() == Schema.Type.UNION) {
            IllegalArgumentException last = null;
            for (Schema branch : fieldSchema.getTypes()) {
                if (branch.getType() == Schema.Type.NULL) {
                    continue;
                }
                try {
                    return value(branch, node, path);
                } catch (IllegalArgumentException e) {
                    last = e;
                }
            }
            throw last != null ? last : new IllegalArgumentException("Field '" + path + "' has no usable union branch");
        }
        try {
            return convert(fieldSchema, node, path);
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith("Field '")) {
                throw e;
            }
            throw new IllegalArgumentException("Field '" + path + "' holds a value that is not a valid "
                    + describe(fieldSchema), e);
        }
    }

    private Object convert(Schema s, JsonNode node, String path) {
        LogicalType logical = s.getLogicalType();
        switch (s.getType()) {
            case STRING:
                return node.isTextual() ? node.textValue() : node.toString();
            case BOOLEAN:
                return requireBoolean(node);
            case INT:
                if (logical instanceof LogicalTypes.Date) {
                    return node.isTextual() ? (int) LocalDate.parse(node.textValue()).toEpochDay() : node.intValue();
                }
                if (logical instanceof LogicalTypes.TimeMillis) {
                    return node.isTextual() ? (int) (LocalTime.parse(node.textValue()).toNanoOfDay() / 1_000_000)
                            : node.intValue();
                }
                return Math.toIntExact(requireNumber(node).longValueExact());
            case LONG:
                if (logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.LocalTimestampMillis) {
                    return node.isTextual() ? Instant.parse(node.textValue()).toEpochMilli() : node.longValue();
                }
                if (logical instanceof LogicalTypes.TimestampMicros || logical instanceof LogicalTypes.LocalTimestampMicros) {
                    if (node.isTextual()) {
                        Instant instant = Instant.parse(node.textValue());
                        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
                    }
                    return node.longValue();
                }
                if (logical instanceof LogicalTypes.TimeMicros) {
                    return node.isTextual() ? LocalTime.parse(node.textValue()).toNanoOfDay() / 1000 : node.longValue();
                }
                return requireNumber(node).longValueExact();
            case FLOAT:
                return requireNumber(node).floatValue();
            case DOUBLE:
                return requireNumber(node).doubleValue();
            case BYTES:
                if (logical instanceof LogicalTypes.Decimal decimal) {
                    return ByteBuffer.wrap(unscaled(node, decimal));
                }
                return ByteBuffer.wrap(Base64.getDecoder().decode(node.textValue()));
            case FIXED:
                if (logical instanceof LogicalTypes.Decimal decimal) {
                    byte[] unscaled = unscaled(node, decimal);
                    byte[] fixed = new byte[s.getFixedSize()];
                    byte pad = (byte) (unscaled[0] < 0 ? 0xFF : 0);
                    int start = fixed.length - unscaled.length;
                    if (start < 0) {
                        throw new ArithmeticException("too large for the fixed size");
                    }
                    java.util.Arrays.fill(fixed, 0, start, pad);
                    System.arraycopy(unscaled, 0, fixed, start, unscaled.length);
                    return new GenericData.Fixed(s, fixed);
                }
                return new GenericData.Fixed(s, Base64.getDecoder().decode(node.textValue()));
            case ENUM:
                if (!s.getEnumSymbols().contains(node.textValue())) {
                    throw new IllegalArgumentException("Field '" + path + "' holds a value that is not one of the"
                            + " contract's symbols " + s.getEnumSymbols());
                }
                return new GenericData.EnumSymbol(s, node.textValue());
            case RECORD:
                if (!node.isObject()) {
                    throw new IllegalArgumentException("not an object");
                }
                return record(s, node, path);
            case ARRAY: {
                var list = new ArrayList<Object>(node.size());
                int i = 0;
                for (JsonNode element : node) {
                    list.add(value(s.getElementType(), element, path + "[" + i++ + "]"));
                }
                return list;
            }
            case MAP: {
                var map = new LinkedHashMap<String, Object>();
                node.fields().forEachRemaining(e -> map.put(e.getKey(), value(s.getValueType(), e.getValue(),
                        path + "." + e.getKey())));
                return map;
            }
            default:
                throw new IllegalArgumentException("Field '" + path + "' has Avro type " + s.getType()
                        + ", which an export cannot fill");
        }
    }

    private static Boolean requireBoolean(JsonNode node) {
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isTextual() && ("true".equals(node.textValue()) || "false".equals(node.textValue()))) {
            return Boolean.valueOf(node.textValue());
        }
        throw new IllegalArgumentException("not a boolean");
    }

    private static BigDecimal requireNumber(JsonNode node) {
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isTextual()) {
            return new BigDecimal(node.textValue().trim());
        }
        throw new IllegalArgumentException("not a number");
    }

    private static byte[] unscaled(JsonNode node, LogicalTypes.Decimal decimal) {
        BigDecimal value = requireNumber(node).setScale(decimal.getScale(), RoundingMode.UNNECESSARY);
        if (value.precision() > decimal.getPrecision()) {
            throw new ArithmeticException("more digits than the precision");
        }
        return value.unscaledValue().toByteArray();
    }

    private static String describe(Schema s) {
        return s.getLogicalType() != null ? s.getType() + " (" + s.getLogicalType().getName() + ")" : s.getType().toString();
    }

    static List<String> columnNames(Schema schema) {
        return schema.getFields().stream().map(Schema.Field::name).toList();
    }
}
