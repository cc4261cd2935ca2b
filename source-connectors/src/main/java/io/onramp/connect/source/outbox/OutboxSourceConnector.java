package io.onramp.connect.source.outbox;

import io.onramp.connect.core.config.ConnectorValidation;
import io.onramp.connect.core.connector.OnrampSourceConnector;
import io.onramp.connect.core.jdbc.Dialect;
import io.onramp.connect.core.jdbc.Dialects;
import io.onramp.connect.core.jdbc.JdbcConnectionConfig;
import io.onramp.connect.core.jdbc.JdbcConnectionFactory;
import io.onramp.connect.core.jdbc.JdbcErrors;
import io.onramp.connect.core.outbox.OutboxRoutingConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;

/**
 * Transactional outbox source for databases where CDC is not allowed: polls an outbox table in commit order (on
 * PostgreSQL by the transaction snapshot horizon, on MariaDB/MySQL by auto-increment id with gap tracking), routes
 * each row through the same routing core as the {@code OutboxRouter} transform, and optionally deletes delivered
 * rows once their offsets are committed. One task: commit order has one reader.
 */
public class OutboxSourceConnector extends OnrampSourceConnector {

    private Map<String, String> props;

    public OutboxSourceConnector() {
        super(OutboxSourceConfig.CONFIG_DEF, OutboxSourceConfig.TABLE);
    }

    @Override
    public void start(Map<String, String> props) {
        this.props = Map.copyOf(props);
        new OutboxSourceConfig(props).router(); // fail fast on a config that validate would have refused
    }

    @Override
    public Class<? extends Task> taskClass() {
        return OutboxSourceTask.class;
    }

    /** One task whatever tasks.max says: two readers of one outbox would each deliver every row. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        var task = new HashMap<>(props);
        task.put(OutboxSourceTask.TASK_ID, "0");
        return List.of(task);
    }

    /**
     * What needs the database: the login works, the database is one the outbox source reads, the table and the
     * configured columns exist, and the id column fits the database's commit order.
     */
    @Override
    protected void checkCrossKeys(Map<String, String> connectorConfig, ConnectorValidation.Errors errors) {
        var parsed = new OutboxSourceConfig(connectorConfig);
        parsed.router();
        var settings = parsed.connection();
        Dialect dialect = Dialects.forUrl(settings.url());
        if (!"postgresql".equals(dialect.name()) && !"mariadb".equals(dialect.name())) {
            errors.add(JdbcConnectionConfig.URL, "'" + JdbcConnectionConfig.URL + "' must name a PostgreSQL"
                    + " (jdbc:postgresql:) or MariaDB/MySQL (jdbc:mariadb:, jdbc:mysql:) database: the outbox source"
                    + " reads commit order the way only those two allow.");
            return;
        }
        try (Connection connection = new JdbcConnectionFactory(settings, dialect).open(1)) {
            checkDatabase(connection, dialect, parsed, errors);
        } catch (SQLException e) {
            String key = dialect.isAuthenticationFailure(e) ? JdbcConnectionConfig.USER : JdbcConnectionConfig.URL;
            errors.add(key, "Cannot connect with '" + key + "': " + JdbcErrors.describe(e, settings));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void checkDatabase(Connection connection, Dialect dialect, OutboxSourceConfig parsed,
            ConnectorValidation.Errors errors) throws SQLException {
        if ("postgresql".equals(dialect.name()) && connection.getMetaData().getDatabaseMajorVersion() < 13) {
            errors.add(JdbcConnectionConfig.URL, "The outbox source needs PostgreSQL 13 or later"
                    + " (pg_current_snapshot); '" + JdbcConnectionConfig.URL + "' names version "
                    + connection.getMetaData().getDatabaseProductVersion() + ".");
            return;
        }
        OutboxTable table;
        try {
            table = OutboxTable.describe(connection, dialect, parsed.table());
        } catch (SQLException e) {
            if (!dialect.isMissingObject(e)) {
                throw e;
            }
            errors.add(OutboxSourceConfig.TABLE, "'" + OutboxSourceConfig.TABLE + "' names the table "
                    + parsed.table() + ", which does not exist or cannot be read: " + JdbcErrors.describeRead(e, parsed.connection()));
            return;
        }
        for (String key : List.of(OutboxRoutingConfig.EVENT_ID, OutboxRoutingConfig.EVENT_KEY, OutboxRoutingConfig.EVENT_PAYLOAD,
                OutboxRoutingConfig.ROUTE_BY_FIELD, OutboxRoutingConfig.EVENT_TIMESTAMP)) {
            String column = parsed.getString(key);
            if (column != null && !column.isBlank() && !table.has(column)) {
                errors.add(key, "'" + key + "' names the column '" + column + "', which the table "
                        + parsed.table() + " lacks (it has " + String.join(", ", table.columns().keySet()) + ").");
            }
        }
        for (String entry : parsed.getList(OutboxRoutingConfig.ADDITIONAL_PLACEMENT)) {
            String column = entry.split(":", -1)[0].trim();
            if (!table.has(column)) {
                errors.add(OutboxRoutingConfig.ADDITIONAL_PLACEMENT, "'" + OutboxRoutingConfig.ADDITIONAL_PLACEMENT
                        + "' names the column '" + column + "', which the table " + parsed.table() + " lacks.");
            }
        }
        if ("mariadb".equals(dialect.name()) && table.has(parsed.idColumn()) && !table.isInteger(parsed.idColumn())) {
            errors.add(OutboxRoutingConfig.EVENT_ID, "On MariaDB/MySQL '" + OutboxRoutingConfig.EVENT_ID
                    + "' must name an auto-increment integer column (commit order is read from it); '"
                    + parsed.idColumn() + "' is not an integer.");
        }
    }

    /**
     * Every record carries its own position as offset, and a restarted task reads on after the committed one, so
     * with exactly-once workers each poll's records and offset commit in one transaction: no row twice, none lost.
     */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    /** Offsets may be reset, or set to a position, through the REST API (KIP-875). */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
        for (var entry : offsets.entrySet()) {
            String problem = OutboxOffsets.problem(entry.getKey(), entry.getValue());
            if (problem != null) {
                throw new ConnectException("Cannot alter offsets of the outbox source: " + problem);
            }
        }
        return true;
    }
}
