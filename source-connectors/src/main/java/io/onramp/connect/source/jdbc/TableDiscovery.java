package io.onramp.connect.source.jdbc;

import io.onramp.connect.core.jdbc.TableId;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Lists the tables and views a connection can read, filtered by the include/exclude lists, and their keys. */
final class TableDiscovery {

    private static final Set<String> SYSTEM_SCHEMAS = Set.of("pg_catalog", "information_schema", "pg_toast",
            "mysql", "performance_schema", "sys");

    private TableDiscovery() {
    }

    /** A table and whether it is a view. */
    record Found(TableId id, boolean view) {
    }

    /**
     * The tables and views in the connection's database (MariaDB: its current database; PostgreSQL: every
     * non-system schema), in name order, that an include pattern matches (or all when there are none) and no
     * exclude pattern does.
     */
    static List<Found> find(Connection connection, List<Pattern> includes, List<Pattern> excludes) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        var found = new TreeMap<TableId, Found>();
        try (ResultSet rs = meta.getTables(connection.getCatalog(), null, "%", new String[] {"TABLE", "VIEW", "PARTITIONED TABLE"})) {
            while (rs.next()) {
                String schema = rs.getString("TABLE_SCHEM");
                String container = schema != null ? schema : rs.getString("TABLE_CAT");
                if (container != null && SYSTEM_SCHEMAS.contains(container)) {
                    continue;
                }
                TableId id = new TableId(null, container, rs.getString("TABLE_NAME"));
                if (selected(id, includes, excludes)) {
                    found.put(id, new Found(id, "VIEW".equalsIgnoreCase(rs.getString("TABLE_TYPE"))));
                }
            }
        }
        return new ArrayList<>(found.values());
    }

    static boolean selected(TableId id, List<Pattern> includes, List<Pattern> excludes) {
        return (includes.isEmpty() || matchesAny(id, includes)) && !matchesAny(id, excludes);
    }

    private static boolean matchesAny(TableId id, List<Pattern> patterns) {
        String qualified = id.schema() == null ? id.table() : id.schema() + "." + id.table();
        for (Pattern pattern : patterns) {
            if (pattern.matcher(qualified).matches() || pattern.matcher(id.table()).matches()) {
                return true;
            }
        }
        return false;
    }

    /** The primary key's columns in key order, or empty. */
    static List<String> primaryKey(Connection connection, TableId table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        boolean schemas = connection.getMetaData().supportsSchemasInTableDefinitions()
                && !"MariaDB".equalsIgnoreCase(meta.getDatabaseProductName()) && !"MySQL".equalsIgnoreCase(meta.getDatabaseProductName());
        var ordered = new TreeMap<Short, String>();
        try (ResultSet rs = schemas ? meta.getPrimaryKeys(connection.getCatalog(), table.schema(), table.table())
                : meta.getPrimaryKeys(table.schema(), null, table.table())) {
            while (rs.next()) {
                ordered.put(rs.getShort("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        return new ArrayList<>(ordered.values());
    }

    /** Column names of a result shape, for validation messages. */
    static Set<String> names(List<io.onramp.connect.core.jdbc.ColumnDescriptor> columns) {
        var names = new TreeSet<String>();
        columns.forEach(c -> names.add(c.name()));
        return names;
    }
}
