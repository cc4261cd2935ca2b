package io.onramp.connect.core.change;

import io.onramp.connect.core.schema.TextValueParser;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Writes the fields of a flat Struct as canonical text and reads them back, exactly. The snapshot diff works
 * on text rows (it knows nothing of Connect); canonical text makes its comparison type-aware — {@code 12.5}
 * and {@code 12.50} in a decimal(2) column are the same value — and lets changed rows become Structs again.
 */
public final class FlatStructText {

    private final Schema schema;
    private final TextValueParser parser = new TextValueParser();

    public FlatStructText(Schema schema) {
        for (Field field : schema.fields()) {
            if (!field.schema().type().isPrimitive()) {
                throw new DataException("field '" + field.name() + "' is a " + field.schema().type()
                        + "; snapshot rows must be flat");
            }
        }
        this.schema = schema;
    }

    public Schema schema() {
        return schema;
    }

    public List<String> columnNames() {
        return schema.fields().stream().map(Field::name).toList();
    }

    public List<String> toTexts(Struct struct) {
        var texts = new ArrayList<String>(schema.fields().size());
        for (Field field : schema.fields()) {
            texts.add(text(struct.get(field), field.schema()));
        }
        return texts;
    }

    public Struct toStruct(List<String> texts) {
        var struct = new Struct(schema);
        List<Field> fields = schema.fields();
        for (int i = 0; i < fields.size(); i++) {
            Field field = fields.get(i);
            String text = texts.get(i);
            if (text == null) {
                continue; // the field's default, or null
            }
            // Strings are kept verbatim: the parser would read "" in an optional field as null.
            struct.put(field, field.schema().type() == Schema.Type.STRING ? text : parser.parse(text, field.schema(), field.name()));
        }
        return struct;
    }

    /**
     * Like {@link #toStruct(List)} for texts laid out by {@code columns}, which may differ from the schema
     * (an older snapshot): fields are matched by name, and a field the columns lack gets its default or null.
     */
    public Struct toStruct(List<String> columns, List<String> texts) {
        if (columns.equals(columnNames())) {
            return toStruct(texts);
        }
        var aligned = new ArrayList<String>(schema.fields().size());
        for (Field field : schema.fields()) {
            int index = columns.indexOf(field.name());
            aligned.add(index < 0 ? null : texts.get(index));
        }
        return toStruct(aligned);
    }

    private static String text(Object value, Schema schema) {
        if (value == null) {
            return null;
        }
        String logical = schema.name();
        if (Decimal.LOGICAL_NAME.equals(logical)) {
            return ((BigDecimal) value).toPlainString();
        }
        if (Date.LOGICAL_NAME.equals(logical)) {
            return LocalDate.ofInstant(((java.util.Date) value).toInstant(), ZoneOffset.UTC).toString();
        }
        if (Time.LOGICAL_NAME.equals(logical)) {
            return LocalTime.ofNanoOfDay(((java.util.Date) value).getTime() * 1_000_000L).toString();
        }
        if (Timestamp.LOGICAL_NAME.equals(logical)) {
            return Instant.ofEpochMilli(((java.util.Date) value).getTime()).toString();
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof java.nio.ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return Base64.getEncoder().encodeToString(bytes);
        }
        return value.toString();
    }
}
