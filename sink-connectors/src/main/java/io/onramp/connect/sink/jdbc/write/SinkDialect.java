package io.onramp.connect.sink.jdbc.write;

import io.onramp.connect.core.jdbc.Dialect;
import io.onramp.connect.core.jdbc.Dialects;
import io.onramp.connect.core.jdbc.MariaDbDialect;
import io.onramp.connect.core.jdbc.PostgresDialect;
import io.onramp.connect.sink.jdbc.mapping.ColumnSpec;
import io.onramp.connect.sink.jdbc.mapping.RowChange;
import io.onramp.connect.sink.jdbc.mapping.SinkType;
import io.onramp.connect.core.jdbc.TableId;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL only the sink needs, per database: write statements (insert, native upsert, update, delete), the DDL
 * of auto.create/auto.evolve, and each {@link SinkType}'s column type. Identifiers are always quoted; values are
 * always bound.
 */
public abstract class SinkDialect {

    private final Dialect base;

    protected SinkDialect(Dialect base) {
        this.base = base;
    }

    /** The sink's additions to core's dialect for a JDBC URL: PostgreSQL, MariaDB/MySQL, or generic. */
    public static SinkDialect forUrl(String url) {
        Dialect base = Dialects.forUrl(url);
        if (base instanceof PostgresDialect) {
            return new PostgresSinkDialect(base);
        }
        if (base instanceof MariaDbDialect) {
            return new MariaDbSinkDialect(base);
        }
        return new GenericSinkDialect(base);
    }

    /** Core's dialect: quoting, connection setup, which errors are transient. */
    public Dialect base() {
        return base;
    }

    public String name() {
        return base.name();
    }

    /** Quotes one identifier (core's quoting); a NUL character, which no database accepts in a name, is refused. */
    public String quote(String identifier) {
        if (identifier.isEmpty() || identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an identifier must be non-empty and free of NUL characters");
        }
        return base.quoteIdentifier(identifier);
    }

    public String table(TableId table) {
        quote(table.table());
        return base.qualify(table);
    }

    /** Connection lost, deadlock, serialization failure, server restarting: retry the whole batch. */
    public boolean isRetriable(SQLException e) {
        return base.isRetriable(e);
    }

    /** Whether the failure says the table does not exist. */
    public boolean isMissingTable(SQLException e) {
        return base.isMissingObject(e);
    }

    /** The SQL type of a column created for {@code column}; key columns may need a bounded type. */
    public abstract String columnType(ColumnSpec column, boolean key);

    /** Whether upserts are one native statement; when false the writer updates, then inserts when no row matched. */
    public boolean nativeUpsert() {
        return true;
    }

    /** The statement for changes of this shape; parameters are the key values then the values, see {@link #bind}. */
    public String statement(RowChange.Shape shape) {
        return switch (shape.kind()) {
            case INSERT -> insert(shape);
            case UPSERT -> upsert(shape);
            case UPDATE -> update(shape);
            case DELETE -> delete(shape);
        };
    }

    protected String insert(RowChange.Shape shape) {
        List<String> columns = all(shape);
        return "INSERT INTO " + table(shape.table()) + " (" + list(columns) + ") VALUES ("
                + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
    }

    protected abstract String upsert(RowChange.Shape shape);

    /** UPDATE ... SET values WHERE keys; bound by {@link #bindUpdate}. */
    public String update(RowChange.Shape shape) {
        return "UPDATE " + table(shape.table()) + " SET "
                + shape.valueColumns().stream().map(c -> quote(c) + " = ?").collect(Collectors.joining(", "))
                + " WHERE " + where(shape.keyColumns());
    }

    protected String delete(RowChange.Shape shape) {
        return "DELETE FROM " + table(shape.table()) + " WHERE " + where(shape.keyColumns());
    }

    public String createTable(TableId table, List<ColumnSpec> keys, List<ColumnSpec> values) {
        var sb = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(table(table)).append(" (");
        String sep = "";
        for (ColumnSpec key : keys) {
            sb.append(sep).append(quote(key.name())).append(' ').append(columnType(key, true)).append(" NOT NULL");
            sep = ", ";
        }
        for (ColumnSpec value : values) {
            sb.append(sep).append(quote(value.name())).append(' ').append(columnType(value, false));
            if (!value.optional()) {
                sb.append(" NOT NULL");
            }
            sep = ", ";
        }
        if (!keys.isEmpty()) {
            sb.append(sep).append("PRIMARY KEY (").append(list(keys.stream().map(ColumnSpec::name).toList())).append(')');
        }
        return sb.append(')').toString();
    }

    /** Adds a nullable column; never anything else. */
    public String addColumn(TableId table, ColumnSpec column) {
        return "ALTER TABLE " + table(table) + " ADD COLUMN IF NOT EXISTS " + quote(column.name()) + " "
                + columnType(column, false) + " NULL";
    }

    /** Binds a change for {@link #statement}: keys first (where clauses last for updates). */
    public void bind(PreparedStatement statement, RowChange change) throws SQLException {
        if (change.kind() == RowChange.Kind.UPDATE) {
            bindUpdate(statement, change);
            return;
        }
        int index = 1;
        for (int i = 0; i < change.keyValues().length; i++) {
            bindValue(statement, index++, change.keyColumns().get(i), change.keyValues()[i]);
        }
        for (int i = 0; i < change.values().length; i++) {
            bindValue(statement, index++, change.valueColumns().get(i), change.values()[i]);
        }
    }

    /** Binds a change for {@link #update}: values first, then keys. */
    public void bindUpdate(PreparedStatement statement, RowChange change) throws SQLException {
        int index = 1;
        for (int i = 0; i < change.values().length; i++) {
            bindValue(statement, index++, change.valueColumns().get(i), change.values()[i]);
        }
        for (int i = 0; i < change.keyValues().length; i++) {
            bindValue(statement, index++, change.keyColumns().get(i), change.keyValues()[i]);
        }
    }

    /** Binds one value of the type {@link io.onramp.connect.sink.jdbc.mapping.ValueConverter} produced. */
    protected void bindValue(PreparedStatement statement, int index, ColumnSpec column, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, sqlType(column.type()));
            return;
        }
        switch (column.type()) {
            case BOOLEAN -> statement.setBoolean(index, (Boolean) value);
            case INT16 -> statement.setShort(index, ((Number) value).shortValue());
            case INT32 -> statement.setInt(index, ((Number) value).intValue());
            case INT64 -> statement.setLong(index, ((Number) value).longValue());
            case FLOAT32 -> statement.setFloat(index, ((Number) value).floatValue());
            case FLOAT64 -> statement.setDouble(index, ((Number) value).doubleValue());
            case DECIMAL -> statement.setBigDecimal(index, (java.math.BigDecimal) value);
            case STRING -> statement.setString(index, value.toString());
            case BYTES -> statement.setBytes(index, (byte[]) value);
            case DATE, TIME, TIMESTAMP -> statement.setObject(index, value);
            case JSON -> bindJson(statement, index, value.toString());
        }
    }

    protected void bindJson(PreparedStatement statement, int index, String json) throws SQLException {
        statement.setString(index, json);
    }

    protected static int sqlType(SinkType type) {
        return switch (type) {
            case BOOLEAN -> Types.BOOLEAN;
            case INT16 -> Types.SMALLINT;
            case INT32 -> Types.INTEGER;
            case INT64 -> Types.BIGINT;
            case FLOAT32 -> Types.REAL;
            case FLOAT64 -> Types.DOUBLE;
            case DECIMAL -> Types.NUMERIC;
            case STRING, JSON -> Types.VARCHAR;
            case BYTES -> Types.VARBINARY;
            case DATE -> Types.DATE;
            case TIME -> Types.TIME;
            case TIMESTAMP -> Types.TIMESTAMP;
        };
    }

    protected static List<String> all(RowChange.Shape shape) {
        var columns = new java.util.ArrayList<String>(shape.keyColumns());
        columns.addAll(shape.valueColumns());
        return columns;
    }

    protected String list(List<String> columns) {
        return columns.stream().map(this::quote).collect(Collectors.joining(", "));
    }

    protected String where(List<String> keys) {
        return keys.stream().map(k -> quote(k) + " = ?").collect(Collectors.joining(" AND "));
    }
}
