package io.onramp.connect.sink.snapshot;

import io.onramp.connect.core.metrics.Counter;
import io.onramp.connect.core.metrics.MetricSet;
import io.onramp.connect.core.metrics.MetricsRegistration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JMX metrics of one snapshot export task, bean
 * {@code io.onramp.connect:type=snapshot-export-sink-task-metrics,connector=<name>,task=<n>}. The attribute names are
 * listed in README; counters count since the task started.
 */
final class SnapshotExportMetrics implements AutoCloseable {

    static final String KIND = "snapshot-export-sink";

    private final MetricSet set = new MetricSet("Onramp snapshot export sink task");
    final Counter recordsReceived = set.counter("RecordsReceived", "Records handed to the task by Connect");
    final Counter recordsReportedToDlq = set.counter("RecordsReportedToDlq", "Records that are no change the export can "
            + "apply, sent to the errant-record reporter (the dead letter queue)");
    final Counter exportsWritten = set.counter("ExportsWritten", "Snapshot files published (with their manifests)");
    private final AtomicLong lastExportRows = new AtomicLong();
    private final AtomicLong lastExportTime = new AtomicLong();
    private final AtomicLong lastExportMillis = new AtomicLong();
    private final Map<String, Long> keysPerTopic = new ConcurrentHashMap<>();
    private final MetricsRegistration registration;

    private SnapshotExportMetrics(String connector, int task) {
        set.gauge("LastExportRows", "Rows in the last snapshot file written", Long.class, lastExportRows::get);
        set.gauge("LastExportTime", "When the last snapshot file was published, epoch milliseconds (0 before the first)",
                Long.class, lastExportTime::get);
        set.gauge("LastExportMillis", "Milliseconds the last export took: merge, write, fsync, publish, manifest",
                Long.class, lastExportMillis::get);
        set.gauge("KeysInStore", "Keys in the state store as of each topic's last export, over all topics", Long.class,
                () -> keysPerTopic.values().stream().mapToLong(Long::longValue).sum());
        registration = MetricsRegistration.register(MetricsRegistration.taskName(KIND, connector, task), set);
    }

    static SnapshotExportMetrics register(String connector, int task) {
        return new SnapshotExportMetrics(connector, task);
    }

    /** The store of {@code topic} holds {@code keys} keys as of its last export (on start: from its checkpoint). */
    void keysInStore(String topic, long keys) {
        keysPerTopic.put(topic, keys);
    }

    void exported(String topic, long rows, long millis, long nowMillis) {
        exportsWritten.increment();
        lastExportRows.set(rows);
        lastExportMillis.set(millis);
        lastExportTime.set(nowMillis);
        keysPerTopic.put(topic, rows);
    }

    @Override
    public void close() {
        registration.close();
    }
}
