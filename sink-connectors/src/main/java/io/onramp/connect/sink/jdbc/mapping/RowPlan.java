package io.onramp.connect.sink.jdbc.mapping;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BiPredicate;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * The columns of one Struct schema and how to read each from a Struct: built once per schema and reused for
 * every record of it. Scalar fields are columns; nested Structs are flattened or one JSON column
 * ({@link NestedMode}); arrays and maps are JSON columns.
 */
final class RowPlan {

    private final List<ColumnSpec> columns;
    private final List<String> names;
    private final Column[] readers;

    private RowPlan(List<Column> readers) {
        this.readers = readers.toArray(Column[]::new);
        this.columns = readers.stream().map(Column::spec).toList();
        this.names = RowChange.names(columns);
    }

    /**
     * @param accept which top-level fields become columns (field name, and whether it is a key column)
     * @param only   when not null, exactly these top-level fields, in this order, each required to exist
     */
    static RowPlan of(Schema schema, NestedMode nested, String delimiter, BiPredicate<String, Schema> accept,
            Collection<String> only) {
        var readers = new ArrayList<Column>();
        if (only != null) {
            for (String name : only) {
                Field field = schema.field(name);
                if (field == null) {
                    throw new DataException("The record has no field '" + name + "' for the primary key");
                }
                if (ValueConverter.column(name, field.schema()) == null) {
                    throw new DataException("Key field '" + name + "' is a " + field.schema().type()
                            + "; key columns must be scalar");
                }
                add(readers, new Field[] {field}, field.name(), field.schema(), nested, delimiter);
            }
        } else {
            for (Field field : schema.fields()) {
                if (accept.test(field.name(), field.schema())) {
                    add(readers, new Field[] {field}, field.name(), field.schema(), nested, delimiter);
                }
            }
        }
        return new RowPlan(readers);
    }

    private static void add(List<Column> out, Field[] path, String name, Schema schema, NestedMode nested, String delimiter) {
        ColumnSpec spec = ValueConverter.column(name, schema);
        if (spec != null) {
            out.add(new Column(spec, path, schema, false));
            return;
        }
        if (schema.type() == Schema.Type.STRUCT && nested == NestedMode.FLATTEN
                && !ValueConverter.DBZ_VARIABLE_DECIMAL.equals(schema.name())) {
            for (Field child : schema.fields()) {
                Field[] childPath = java.util.Arrays.copyOf(path, path.length + 1);
                childPath[path.length] = child;
                Schema childSchema = schema.isOptional() && !child.schema().isOptional() ? optional(child.schema()) : child.schema();
                add(out, childPath, name + delimiter + child.name(), childSchema, nested, delimiter);
            }
            return;
        }
        out.add(new Column(ColumnSpec.of(name, SinkType.JSON, schema.isOptional()), path, schema, true));
    }

    /** A flattened child of an optional parent is null whenever the parent is. */
    private static Schema optional(Schema schema) {
        var builder = new org.apache.kafka.connect.data.SchemaBuilder(schema.type()).optional();
        if (schema.name() != null) {
            builder.name(schema.name());
        }
        if (schema.parameters() != null) {
            builder.parameters(schema.parameters());
        }
        if (schema.type() == Schema.Type.STRUCT) {
            schema.fields().forEach(f -> builder.field(f.name(), f.schema()));
        } else if (schema.type() == Schema.Type.ARRAY || schema.type() == Schema.Type.MAP) {
            return schema; // JSON columns are written as they are
        }
        return builder.build();
    }

    List<ColumnSpec> columns() {
        return columns;
    }

    /** The column names, one list shared by every change of this plan. */
    List<String> names() {
        return names;
    }

    Object[] values(Struct struct) {
        var values = new Object[readers.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = readers[i].read(struct);
        }
        return values;
    }

    private record Column(ColumnSpec spec, Field[] path, Schema schema, boolean json) {
        Object read(Struct root) {
            Object value = root;
            for (Field field : path) {
                if (value == null) {
                    return null;
                }
                value = ((Struct) value).get(field);
            }
            if (value == null) {
                return null;
            }
            return json ? StructJson.write(value, schema) : ValueConverter.bindValue(value, schema, spec.name());
        }
    }
}
