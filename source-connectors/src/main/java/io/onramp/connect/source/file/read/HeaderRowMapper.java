package io.onramp.connect.source.file.read;

import io.onramp.connect.core.change.FlatStructText;
import java.util.HashSet;
import java.util.List;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/** Without a contract: every column named by the header becomes an optional string field. */
public final class HeaderRowMapper implements CsvRowMapper {

    private final Schema schema;

    private HeaderRowMapper(Schema schema) {
        this.schema = schema;
    }

    static CsvRowMapper.Factory factory() {
        return header -> {
            if (header == null) {
                throw new DataException("a CSV file without a header row needs a contract to name its columns");
            }
            var seen = new HashSet<String>();
            SchemaBuilder builder = SchemaBuilder.struct();
            for (int i = 0; i < header.size(); i++) {
                String name = header.get(i).trim();
                if (name.isEmpty()) {
                    throw new DataException("header column " + (i + 1) + " has no name");
                }
                if (!seen.add(name)) {
                    throw new DataException("header names column '" + name + "' twice");
                }
                builder.field(name, Schema.OPTIONAL_STRING_SCHEMA);
            }
            return new HeaderRowMapper(builder.build());
        };
    }

    @Override
    public int columnCount() {
        return schema.fields().size();
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public Object toValue(List<String> fields) {
        var struct = new Struct(schema);
        for (int i = 0; i < fields.size(); i++) {
            struct.put(schema.fields().get(i), fields.get(i));
        }
        return struct;
    }

    /** Every field is an optional string, whose canonical text is the string itself: the fields as they are. */
    @Override
    public List<String> toTexts(List<String> fields, FlatStructText text) {
        if (text.schema() != schema) {
            return CsvRowMapper.super.toTexts(fields, text);
        }
        return fields;
    }
}
