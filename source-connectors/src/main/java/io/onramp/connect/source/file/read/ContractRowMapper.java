package io.onramp.connect.source.file.read;

import io.onramp.connect.core.change.FlatStructText;
import io.onramp.connect.core.schema.TextValueParser;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.connect.data.ConnectSchema;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * With a contract: each contract field is filled from the CSV column of the same name (or, without a header,
 * from the column at the field's position) and typed by the contract.
 */
public final class ContractRowMapper implements CsvRowMapper {

    private static final int ABSENT = -1;

    private final Schema schema;
    private final int[] columnOfField;
    private final int columnCount;
    private final Field[] fields;
    private final boolean anyAbsent;
    /** Per field, a class of value that {@link ConnectSchema#validateValue} has accepted for it. */
    private final Class<?>[] validClass;
    private final TextValueParser parser = new TextValueParser();

    private ContractRowMapper(Schema schema, int[] columnOfField, int columnCount) {
        this.schema = schema;
        this.columnOfField = columnOfField;
        this.columnCount = columnCount;
        this.fields = schema.fields().toArray(new Field[0]);
        this.anyAbsent = Arrays.stream(columnOfField).anyMatch(column -> column == ABSENT);
        this.validClass = new Class<?>[fields.length];
    }

    /** @throws DataException when the contract is not flat: a CSV column cannot hold a struct, array or map */
    static CsvRowMapper.Factory factory(Schema contract) {
        for (Field field : contract.fields()) {
            if (!field.schema().type().isPrimitive()) {
                throw new DataException("contract field '" + field.name() + "' is a " + field.schema().type()
                        + "; CSV input needs a contract whose fields are all primitive or logical types");
            }
        }
        return header -> header == null ? byPosition(contract) : byName(contract, header);
    }

    private static CsvRowMapper byPosition(Schema contract) {
        int[] columns = new int[contract.fields().size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = i;
        }
        return new ContractRowMapper(contract, columns, columns.length);
    }

    private static CsvRowMapper byName(Schema contract, List<String> header) {
        int[] columns = new int[contract.fields().size()];
        for (Field field : contract.fields()) {
            int column = indexOf(header, field.name());
            if (column == ABSENT && !field.schema().isOptional() && field.schema().defaultValue() == null) {
                throw new DataException("the header has no column '" + field.name()
                        + "', which the contract requires; header: " + header);
            }
            columns[field.index()] = column;
        }
        return new ContractRowMapper(contract, columns, header.size());
    }

    private static int indexOf(List<String> header, String name) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).trim().equals(name)) {
                return i;
            }
        }
        return ABSENT;
    }

    @Override
    public int columnCount() {
        return columnCount;
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public Object toValue(List<String> fields) {
        var struct = new Struct(schema);
        boolean absent = false;
        for (Field field : schema.fields()) {
            int column = columnOfField[field.index()];
            if (column == ABSENT) {
                absent = true;
                continue; // Struct gives the field's default, or null for an optional field
            }
            struct.put(field, parser.parse(fields.get(column), field.schema(), field.name()));
        }
        if (absent) {
            struct.validate(); // put() has validated every field it set; only the absent ones remain
        }
        return struct;
    }

    /**
     * Types and checks each field as {@link #toValue} does ({@link Struct#put(Field, Object)} validates with
     * {@link ConnectSchema#validateValue(String, Schema, Object)}), in the same order and so with the same first
     * failure, and writes the canonical text of each value, without a Struct.
     */
    @Override
    public List<String> toTexts(List<String> row, FlatStructText text) {
        if (anyAbsent || text.schema() != schema) {
            return CsvRowMapper.super.toTexts(row, text); // defaults of absent fields: Struct's rules
        }
        var texts = new String[fields.length];
        for (int i = 0; i < fields.length; i++) {
            texts[i] = canonicalText(i, row.get(columnOfField[i]));
        }
        return Arrays.asList(texts);
    }

    /** The schema of field {@code i}. */
    public Schema fieldSchema(int i) {
        return fields[i].schema();
    }

    /** True when field i is column i for every field, so a row's columns are already in the contract's order. */
    public boolean columnsInFieldOrder() {
        if (anyAbsent || columnCount != fields.length) {
            return false;
        }
        for (int i = 0; i < fields.length; i++) {
            if (columnOfField[i] != i) {
                return false;
            }
        }
        return true;
    }

    /**
     * Field {@code i} of {@link #toTexts}: the column's text typed and checked as {@link Struct#put(Field, Object)}
     * does, then written as its canonical text.
     *
     * @throws DataException naming the field when the text does not fit
     */
    public String canonicalText(int i, String column) {
        Field field = fields[i];
        Schema fieldSchema = field.schema();
        Object value = parser.parse(column, fieldSchema, field.name());
        if (value == null ? !fieldSchema.isOptional() : value.getClass() != validClass[i]) {
            // For a primitive schema, validity depends only on null-ness and the value's class, so a class
            // accepted once is accepted again: only the first value of a class pays for the full check.
            ConnectSchema.validateValue(field.name(), fieldSchema, value);
            if (value != null) {
                validClass[i] = value.getClass();
            }
        }
        return FlatStructText.text(value, fieldSchema);
    }
}
