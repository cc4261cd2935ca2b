package io.onramp.connect.source.jdbc;

import io.onramp.connect.core.config.ConfigValidators;
import io.onramp.connect.core.contract.ContractConfig;
import io.onramp.connect.core.jdbc.ColumnDescriptor;
import io.onramp.connect.core.jdbc.ColumnMapper;
import io.onramp.connect.core.jdbc.ColumnMapping;
import io.onramp.connect.core.jdbc.Dialect;
import io.onramp.connect.core.jdbc.Dialects;
import io.onramp.connect.core.jdbc.JdbcConnectionConfig;
import io.onramp.connect.core.jdbc.JdbcConnectionFactory;
import io.onramp.connect.core.jdbc.JdbcErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks against the database that the connector's validate() runs once the keys themselves are valid: the
 * login works, the tables or the query exist, and they have the mode's columns in fitting types. Each problem is a
 * sentence on the key to change, and never contains the password.
 */
final class JdbcSourceValidator {

    private JdbcSourceValidator() {
    }

    /** Key → message; empty when everything checks out. */
    static Map<String, String> check(JdbcSourceConfig config) {
        Map<String, String> problems = new LinkedHashMap<>();
        var settings = config.connection();
        Dialect dialect = Dialects.forUrl(settings.url());
        var connections = new JdbcConnectionFactory(settings, dialect);
        Connection connection;
        try {
            connection = connections.open(1);
        } catch (SQLException e) {
            String detail = JdbcErrors.describe(e, settings);
            if (dialect.isAuthenticationFailure(e)) {
                String message = "The database refused the login of user '" + settings.user() + "': check '"
                        + JdbcConnectionConfig.USER + "' and '" + JdbcConnectionConfig.PASSWORD + "' (" + detail + ")";
                problems.put(JdbcConnectionConfig.USER, message);
                problems.put(JdbcConnectionConfig.PASSWORD, message);
            } else {
                problems.put(JdbcConnectionConfig.URL, "Could not connect to " + JdbcErrors.maskUrl(settings.url()) + ": " + detail);
            }
            return problems;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.put(JdbcConnectionConfig.URL, "Interrupted while connecting to the database");
            return problems;
        }
        try (connection) {
            if (config.query() != null) {
                checkQuery(config, dialect, connection, problems);
            } else {
                checkTables(config, dialect, connection, problems);
            }
        } catch (SQLException e) {
            problems.putIfAbsent(JdbcConnectionConfig.URL, "Could not inspect the database: " + JdbcErrors.describe(e, settings));
        }
        return problems;
    }

    private static void checkQuery(JdbcSourceConfig config, Dialect dialect, Connection c, Map<String, String> problems) {
        List<ColumnDescriptor> columns;
        try {
            columns = describe(c, "(" + config.query() + ") onramp_query");
        } catch (SQLException e) {
            problems.put(JdbcSourceConfig.QUERY, "The custom query does not run when wrapped as a subquery (SELECT * FROM (<query>) "
                    + "onramp_query): " + JdbcErrors.describeRead(e, config.connection()));
            return;
        }
        checkColumns(config, columns, "the custom query", problems);
        checkJsonColumns(config, dialect, columns, "the custom query", problems);
        checkBulkDiff(config, dialect, columns, List.of(), "the custom query", problems);
    }

    private static void checkTables(JdbcSourceConfig config, Dialect dialect, Connection c, Map<String, String> problems)
            throws SQLException {
        List<TableDiscovery.Found> tables = TableDiscovery.find(c, config.tableIncludes(), config.tableExcludes());
        if (tables.isEmpty()) {
            problems.put(JdbcSourceConfig.TABLE_INCLUDE_LIST, "No table or view of the database matches '"
                    + JdbcSourceConfig.TABLE_INCLUDE_LIST + "' (" + String.join(",", config.getList(JdbcSourceConfig.TABLE_INCLUDE_LIST))
                    + ") and not '" + JdbcSourceConfig.TABLE_EXCLUDE_LIST + "'; tables are matched as 'schema.table' or 'table'");
            return;
        }
        for (TableDiscovery.Found table : tables) {
            String topic = ReadTarget.topicFor(config.topicPrefix(), table.id().table());
            String topicProblem = ConfigValidators.topicNameProblem(topic);
            if (topicProblem != null) {
                problems.putIfAbsent(JdbcSourceConfig.TOPIC_PREFIX, "'" + JdbcSourceConfig.TOPIC_PREFIX + "' and table "
                        + table.id() + " make the topic '" + topic + "' (characters a topic cannot hold already replaced by "
                        + "'_'), which is not a legal Kafka topic name: " + topicProblem);
            }
            List<ColumnDescriptor> columns;
            try {
                columns = describe(c, dialect.qualify(table.id()));
            } catch (SQLException e) {
                problems.putIfAbsent(JdbcSourceConfig.TABLE_INCLUDE_LIST, "Table " + table.id() + " cannot be read: "
                        + JdbcErrors.describeRead(e, config.connection()));
                continue;
            }
            checkColumns(config, columns, "table " + table.id(), problems);
            checkJsonColumns(config, dialect, columns, "table " + table.id(), problems);
            if (config.mode() == JdbcMode.BULK_DIFF) {
                checkBulkDiff(config, dialect, columns, TableDiscovery.primaryKey(c, table.id()), "table " + table.id(), problems);
            }
        }
    }

    private static void checkColumns(JdbcSourceConfig config, List<ColumnDescriptor> columns, String what, Map<String, String> problems) {
        JdbcMode mode = config.mode();
        if (mode.usesIncrementing()) {
            String name = config.incrementingColumn();
            ColumnDescriptor column = find(columns, name);
            if (column == null) {
                problems.putIfAbsent(JdbcSourceConfig.INCREMENTING_COLUMN, what + " has no column '" + name + "'; its columns are "
                        + TableDiscovery.names(columns));
            } else if (!IncrementalColumns.isInteger(column)) {
                problems.putIfAbsent(JdbcSourceConfig.INCREMENTING_COLUMN, "Column '" + name + "' of " + what + " is "
                        + column.typeName() + "; the incrementing column must be an integer type");
            }
        }
        if (mode.usesTimestamp()) {
            for (String name : config.timestampColumns()) {
                ColumnDescriptor column = find(columns, name);
                if (column == null) {
                    problems.putIfAbsent(JdbcSourceConfig.TIMESTAMP_COLUMNS, what + " has no column '" + name + "'; its columns are "
                            + TableDiscovery.names(columns));
                } else if (!TimestampValues.fits(column)) {
                    problems.putIfAbsent(JdbcSourceConfig.TIMESTAMP_COLUMNS, "Column '" + name + "' of " + what + " is "
                            + column.typeName() + "; a timestamp column must be a timestamp or date type");
                }
            }
        }
    }

    /** With a contract: every column whose contract field is a record is text the contract can parse. */
    private static void checkJsonColumns(JdbcSourceConfig config, Dialect dialect, List<ColumnDescriptor> columns, String what,
            Map<String, String> problems) {
        JsonColumns json = config.jsonColumns();
        if (json == null) {
            return;
        }
        String problem = json.problem(new ColumnMapper(dialect, config.numericMapping(), config.dbTimeZone()).map(columns), what);
        if (problem != null) {
            problems.putIfAbsent(config.getString(ContractConfig.FILE) != null ? ContractConfig.FILE : ContractConfig.DIR, problem);
        }
    }

    /** Mode bulk-diff: a key to diff by, key and ignored columns present, every column flat. */
    private static void checkBulkDiff(JdbcSourceConfig config, Dialect dialect, List<ColumnDescriptor> columns,
            List<String> primaryKey, String what, Map<String, String> problems) {
        if (config.mode() != JdbcMode.BULK_DIFF) {
            return;
        }
        List<String> key = config.snapshotKeyFields().isEmpty() ? primaryKey : config.snapshotKeyFields();
        if (key.isEmpty()) {
            problems.putIfAbsent(JdbcSourceConfig.SNAPSHOT_KEY_FIELDS, what + " has no primary key: set '"
                    + JdbcSourceConfig.SNAPSHOT_KEY_FIELDS + "' to the columns that identify a row (mode 'bulk-diff')");
        }
        for (String name : key) {
            if (find(columns, name) == null) {
                problems.putIfAbsent(JdbcSourceConfig.SNAPSHOT_KEY_FIELDS, what + " has no column '" + name + "' (named in '"
                        + JdbcSourceConfig.SNAPSHOT_KEY_FIELDS + "'); its columns are " + TableDiscovery.names(columns));
            }
        }
        for (String name : config.snapshotIgnoreFields()) {
            if (find(columns, name) == null) {
                problems.putIfAbsent(JdbcSourceConfig.SNAPSHOT_IGNORE_FIELDS, what + " has no column '" + name + "' (named in '"
                        + JdbcSourceConfig.SNAPSHOT_IGNORE_FIELDS + "'); its columns are " + TableDiscovery.names(columns));
            }
        }
        var mapper = new ColumnMapper(dialect, config.numericMapping(), config.dbTimeZone());
        for (ColumnMapping mapping : mapper.map(columns)) {
            if (!mapping.schema().type().isPrimitive()) {
                problems.putIfAbsent(JdbcSourceConfig.MODE, "Column '" + mapping.column().name() + "' of " + what + " is "
                        + mapping.column().typeName() + ", which mode 'bulk-diff' cannot diff (rows must be flat): read it "
                        + "through '" + JdbcSourceConfig.QUERY + "' with the column cast to text, or use another mode");
            }
        }
    }

    private static ColumnDescriptor find(List<ColumnDescriptor> columns, String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }

    private static List<ColumnDescriptor> describe(Connection c, String from) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + from + " WHERE 1 = 0"); ResultSet rs = ps.executeQuery()) {
            return ColumnDescriptor.of(rs.getMetaData());
        }
    }
}
