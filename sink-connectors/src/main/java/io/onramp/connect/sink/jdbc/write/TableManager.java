package io.onramp.connect.sink.jdbc.write;

import io.onramp.connect.core.jdbc.ColumnDescriptor;
import io.onramp.connect.core.jdbc.ColumnMapper;
import io.onramp.connect.core.jdbc.NumericMapping;
import io.onramp.connect.sink.jdbc.mapping.ColumnSpec;
import io.onramp.connect.sink.jdbc.mapping.RowChange;
import io.onramp.connect.core.jdbc.TableId;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows the tables the sink writes to: reads an existing table's columns once (a {@code SELECT * ... WHERE 1 = 0},
 * which needs no name patterns and sees exactly the quoted name), creates missing tables when auto.create is on,
 * and adds nullable columns when auto.evolve is on. It never drops, renames or narrows anything.
 */
public final class TableManager {

    private static final Logger LOG = LoggerFactory.getLogger(TableManager.class);

    private final SinkDialect dialect;
    private final boolean autoCreate;
    private final boolean autoEvolve;
    private final ColumnMapper columns;
    private final Map<TableId, TableDefinition> known = new HashMap<>();

    public TableManager(SinkDialect dialect, boolean autoCreate, boolean autoEvolve) {
        this.dialect = dialect;
        this.columns = new ColumnMapper(dialect.base(), NumericMapping.NONE, ZoneOffset.UTC);
        this.autoCreate = autoCreate;
        this.autoEvolve = autoEvolve;
    }

    /** The table's definition, read once and cached; null when it does not exist. */
    public TableDefinition definition(Connection connection, TableId table) throws SQLException {
        TableDefinition cached = known.get(table);
        if (cached != null) {
            return cached;
        }
        TableDefinition read = read(connection, table);
        if (read != null) {
            known.put(table, read);
        }
        return read;
    }

    /** Forgets what was read, e.g. after a connection was replaced or DDL may have run elsewhere. */
    public void forget() {
        known.clear();
    }

    /**
     * Makes every table the changes write to exist with every column they name, or throws a
     * {@link ConnectException} naming the table and column that auto.create / auto.evolve would have to add.
     * DDL runs in its own transactions, before the batch's data transaction.
     */
    public void prepare(Connection connection, List<RowChange> changes) throws SQLException {
        Map<TableId, Map<String, ColumnSpec>> keysByTable = new LinkedHashMap<>();
        Map<TableId, Map<String, ColumnSpec>> valuesByTable = new LinkedHashMap<>();
        Map<TableId, RowChange.Shape> seen = new HashMap<>();
        for (RowChange change : changes) {
            RowChange.Shape shape = change.shape();
            if (shape.equals(seen.get(change.table()))) {
                continue;
            }
            seen.put(change.table(), shape);
            var keys = keysByTable.computeIfAbsent(change.table(), t -> new LinkedHashMap<>());
            change.keyColumns().forEach(c -> keys.putIfAbsent(c.name(), c));
            var values = valuesByTable.computeIfAbsent(change.table(), t -> new LinkedHashMap<>());
            change.valueColumns().forEach(c -> values.merge(c.name(), c,
                    (a, b) -> a.optional() ? a : b)); // nullable if any record has it null-able
        }
        for (var entry : keysByTable.entrySet()) {
            TableId table = entry.getKey();
            List<ColumnSpec> keys = new ArrayList<>(entry.getValue().values());
            List<ColumnSpec> values = new ArrayList<>(valuesByTable.get(table).values());
            values.removeIf(v -> entry.getValue().containsKey(v.name()));
            ensure(connection, table, keys, values);
        }
    }

    private void ensure(Connection connection, TableId table, List<ColumnSpec> keys, List<ColumnSpec> values)
            throws SQLException {
        TableDefinition definition = definition(connection, table);
        if (definition == null) {
            if (!autoCreate) {
                throw new ConnectException("Table " + table + " does not exist in the " + dialect.name()
                        + " database and auto.create is false: create it, or set auto.create=true");
            }
            execute(connection, dialect.createTable(table, keys, values));
            LOG.info("Created table {} with {} key and {} value columns", table, keys.size(), values.size());
            known.remove(table);
            definition = definition(connection, table);
            if (definition == null) {
                throw new ConnectException("Table " + table + " was created but cannot be read back; check the "
                        + "user's privileges on it");
            }
            return;
        }
        List<ColumnSpec> missing = new ArrayList<>();
        for (ColumnSpec column : keys) {
            if (!definition.hasColumn(column.name())) {
                throw new ConnectException("Table " + table + " has no column '" + column.name() + "' for the "
                        + "primary key; key columns are never added to an existing table");
            }
        }
        for (ColumnSpec column : values) {
            if (!definition.hasColumn(column.name())) {
                missing.add(column);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        if (!autoEvolve) {
            throw new ConnectException("Table " + table + " has no column '" + missing.get(0).name()
                    + "' that the records carry, and auto.evolve is false: add the column, exclude the field "
                    + "(fields.exclude.list), or set auto.evolve=true");
        }
        for (ColumnSpec column : missing) {
            execute(connection, dialect.addColumn(table, column.asOptional()));
            LOG.info("Added nullable column '{}' to table {}", column.name(), table);
        }
        known.remove(table);
        definition(connection, table);
    }

    private static void execute(Connection connection, String ddl) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute(ddl);
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private TableDefinition read(Connection connection, TableId table) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(true); // a failed probe must not abort a PostgreSQL transaction
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT * FROM " + dialect.table(table) + " WHERE 1 = 0")) {
            return new TableDefinition(table, ColumnDescriptor.of(rs.getMetaData()), columns);
        } catch (SQLException e) {
            if (dialect.isMissingTable(e)) {
                return null;
            }
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }
}
