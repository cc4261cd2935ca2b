package io.onramp.connect.source.outbox;

import io.onramp.connect.core.OnrampVersion;
import io.onramp.connect.core.jdbc.Dialect;
import io.onramp.connect.core.jdbc.Dialects;
import io.onramp.connect.core.jdbc.JdbcConnectionFactory;
import io.onramp.connect.core.jdbc.JdbcConnectionSettings;
import io.onramp.connect.core.jdbc.JdbcErrors;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop of the outbox source: read the rows the commit-order reader lets through, route them, hand them to
 * Connect with their positions as offsets, and delete committed rows when asked to. A lost connection is a
 * retriable error: the next poll reconnects and reads again from the same position.
 */
public class OutboxSourceTask extends SourceTask {

    static final String TASK_ID = "task.id";

    /** The pause before reading again when the last read stopped in front of ids still in flight. */
    static final long GAP_RETRY_MS = 25;

    private static final Logger LOG = LoggerFactory.getLogger(OutboxSourceTask.class);

    private final CountDownLatch stopping = new CountDownLatch(1);
    private OutboxSourceConfig config;
    private JdbcConnectionFactory connections;
    private Dialect dialect;
    private Map<String, Object> partition;
    private CommitOrderReader reader;
    private OutboxRecords records;
    private OutboxCleanup cleanup;
    private OutboxSourceMetrics metrics;
    private OutboxPosition position;
    private Connection connection;
    private String tableName;

    @Override
    public String version() {
        return OnrampVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new OutboxSourceConfig(props);
        JdbcConnectionSettings settings = config.connection();
        dialect = Dialects.forUrl(settings.url());
        connections = new JdbcConnectionFactory(settings, dialect);
        tableName = config.table().toConfigText();
        partition = OutboxOffsets.partition(config.table());
        position = OutboxPosition.fromOffset(context.offsetStorageReader().offset(partition));
        metrics = new OutboxSourceMetrics();
        metrics.register(props.getOrDefault("name", tableName), Integer.parseInt(props.getOrDefault(TASK_ID, "0")));
        records = new OutboxRecords(config.router(), partition, tableName, config.onInvalid(), config.quarantineSuffix(), metrics);
        LOG.info("Outbox source started on table {} ({}), resuming after {}", tableName, dialect.name(),
                position.isStart() ? "the start" : position);
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        List<SourceRecord> batch;
        synchronized (this) {
            if (stopping.getCount() == 0) {
                return null;
            }
            batch = readBatch();
        }
        if (batch == null) {
            boolean soon = reader != null && reader.waitingForCommits();
            stopping.await(soon ? Math.min(GAP_RETRY_MS, config.pollIntervalMs()) : config.pollIntervalMs(), TimeUnit.MILLISECONDS);
        }
        return batch;
    }

    private List<SourceRecord> readBatch() throws InterruptedException {
        try {
            Connection c = connection();
            if (cleanup != null) {
                cleanup.runIfRequested(c);
            }
            List<OutboxEvent> events = reader.read(c, position, config.batchMaxRows());
            if (events.isEmpty()) {
                return null;
            }
            long now = System.currentTimeMillis();
            var batch = new ArrayList<SourceRecord>(events.size());
            for (OutboxEvent event : events) {
                SourceRecord record = records.toRecord(event, now);
                if (record != null) {
                    batch.add(record);
                }
            }
            position = events.get(events.size() - 1).position();
            metrics.rowsDelivered.addAndGet(events.size());
            return batch.isEmpty() ? null : batch;
        } catch (SQLException e) {
            closeConnection();
            String message = "Reading outbox table " + tableName + " failed: " + JdbcErrors.describeRead(e, connections.settings());
            if (dialect.isRetriable(e)) {
                throw new RetriableException(message + "; reading again from " + position);
            }
            throw new ConnectException(message);
        }
    }

    /** The open connection, or a new one (opened with the configured attempts) with the reader set up for it. */
    private Connection connection() throws SQLException, InterruptedException {
        if (connection != null) {
            return connection;
        }
        Connection c = connections.open();
        try {
            c.setAutoCommit(true);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            if (reader == null) {
                OutboxTable table = OutboxTable.describe(c, dialect, config.table());
                String id = dialect.quoteIdentifier(config.idColumn());
                reader = readerFor(table, id);
                if (config.deleteAfterCommit()) {
                    cleanup = new OutboxCleanup(table.qualified(), id, reader, this::committedPosition,
                            config.deleteBatchSize(), metrics);
                }
            }
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        connection = c;
        return c;
    }

    private CommitOrderReader readerFor(OutboxTable table, String quotedId) {
        return switch (dialect.name()) {
            case "postgresql" -> table.isInteger(config.idColumn())
                    ? new PostgresHorizonBatchReader(table.qualified(), quotedId,
                            table.has(config.keyColumn()) ? dialect.quoteIdentifier(config.keyColumn()) : null)
                    : new PostgresHorizonReader(table.qualified(), quotedId, false);
            case "mariadb" -> new MariaDbGapReader(table.qualified(), quotedId, config.gapTimeoutMs(), this::gapResolved,
                    new NanoClock());
            default -> throw new ConnectException("The outbox source reads PostgreSQL and MariaDB/MySQL only, not "
                    + JdbcErrors.maskUrl(connections.settings().url()));
        };
    }

    private void gapResolved(IdGapTracker.ResolvedGap gap) {
        if (gap.resolution() == IdGapTracker.Resolution.TIMED_OUT) {
            metrics.gapsGivenUp.incrementAndGet();
            metrics.idsGivenUp.addAndGet(gap.to() - gap.from() + 1);
            LOG.warn("Outbox table {}: gave up waiting for ids {}..{} after {} ms ({}); a row committed with one of "
                    + "them from now on will not be delivered", tableName, gap.from(), gap.to(), gap.waitedMs(),
                    OutboxSourceConfig.GAP_TIMEOUT_MS);
        } else {
            metrics.gapsProvedEmpty.incrementAndGet();
            LOG.debug("Outbox table {}: ids {}..{} belong to no committed row (their transactions ended)", tableName,
                    gap.from(), gap.to());
        }
    }

    /** The position whose offset Connect has committed, read back from the offset store. */
    private OutboxPosition committedPosition() {
        return OutboxPosition.fromOffset(context.offsetStorageReader().offset(partition));
    }

    /** Called by Connect after it committed offsets (or, with exactly-once, a transaction). */
    @Override
    public void commit() {
        if (cleanup != null) {
            cleanup.offsetsCommitted();
        }
    }

    @Override
    public void stop() {
        stopping.countDown();
        synchronized (this) {
            closeConnection();
            if (metrics != null) {
                metrics.unregister();
            }
        }
        LOG.info("Outbox source on table {} stopped after {}", tableName, position);
    }

    private void closeConnection() {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Closing the connection failed: {}", e.getMessage());
        }
        connection = null;
    }
}
