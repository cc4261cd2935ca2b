package io.onramp.connect.source.outbox;

import io.onramp.connect.core.jdbc.Dialect;
import io.onramp.connect.core.jdbc.TableId;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outbox table as the database describes it: its quoted name and its columns with their JDBC types.
 *
 * @param qualified the table's name, quoted by the dialect, ready for SQL
 * @param columns   column name to {@link java.sql.Types} code, in table order
 */
record OutboxTable(String qualified, Map<String, Integer> columns) {

    /** Reads the columns with a query that returns no rows; throws the driver's error when the table is missing. */
    static OutboxTable describe(Connection connection, Dialect dialect, TableId table) throws SQLException {
        String qualified = dialect.qualify(table);
        try (var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT * FROM " + qualified + " WHERE 1 = 0")) {
            var meta = rows.getMetaData();
            var columns = new LinkedHashMap<String, Integer>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.put(meta.getColumnLabel(i), meta.getColumnType(i));
            }
            // Map.copyOf would lose the table order that error texts list the columns in
            return new OutboxTable(qualified, java.util.Collections.unmodifiableMap(columns));
        }
    }

    boolean has(String column) {
        return columns.containsKey(column);
    }

    /** Whether the column holds whole numbers (the position then keeps a number). */
    boolean isInteger(String column) {
        Integer type = columns.get(column);
        return type != null && (type == Types.BIGINT || type == Types.INTEGER || type == Types.SMALLINT || type == Types.TINYINT);
    }
}
