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
    private final List<String> columnNames;
    private final TextValueParser parser = new TextValueParser();

    public FlatStructText(Schema schema) {
        for (Field field : schema.fields()) {
            if (!field.schema().type().isPrimitive()) {
                throw new DataException("field '" + field.name() + "' is a " + field.schema().type()
                        + "; snapshot rows must be flat");
            }
        }
        this.schema = schema;
        this.columnNames = schema.fields().stream().map(Field::name).toList();
    }

    public Schema schema() {
        return schema;
    }

    public List<String> columnNames() {
        return columnNames;
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
        if (columns == columnNames || columns.equals(columnNames)) {
            return toStruct(texts);
        }
        var aligned = new ArrayList<String>(schema.fields().size());
        for (Field field : schema.fields()) {
            int index = columns.indexOf(field.name());
            aligned.add(index < 0 ? null : texts.get(index));
        }
        return toStruct(aligned);
    }

    /**
     * The canonical text of one field's value, as {@link #toTexts(Struct)} writes it: for a reader that types
     * a row field by field and has no use for the Struct itself.
     */
    public static String text(Object value, Schema schema) {
        if (value == null) {
            return null;
        }
        String logical = schema.name();
        if (Decimal.LOGICAL_NAME.equals(logical)) {
            return ((BigDecimal) value).toPlainString();
        }
        if (Date.LOGICAL_NAME.equals(logical)) {
            return dateText(((java.util.Date) value).getTime());
        }
        if (Time.LOGICAL_NAME.equals(logical)) {
            return LocalTime.ofNanoOfDay(((java.util.Date) value).getTime() * 1_000_000L).toString();
        }
        if (Timestamp.LOGICAL_NAME.equals(logical)) {
            return instantText(((java.util.Date) value).getTime());
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

    /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: where ISO-8601 writes the year as four digits, no sign. */
    private static final long MIN_FOUR_DIGIT_SECOND = -62_167_219_200L;
    private static final long MAX_FOUR_DIGIT_SECOND = 253_402_300_799L;

    /** {@code Instant.ofEpochMilli(epochMillis).toString()}, without a formatter for four-digit years. */
    static String instantText(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000L);
        int millis = (int) Math.floorMod(epochMillis, 1000L);
        if (second < MIN_FOUR_DIGIT_SECOND || second > MAX_FOUR_DIGIT_SECOND) {
            return Instant.ofEpochMilli(epochMillis).toString();
        }
        int secondOfDay = (int) Math.floorMod(second, 86_400L);
        var date = LocalDate.ofEpochDay(Math.floorDiv(second, 86_400L));
        var text = new byte[millis == 0 ? 20 : 24];
        writeDate(text, date);
        text[10] = 'T';
        digits(text, 11, 2, secondOfDay / 3600);
        text[13] = ':';
        digits(text, 14, 2, secondOfDay / 60 % 60);
        text[16] = ':';
        digits(text, 17, 2, secondOfDay % 60);
        if (millis != 0) {
            text[19] = '.';
            digits(text, 20, 3, millis);
        }
        text[text.length - 1] = 'Z';
        return new String(text, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** {@code LocalDate.ofInstant(new Date(epochMillis).toInstant(), UTC).toString()}, likewise. */
    static String dateText(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000L);
        if (second < MIN_FOUR_DIGIT_SECOND || second > MAX_FOUR_DIGIT_SECOND) {
            return LocalDate.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC).toString();
        }
        var text = new byte[10];
        writeDate(text, LocalDate.ofEpochDay(Math.floorDiv(second, 86_400L)));
        return new String(text, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static void writeDate(byte[] text, LocalDate date) {
        digits(text, 0, 4, date.getYear());
        text[4] = '-';
        digits(text, 5, 2, date.getMonthValue());
        text[7] = '-';
        digits(text, 8, 2, date.getDayOfMonth());
    }

    private static void digits(byte[] text, int at, int count, int value) {
        for (int i = at + count - 1; i >= at; i--) {
            text[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
