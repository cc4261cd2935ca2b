package io.onramp.connect.sink.jdbc;

import io.onramp.connect.core.OnrampVersion;
import io.onramp.connect.core.contract.Contract;
import io.onramp.connect.core.contract.ContractConfig;
import io.onramp.connect.core.schema.AvroSchemaMapper;
import io.onramp.connect.sink.jdbc.mapping.RecordMapper;
import io.onramp.connect.sink.jdbc.mapping.RowChange;
import io.onramp.connect.sink.jdbc.mapping.SchemalessTyping;
import io.onramp.connect.sink.jdbc.write.BatchWriter;
import io.onramp.connect.sink.jdbc.write.SinkDialect;
import io.onramp.connect.core.jdbc.JdbcConnectionFactory;
import io.onramp.connect.core.jdbc.SqlFailures;
import io.onramp.connect.sink.jdbc.write.TableDefinition;
import io.onramp.connect.sink.jdbc.write.TableManager;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each {@code put()} batch in one database transaction. A batch that fails on a bad record is rolled back
 * and written again record by record under savepoints: the failing records go alone to the errant-record reporter
 * (the DLQ), the rest commit. A transient failure rolls the whole batch back and asks Connect to deliver it
 * again after {@code retry.backoff.ms}. Offsets are handed to Connect only for records whose transaction committed.
 */
public class JdbcSinkTask extends SinkTask {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcSinkTask.class);

    /** The task's number among the connector's tasks, set by {@link JdbcSinkConnector#taskConfigs}. */
    static final String TASK_INDEX = "task.index";

    private JdbcSinkConfig config;
    private SinkDialect dialect;
    private JdbcConnectionFactory connections;
    private TableManager tables;
    private BatchWriter writer;
    private RecordMapper mapper;
    private ErrantRecordReporter reporter;
    private Connection connection;
    private int remainingRetries;
    private JdbcSinkMetrics metrics;
    private final Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();

    @Override
    public String version() {
        return OnrampVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new JdbcSinkConfig(props);
        dialect = SinkDialect.forUrl(config.connectionUrl());
        connections = new JdbcConnectionFactory(config.connectionSettings(), dialect.base());
        tables = new TableManager(dialect, config.autoCreate(), config.autoEvolve());
        writer = new BatchWriter(dialect, config.batchSize());
        Schema contractSchema = null;
        List<String> contractKeys = List.of();
        if (config.contractConfigured()) {
            Contract contract = ContractConfig.load(config);
            contractSchema = AvroSchemaMapper.toConnectSchema(contract.schema());
            contractKeys = contract.keyFields();
        }
        var typing = new SchemalessTyping(contractSchema, contractKeys, table -> {
            try {
                TableDefinition definition = tables.definition(connection(), table);
                return definition == null ? null : definition.rowSchema();
            } catch (SQLException e) {
                throw new DatabaseUnavailable(e);
            }
        });
        mapper = new RecordMapper(new RecordMapper.Settings(config.tableNameFormat(), config.keyMode(),
                config.primaryKeyFields(), config.writeMode(), config.deleteEnabled(), config.fieldFilter(),
                config.nestedMode(), config.flattenDelimiter()), typing);
        reporter = errantRecordReporter();
        remainingRetries = config.maxRetries();
        metrics = JdbcSinkMetrics.register(props.getOrDefault("name", "jdbc-sink"),
                Integer.parseInt(props.getOrDefault(TASK_INDEX, "0")));
        LOG.info("JDBC sink task started: {} database, insert.mode={}, primary.key.mode={}, dead letter reporting {}",
                dialect.name(), config.writeMode(), config.keyMode(), reporter == null ? "off" : "on");
    }

    private ErrantRecordReporter errantRecordReporter() {
        try {
            return context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            return null; // a worker older than Kafka 2.6
        }
    }

    @Override
    public void put(Collection<SinkRecord> batch) {
        if (batch.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        metrics.recordsReceived.add(batch.size());
        List<SinkRecord> records = new ArrayList<>(batch);
        List<SinkRecord> written = new ArrayList<>(records.size());
        List<RowChange> changes = new ArrayList<>(records.size());
        List<Failure> failures = new ArrayList<>();
        try {
            for (SinkRecord record : records) {
                try {
                    RowChange change = mapper.map(record);
                    if (change != null) {
                        written.add(record);
                        changes.add(change);
                    }
                } catch (DatabaseUnavailable e) {
                    throw e;
                } catch (RuntimeException e) {
                    failures.add(new Failure(record, describe(record, e)));
                }
            }
            Connection c = connection();
            tables.prepare(c, changes);
            Set<Integer> failed = write(c, written, changes, failures);
            countCommitted(records.size(), changes, failed, failures.size(), started);
        } catch (DatabaseUnavailable e) {
            retryLater(e.getCause(), records.size());
        } catch (SQLException e) {
            if (dialect.isRetriable(e)) {
                retryLater(e, records.size());
            }
            closeConnection();
            throw new ConnectException("The JDBC sink could not write to the " + dialect.name() + " database: "
                    + SqlFailures.describe(e));
        }
        remainingRetries = config.maxRetries();
        for (SinkRecord record : records) {
            committed.put(new TopicPartition(record.originalTopic(), record.originalKafkaPartition()),
                    new OffsetAndMetadata(record.originalKafkaOffset() + 1));
        }
    }

    /**
     * Writes the batch in one transaction; on a failure, record by record, reporting the failing ones alone.
     * Returns the indexes of the changes that failed (and were reported instead of written).
     */
    private Set<Integer> write(Connection c, List<SinkRecord> records, List<RowChange> changes, List<Failure> failures)
            throws SQLException {
        c.setAutoCommit(false);
        try {
            writer.writeAll(c, changes);
            report(c, failures);
            c.commit();
            return Set.of();
        } catch (SQLException e) {
            rollback(c);
            if (dialect.isRetriable(e)) {
                throw e;
            }
            LOG.warn("A batch of {} rows failed ({}); writing its records one by one to find the failing ones",
                    changes.size(), SqlFailures.describe(e));
            LOG.debug("The batch failed with", SqlFailures.withMessage(e, SqlFailures.describe(e))); // server text may quote values
        }
        try {
            Map<Integer, SQLException> failed = writer.writeEach(c, changes);
            for (var entry : failed.entrySet()) {
                SinkRecord record = records.get(entry.getKey());
                RowChange change = changes.get(entry.getKey());
                LOG.debug("Record {} failed", where(record), SqlFailures.withMessage(entry.getValue(), SqlFailures.describe(entry.getValue())));
                failures.add(new Failure(record, where(record) + " could not be written to table " + change.table()
                        + " (" + change.kind().name().toLowerCase(java.util.Locale.ROOT) + "): "
                        + SqlFailures.describe(entry.getValue())));
            }
            report(c, failures);
            c.commit();
            return failed.keySet();
        } catch (SQLException e) {
            rollback(c);
            throw e;
        }
    }

    private void countCommitted(int records, List<RowChange> changes, Set<Integer> failed, int reported, long started) {
        long deletes = 0;
        long writes = 0;
        for (int i = 0; i < changes.size(); i++) {
            if (!failed.contains(i)) {
                if (changes.get(i).kind() == RowChange.Kind.DELETE) {
                    deletes++;
                } else {
                    writes++;
                }
            }
        }
        metrics.recordsUpserted.add(writes);
        metrics.recordsDeleted.add(deletes);
        metrics.recordsReportedToDlq.add(reported);
        // what is neither written nor reported changed no row: a delete or tombstone with delete.enabled=false
        metrics.recordsSkipped.add(records - writes - deletes - reported);
        metrics.batchCommitted(records, started, System.currentTimeMillis());
    }

    /**
     * Sends the failed records to the errant-record reporter before the transaction commits; without one (or when
     * the worker's errors.tolerance is none) the transaction is rolled back and the task fails with the reason.
     */
    private void report(Connection c, List<Failure> failures) {
        if (failures.isEmpty()) {
            return;
        }
        if (reporter == null) {
            rollback(c);
            throw new ConnectException(failures.get(0).reason() + ". No dead letter queue is configured: set "
                    + "errors.tolerance=all and errors.deadletterqueue.topic.name to send failing records there");
        }
        for (Failure failure : failures) {
            try {
                reporter.report(failure.record(), new DataException(failure.reason()));
            } catch (RuntimeException e) {
                rollback(c);
                throw new ConnectException(failure.reason() + " (the record could not be reported: errors.tolerance is "
                        + "none or its limit is reached)", e);
            }
        }
        LOG.warn("Sent {} failing records to the errant-record reporter; first: {}", failures.size(), failures.get(0).reason());
    }

    private void retryLater(SQLException e, int size) {
        closeConnection();
        tables.forget();
        if (remainingRetries <= 0) {
            throw new ConnectException("The JDBC sink gave up on a batch of " + size + " records after "
                    + config.maxRetries() + " retries; last error: " + SqlFailures.describe(e));
        }
        remainingRetries--;
        metrics.retries.increment();
        LOG.warn("Transient database error {}; the batch of {} records is rolled back and retried in {} ms ({} retries "
                + "left)", SqlFailures.describe(e), size, config.retryBackoffMs(), remainingRetries);
        context.timeout(config.retryBackoffMs());
        throw new RetriableException("Transient database error " + SqlFailures.describe(e) + "; retrying the batch");
    }

    private static String describe(SinkRecord record, RuntimeException e) {
        String reason = e instanceof DataException || e instanceof IllegalArgumentException
                ? e.getMessage() : e.getClass().getSimpleName();
        return where(record) + " cannot be mapped to a row: " + reason;
    }

    private static String where(SinkRecord record) {
        return "Record " + record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset();
    }

    private Connection connection() {
        try {
            if (connection == null || connection.isClosed()) {
                connection = connections.open();
                tables.forget();
            }
            return connection;
        } catch (SQLException e) {
            throw new DatabaseUnavailable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while connecting to the database", e);
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debug("Rollback failed (the connection is replaced on the next batch)", e);
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("Closing the connection failed", e);
            }
            connection = null;
        }
    }

    /** Every put() commits before it returns, so nothing is pending here. */
    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
    }

    /** Only offsets of records whose rows are committed in the database (or reported as failed). */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        var offsets = new HashMap<TopicPartition, OffsetAndMetadata>();
        for (TopicPartition partition : currentOffsets.keySet()) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset != null) {
                offsets.put(partition, offset);
            }
        }
        return offsets;
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        partitions.forEach(committed::remove);
    }

    @Override
    public void stop() {
        closeConnection();
        if (metrics != null) {
            metrics.close();
        }
    }

    private record Failure(SinkRecord record, String reason) {
    }

    /** The database could not be reached while mapping or connecting; retried like any transient error. */
    private static final class DatabaseUnavailable extends RuntimeException {
        DatabaseUnavailable(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }
}
