package io.onramp.connect.core.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.apache.kafka.connect.data.Schema;

/**
 * One column's Connect schema and how to read its value from a result set.
 *
 * @param column the column as the driver describes it
 * @param schema its Connect schema (optional when the column is nullable)
 * @param reader reads the value at a column index as a value of {@code schema} (null for SQL NULL)
 */
public record ColumnMapping(ColumnDescriptor column, Schema schema, ValueReader reader) {

    /** Reads a column's value from the current row. */
    @FunctionalInterface
    public interface ValueReader {
        Object read(ResultSet rs, int index) throws SQLException;
    }

    /** The value of this column at {@code index} in the current row of {@code rs}. */
    public Object read(ResultSet rs, int index) throws SQLException {
        return reader.read(rs, index);
    }
}
