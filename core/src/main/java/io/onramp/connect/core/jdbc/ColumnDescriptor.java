package io.onramp.connect.core.jdbc;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the driver says about one result column, copied out of {@link ResultSetMetaData} so that the mapping can be
 * decided (and unit-tested) without a database.
 *
 * @param name      the column label
 * @param jdbcType  a {@link java.sql.Types} constant
 * @param typeName  the database's own type name (e.g. {@code int4}, {@code jsonb}, {@code _text}, {@code DATETIME})
 * @param precision the declared precision (0 when unknown)
 * @param scale     the declared scale
 * @param nullable  whether the column may hold NULL (unknown counts as nullable)
 * @param signed    whether a numeric column is signed (MariaDB's UNSIGNED types are not)
 */
public record ColumnDescriptor(String name, int jdbcType, String typeName, int precision, int scale, boolean nullable,
        boolean signed) {

    /** All columns of a result, in order. */
    public static List<ColumnDescriptor> of(ResultSetMetaData meta) throws SQLException {
        List<ColumnDescriptor> columns = new ArrayList<>(meta.getColumnCount());
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            columns.add(new ColumnDescriptor(meta.getColumnLabel(i), jdbcType(meta.getColumnType(i), meta.getColumnTypeName(i)),
                    meta.getColumnTypeName(i),
                    meta.getPrecision(i), meta.getScale(i), meta.isNullable(i) != ResultSetMetaData.columnNoNulls,
                    meta.isSigned(i)));
        }
        return columns;
    }

    /**
     * The driver's type code, corrected where a driver reports a zoned type as its zone-less twin (PostgreSQL's
     * driver says TIMESTAMP for timestamptz and TIME for timetz).
     */
    static int jdbcType(int reported, String typeName) {
        if (typeName != null) {
            if (reported == java.sql.Types.TIMESTAMP && typeName.equalsIgnoreCase("timestamptz")) {
                return java.sql.Types.TIMESTAMP_WITH_TIMEZONE;
            }
            if (reported == java.sql.Types.TIME && typeName.equalsIgnoreCase("timetz")) {
                return java.sql.Types.TIME_WITH_TIMEZONE;
            }
        }
        return reported;
    }
}
