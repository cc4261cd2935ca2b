package io.onramp.connect.sink.jdbc.mapping;

import io.onramp.connect.core.jdbc.TableId;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import io.onramp.connect.core.schema.JsonValueConverter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Types schemaless records (maps from plain JSON) so they can be written like Structs: by the contract's schema
 * when one is configured, else by the existing table's column types. Values are converted by core's
 * {@link JsonValueConverter}, so text such as "2024-03-01" or "12.50" is read the way the file source reads it.
 * With a table, only the map's entries that name columns are written (others are ignored); with a contract,
 * the contract's rules apply (a missing required field is an error).
 */
public final class SchemalessTyping {

    /** Looks up the row schema of an existing table (all fields optional), or null when the table is missing. */
    @FunctionalInterface
    public interface TableSchemas {
        Schema rowSchema(TableId table);
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final Schema contractSchema;
    private final List<String> contractKeys;
    private final TableSchemas tables;
    private final JsonValueConverter converter = new JsonValueConverter();

    /** @param contractSchema the contract's Connect schema, or null */
    public SchemalessTyping(Schema contractSchema, List<String> contractKeys, TableSchemas tables) {
        this.contractSchema = contractSchema;
        this.contractKeys = contractKeys == null ? List.of() : contractKeys;
        this.tables = tables;
    }

    public boolean hasContract() {
        return contractSchema != null;
    }

    public List<String> contractKeys() {
        return contractKeys;
    }

    /** A row map as a Struct of the contract's schema, or of the table's columns the map names. */
    public Struct row(TableId table, Map<?, ?> row) {
        if (contractSchema != null) {
            return toStruct(table, row, contractSchema);
        }
        return subset(table, row, tableSchema(table));
    }

    /** A key map as a Struct of the fields it names, typed like the row's fields of the same names. */
    public Struct key(TableId table, Map<?, ?> key) {
        Schema schema = contractSchema != null ? contractSchema : tableSchema(table);
        return subset(table, key, schema);
    }

    /** The schema of one named field, for a primitive schemaless key, or null when unknown. */
    public Schema fieldSchema(TableId table, String name) {
        Schema schema = contractSchema != null ? contractSchema : tables.rowSchema(table);
        Field field = schema == null ? null : schema.field(name);
        return field == null ? null : field.schema();
    }

    public Object convert(Object value, Schema schema, String name) {
        var holder = SchemaBuilder.struct().field(name, schema).build();
        return toStruct(null, Map.of(name, value), holder).get(name);
    }

    private Schema tableSchema(TableId table) {
        Schema schema = tables.rowSchema(table);
        if (schema == null) {
            throw new DataException("A schemaless record for table " + table + " cannot be typed: the table does not "
                    + "exist and no contract is configured (set contract.file or contract.dir, or create the table)");
        }
        return schema;
    }

    private Struct subset(TableId table, Map<?, ?> map, Schema schema) {
        var builder = SchemaBuilder.struct();
        for (Object name : map.keySet()) {
            Field field = schema.field(String.valueOf(name));
            if (field != null) {
                builder.field(field.name(), field.schema());
            }
        }
        Schema subset = builder.build();
        if (subset.fields().isEmpty()) {
            throw new DataException("A schemaless record for table " + table + " names none of its columns");
        }
        return toStruct(table, map, subset);
    }

    /**
     * Converts with core's converter; its messages quote the offending value, so only the field's path is kept
     * (record values never reach error texts).
     */
    private Struct toStruct(TableId table, Map<?, ?> map, Schema schema) {
        try {
            return converter.toStruct(JSON.valueToTree(map), schema);
        } catch (DataException e) {
            Matcher m = FIELD.matcher(String.valueOf(e.getMessage()));
            String field = m.find() ? " in field '" + m.group(1) + "'" : "";
            throw new DataException("A schemaless record for table " + table + " does not fit "
                    + (contractSchema != null ? "the contract" : "the table's column types") + field
                    + (e.getMessage() != null && e.getMessage().contains("is required") ? " (a required value is missing)" : ""));
        }
    }

    private static final Pattern FIELD = Pattern.compile("Field '([^']*)'");
}
