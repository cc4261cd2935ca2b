package io.onramp.connect.sink.snapshot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Connect values as the JSON the export store keeps: Structs and maps as objects (Struct fields in schema order),
 * decimals as exact plain numbers, Connect dates as {@code 2024-01-31}, times as {@code 13:45:00}, timestamps as
 * ISO-8601 instants ({@code 2024-01-31T13:45:00Z}), bytes as base64. Every writer reads this one form back.
 */
final class ValueJson {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

    private ValueJson() {
    }

    static String write(Object value, Schema schema) {
        var out = new StringWriter(128);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            write(json, value, schema);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** A key as text that is equal for equal keys: a JSON array of the values. */
    static String keyText(List<Object> values, List<Schema> schemas) {
        String integers = integerKeyText(values, schemas);
        if (integers != null) {
            return integers;
        }
        var out = new StringWriter(32);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartArray();
            for (int i = 0; i < values.size(); i++) {
                write(json, values.get(i), schemas.get(i));
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * The usual key, whole numbers only, without a JSON generator: the same text Jackson writes ({@code [42]},
     * {@code [1,-7]}), since stores on disk are sorted by it. Null when any value is not a plain whole number.
     */
    private static String integerKeyText(List<Object> values, List<Schema> schemas) {
        var text = new StringBuilder(24).append('[');
        for (int i = 0; i < values.size(); i++) {
            Object value = values.get(i);
            Schema schema = schemas.get(i);
            if (!(value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte)
                    || (schema != null && schema.name() != null)) {
                return null;
            }
            if (i > 0) {
                text.append(',');
            }
            text.append(((Number) value).longValue());
        }
        return text.append(']').toString();
    }

    /** The top-level field names of a row, in order. */
    static List<String> fieldNames(Object row) {
        if (row instanceof Struct struct) {
            return struct.schema().fields().stream().map(Field::name).toList();
        }
        if (row instanceof Map<?, ?> map) {
            var names = new ArrayList<String>(map.size());
            map.keySet().forEach(key -> names.add(String.valueOf(key)));
            return names;
        }
        return List.of();
    }

    private static void write(JsonGenerator json, Object value, Schema schema) throws IOException {
        if (value == null) {
            json.writeNull();
            return;
        }
        String logical = schema == null ? null : schema.name();
        if (logical != null) {
            switch (logical) {
                case Decimal.LOGICAL_NAME -> {
                    json.writeNumber((BigDecimal) value);
                    return;
                }
                case Date.LOGICAL_NAME -> {
                    json.writeString(LocalDate.ofInstant(((java.util.Date) value).toInstant(), ZoneOffset.UTC).toString());
                    return;
                }
                case Time.LOGICAL_NAME -> {
                    json.writeString(LocalTime.ofNanoOfDay(((java.util.Date) value).getTime() * 1_000_000L).toString());
                    return;
                }
                case Timestamp.LOGICAL_NAME -> {
                    json.writeString(Instant.ofEpochMilli(((java.util.Date) value).getTime()).toString());
                    return;
                }
                default -> {
                    // other named schemas are written by their type below
                }
            }
        }
        if (value instanceof Struct struct) {
            json.writeStartObject();
            for (Field field : struct.schema().fields()) {
                json.writeFieldName(field.name());
                write(json, struct.get(field), field.schema());
            }
            json.writeEndObject();
        } else if (value instanceof Map<?, ?> map) {
            json.writeStartObject();
            for (var entry : map.entrySet()) {
                json.writeFieldName(String.valueOf(entry.getKey()));
                write(json, entry.getValue(), schema == null || schema.type() != Schema.Type.MAP ? null : schema.valueSchema());
            }
            json.writeEndObject();
        } else if (value instanceof Collection<?> list) {
            json.writeStartArray();
            Schema element = schema == null || schema.type() != Schema.Type.ARRAY ? null : schema.valueSchema();
            for (Object item : list) {
                write(json, item, element);
            }
            json.writeEndArray();
        } else if (value instanceof String s) {
            json.writeString(s);
        } else if (value instanceof Boolean b) {
            json.writeBoolean(b);
        } else if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
            json.writeNumber(((Number) value).longValue());
        } else if (value instanceof Float f) {
            json.writeNumber(f);
        } else if (value instanceof Double d) {
            json.writeNumber(d);
        } else if (value instanceof BigDecimal d) {
            json.writeNumber(d);
        } else if (value instanceof java.math.BigInteger i) {
            json.writeNumber(i);
        } else if (value instanceof byte[] bytes) {
            json.writeString(Base64.getEncoder().encodeToString(bytes));
        } else if (value instanceof ByteBuffer buffer) {
            var copy = buffer.duplicate();
            var bytes = new byte[copy.remaining()];
            copy.get(bytes);
            json.writeString(Base64.getEncoder().encodeToString(bytes));
        } else if (value instanceof java.util.Date date) {
            json.writeString(Instant.ofEpochMilli(date.getTime()).toString());
        } else {
            throw new DataException("A value of Java type " + value.getClass().getName() + " cannot be exported");
        }
    }
}
