package io.onramp.connect.sink.jdbc.write;

import io.onramp.connect.core.jdbc.ColumnDescriptor;
import io.onramp.connect.core.jdbc.ColumnMapper;
import io.onramp.connect.core.jdbc.ColumnMapping;
import io.onramp.connect.core.jdbc.TableId;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * The columns an existing table has, as the driver reports them, and their Connect schemas by core's one SQL-to-
 * Connect mapping ({@link ColumnMapper}): the schema that types schemaless records written to the table.
 */
public final class TableDefinition {

    private final TableId table;
    private final Set<String> names = new HashSet<>();
    private final Set<String> lowerCaseNames = new HashSet<>();
    private final Schema rowSchema;

    TableDefinition(TableId table, List<ColumnDescriptor> columns, ColumnMapper mapper) {
        this.table = table;
        var builder = SchemaBuilder.struct().optional();
        for (ColumnMapping mapping : mapper.map(columns)) {
            String name = mapping.column().name();
            names.add(name);
            lowerCaseNames.add(name.toLowerCase(Locale.ROOT));
            builder.field(name, mapping.schema());
        }
        this.rowSchema = builder.build();
    }

    public TableId table() {
        return table;
    }

    /**
     * Whether the table has the column; exact names first, then ignoring case (MariaDB compares column names
     * without case, and a column created by hand may differ only in case).
     */
    public boolean hasColumn(String name) {
        return names.contains(name) || lowerCaseNames.contains(name.toLowerCase(Locale.ROOT));
    }

    /** The columns as a Connect schema, for typing schemaless records by the table. */
    public Schema rowSchema() {
        return rowSchema;
    }
}
