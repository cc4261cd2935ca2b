package io.onramp.connect.source.jdbc;

import io.onramp.connect.core.config.ConnectorValidation;
import io.onramp.connect.core.connector.OnrampSourceConnector;
import io.onramp.connect.core.jdbc.Dialects;
import io.onramp.connect.core.jdbc.JdbcConnectionFactory;
import io.onramp.connect.core.jdbc.JdbcErrors;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls relational tables (or one custom query) into Kafka: modes bulk, incrementing, timestamp,
 * timestamp+incrementing, with Confluent's JDBC source key names, and bulk-diff (the changes between two reads of
 * the whole table, as the file source's snapshot mode emits them). Tables are spread over the tasks; tables created
 * or dropped while it runs are noticed every {@code table.poll.interval.ms} and the tasks reconfigured.
 */
public class JdbcSourceConnector extends OnrampSourceConnector {

    private static final Logger log = LoggerFactory.getLogger(JdbcSourceConnector.class);

    private Map<String, String> props;
    /** The tables to spread over the tasks (the monitor's latest listing). */
    private Supplier<List<String>> tables;
    private TableMonitor monitor;

    public JdbcSourceConnector() {
        super(JdbcSourceConfig.CONFIG_DEF, JdbcSourceConfig.MODE);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return JdbcSourceTask.class;
    }

    @Override
    public void start(Map<String, String> props) {
        this.props = new HashMap<>(props);
        var config = new JdbcSourceConfig(props);
        if (config.query() != null) {
            tables = List::of;
            return;
        }
        var settings = config.connection();
        var connections = new JdbcConnectionFactory(settings, Dialects.forUrl(settings.url()));
        monitor = new TableMonitor(connections, config.tableIncludes(), config.tableExcludes(), config.tablePollIntervalMs(),
                () -> context.requestTaskReconfiguration());
        try {
            monitor.start(props.getOrDefault("name", "jdbc-source"));
        } catch (SQLException e) {
            throw new ConnectException("could not list the tables: " + JdbcErrors.describe(e, settings), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while listing the tables", e);
        }
        tables = monitor::tables;
        if (tables.get().isEmpty()) {
            log.warn("No table matches table.include.list/table.exclude.list yet; the connector has no task until one is created");
        }
        log.info("JDBC source connector started: mode {}, {} table(s)", config.mode().configValue(), tables.get().size());
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<String> tables = this.tables.get();
        if (tables.isEmpty()) {
            return props.get(JdbcSourceConfig.QUERY) != null && !props.get(JdbcSourceConfig.QUERY).isBlank()
                    ? List.of(new HashMap<>(props)) : List.of();
        }
        int groups = Math.min(maxTasks, tables.size());
        List<List<String>> shares = new ArrayList<>();
        for (int i = 0; i < groups; i++) {
            shares.add(new ArrayList<>());
        }
        for (int i = 0; i < tables.size(); i++) {
            shares.get(i % groups).add(tables.get(i));
        }
        List<Map<String, String>> configs = new ArrayList<>();
        for (List<String> share : shares) {
            Map<String, String> task = new HashMap<>(props);
            task.put(JdbcSourceTask.TABLES, TaskTables.encode(share));
            configs.add(task);
        }
        return configs;
    }

    @Override
    public void stop() {
        if (monitor != null) {
            monitor.close();
            monitor = null;
        }
    }

    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        String mode = connectorConfig.getOrDefault(JdbcSourceConfig.MODE, "");
        // Resumable exactly where the last committed record left off: incrementing (and with timestamp), and
        // bulk-diff, whose run stays sorted in the archive until all its events are committed, so a restarted task
        // diffs the same rows and skips what was sent. timestamp alone re-reads rows sharing the last timestamp
        // after a restart; bulk re-reads everything.
        return switch (mode.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "incrementing", "timestamp+incrementing", "bulk-diff" -> ExactlyOnceSupport.SUPPORTED;
            default -> ExactlyOnceSupport.UNSUPPORTED;
        };
    }

    /**
     * The rules between keys, then what needs the database: the login, the tables or the custom query, and their
     * columns for the mode.
     */
    @Override
    protected void checkCrossKeys(Map<String, String> connectorConfig, ConnectorValidation.Errors errors) {
        var config = new JdbcSourceConfig(connectorConfig, false);
        Map<String, String> problems = JdbcSourceConfig.problems(config);
        problems.forEach(errors::add);
        if (problems.isEmpty()) {
            JdbcSourceValidator.check(config).forEach(errors::add);
        }
    }

    /**
     * Mode bulk-diff defines its own transaction boundaries when asked to ({@code transaction.boundary=connector}):
     * all change events of one run in one transaction, so consumers never see half a diff.
     */
    @Override
    public ConnectorTransactionBoundaries canDefineTransactionBoundaries(Map<String, String> connectorConfig) {
        String mode = connectorConfig.getOrDefault(JdbcSourceConfig.MODE, "");
        return JdbcMode.BULK_DIFF.configValue().equals(mode.strip().toLowerCase(java.util.Locale.ROOT))
                ? ConnectorTransactionBoundaries.SUPPORTED : ConnectorTransactionBoundaries.UNSUPPORTED;
    }

}
