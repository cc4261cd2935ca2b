package io.onramp.connect.sink.snapshot;

import io.onramp.connect.core.OnrampVersion;
import io.onramp.connect.core.contract.Contract;
import io.onramp.connect.core.contract.ContractConfig;
import io.onramp.connect.sink.snapshot.format.ExportFile;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends each record's change to its topic's state store, writes the snapshots when they are due, and commits
 * only offsets whose changes are durable in the store. On assignment it positions the consumer at the store's
 * own next offsets (0 for a partition it has never seen), so the store, not Connect's committed offsets, decides
 * where reading resumes: nothing is lost, nothing applied twice.
 */
public class SnapshotExportSinkTask extends SinkTask {

    private static final Logger log = LoggerFactory.getLogger(SnapshotExportSinkTask.class);

    private final Clock clock;
    private final Map<String, TopicExport> exports = new HashMap<>();
    private SnapshotExportSinkConfig config;
    private ChangeReader reader;
    private Contract contract;
    private String connector;
    private SnapshotExportMetrics metrics;

    public SnapshotExportSinkTask() {
        this(Clock.systemUTC());
    }

    /** For tests and benchmarks that drive time. */
    public SnapshotExportSinkTask(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String version() {
        return OnrampVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new SnapshotExportSinkConfig(props);
        contract = ContractConfig.isSet(config) ? ContractConfig.load(config) : null;
        List<String> keyFields = config.keyFields();
        if (keyFields.isEmpty() && contract != null) {
            keyFields = contract.keyFields();
        }
        reader = new ChangeReader(keyFields);
        connector = props.getOrDefault("name", "snapshot-export");
        String topics = props.getOrDefault(SnapshotExportSinkConnector.TOPICS, "");
        Instant now = clock.instant();
        metrics = SnapshotExportMetrics.register(connector, 0); // the connector runs one task
        try {
            for (String topic : topics.split(",")) {
                if (!topic.isBlank()) {
                    var export = new TopicExport(topic.trim(), connector, config, contract, now);
                    exports.put(topic.trim(), export);
                    metrics.keysInStore(topic.trim(), export.snapshotRows());
                }
            }
            // The state locks are held now: no earlier instance of this connector writes any more, so a temporary
            // file of its is what a crash left behind.
            int leftovers = ExportFile.removeLeftovers(config.exportPath(), TopicExport.safeName(connector));
            if (leftovers > 0) {
                log.info("Snapshot export {} removed {} temporary files left in {} by an export that did not finish",
                        connector, leftovers, config.exportPath());
            }
        } catch (RuntimeException e) {
            exports.values().forEach(TopicExport::close);
            metrics.close();
            throw new ConnectException("Cannot open the export state of " + connector + ": " + e.getMessage(), e);
        }
        log.info("Snapshot export {} started for topics {} ({} to {})", connector, exports.keySet(), config.format(),
                config.exportPath());
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        var positions = new HashMap<TopicPartition, Long>();
        for (TopicPartition tp : partitions) {
            positions.put(tp, export(tp.topic()).nextOffset(tp.partition()));
        }
        context.offset(positions);
        log.info("Snapshot export {} resumes {} at the offsets its state holds: {}", connector, partitions, positions);
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        metrics.recordsReceived.add(records.size());
        for (SinkRecord record : records) {
            TopicExport export = export(record.topic());
            int partition = record.kafkaPartition();
            long offset = record.kafkaOffset();
            if (offset < export.nextOffset(partition)) {
                continue; // already in the store: a redelivery after a rewind must not apply it twice
            }
            ChangeReader.Change change;
            try {
                change = reader.read(record);
                export.append(partition, offset, change);
            } catch (DataException e) {
                ErrantRecordReporter reporter = errantRecordReporter();
                if (reporter == null) {
                    throw new DataException(e.getMessage() + "; configure errors.tolerance=all with a dead letter"
                            + " queue topic to set such records aside", e);
                }
                log.warn("Snapshot export {} sets record {}-{}@{} aside: {}", connector, record.topic(), partition,
                        offset, e.getMessage());
                reporter.report(record, e);
                metrics.recordsReportedToDlq.increment();
                export.skip(partition, offset);
            }
        }
        exportWhenDue();
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        exportWhenDue();
        var durable = new HashMap<String, Map<Integer, Long>>();
        exports.forEach((topic, export) -> durable.put(topic, export.sync()));
        var commit = new HashMap<TopicPartition, OffsetAndMetadata>();
        for (TopicPartition tp : currentOffsets.keySet()) {
            Long next = durable.getOrDefault(tp.topic(), Map.of()).get(tp.partition());
            if (next != null) {
                commit.put(tp, new OffsetAndMetadata(next));
            }
        }
        return commit;
    }

    private void exportWhenDue() {
        Instant now = clock.instant();
        for (var entry : exports.entrySet()) {
            TopicExport export = entry.getValue();
            if (export.due(now)) {
                long started = System.nanoTime();
                long rows = export.export(now);
                metrics.exported(entry.getKey(), rows, (System.nanoTime() - started) / 1_000_000,
                        System.currentTimeMillis());
            }
        }
    }

    /** Connect's reporter when errors.tolerance=all is set (null otherwise, or on a worker older than 2.6). */
    private ErrantRecordReporter errantRecordReporter() {
        try {
            return context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            return null;
        }
    }

    private TopicExport export(String topic) {
        TopicExport export = exports.get(topic);
        if (export == null) {
            throw new ConnectException("Records of topic '" + topic + "' arrived, but this export is configured for "
                    + exports.keySet() + " only; list every topic in 'topics'");
        }
        return export;
    }

    /** For unit tests that play a killed worker in one JVM: lets go of the state locks, writes nothing. */
    void abandonAsACrashWould() {
        exports.values().forEach(TopicExport::releaseLockAsACrashWould);
        exports.clear();
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        exports.values().forEach(TopicExport::sync);
    }

    @Override
    public void stop() {
        RuntimeException failure = null;
        for (TopicExport export : exports.values()) {
            try {
                export.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        exports.clear();
        if (metrics != null) {
            metrics.close();
        }
        if (failure != null) {
            log.warn("Snapshot export {} could not close its state cleanly: {}", connector, failure.toString());
        }
    }
}
