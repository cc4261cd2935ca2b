package io.onramp.connect.sink.jdbc;

import io.onramp.connect.core.metrics.Counter;
import io.onramp.connect.core.metrics.MetricSet;
import io.onramp.connect.core.metrics.MetricsRegistration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JMX metrics of one JDBC sink task, bean {@code io.onramp.connect:type=jdbc-sink-task-metrics,connector=<name>,task=<n>}.
 * The attribute names are listed in README; counters count since the task started. Rows count when their
 * transaction commits, so a batch rolled back and retried counts once.
 */
final class JdbcSinkMetrics implements AutoCloseable {

    static final String KIND = "jdbc-sink";

    private final MetricSet set = new MetricSet("Onramp JDBC sink task");
    final Counter recordsReceived = set.counter("RecordsReceived", "Records handed to the task by Connect (a batch "
            + "delivered again after a transient error counts again)");
    final Counter recordsUpserted = set.counter("RecordsUpserted", "Rows inserted, upserted or updated, committed");
    final Counter recordsDeleted = set.counter("RecordsDeleted", "Rows deleted (change-event deletes, tombstones), committed");
    final Counter recordsSkipped = set.counter("RecordsSkipped", "Records that change no row (a tombstone or delete with "
            + "delete.enabled=false)");
    final Counter recordsReportedToDlq = set.counter("RecordsReportedToDlq", "Failing records sent to the errant-record "
            + "reporter (the dead letter queue) while the rest of their batch was written");
    final Counter batchesWritten = set.counter("BatchesWritten", "put() batches committed, one database transaction each");
    final Counter retries = set.counter("Retries", "Batches rolled back on a transient database error (connection lost, "
            + "deadlock, serialization failure) and retried after retry.backoff.ms");
    private final AtomicLong lastBatchTime = new AtomicLong();
    private final AtomicLong lastBatchMillis = new AtomicLong();
    private final AtomicLong lastBatchRecords = new AtomicLong();
    private final MetricsRegistration registration;

    private JdbcSinkMetrics(String connector, int task) {
        set.gauge("LastBatchTime", "When the last batch committed, epoch milliseconds (0 before the first)", Long.class,
                lastBatchTime::get);
        set.gauge("LastBatchMillis", "Milliseconds the last committed batch took, mapping to commit", Long.class,
                lastBatchMillis::get);
        set.gauge("LastBatchRecords", "Records in the last committed batch", Long.class, lastBatchRecords::get);
        registration = MetricsRegistration.register(MetricsRegistration.taskName(KIND, connector, task), set);
    }

    /** Registers the bean of task {@code task} of connector {@code connector}. */
    static JdbcSinkMetrics register(String connector, int task) {
        return new JdbcSinkMetrics(connector, task);
    }

    void batchCommitted(int records, long startedNanos, long nowMillis) {
        batchesWritten.increment();
        lastBatchRecords.set(records);
        lastBatchMillis.set((System.nanoTime() - startedNanos) / 1_000_000);
        lastBatchTime.set(nowMillis);
    }

    @Override
    public void close() {
        registration.close();
    }
}
