package io.onramp.connect.source.file;

import io.onramp.connect.core.diff.DiffSummary;
import io.onramp.connect.core.metrics.Counter;
import io.onramp.connect.core.metrics.MetricSet;
import io.onramp.connect.core.metrics.MetricsRegistration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.ObjectName;

/**
 * The JMX metrics of one file source task, bean {@code io.onramp.connect:type=file-source-task-metrics,connector=<name>,task=<n>}.
 * The attribute names are listed in README; counters count since the task started.
 */
public final class FileSourceMetrics implements AutoCloseable {

    static final String KIND = "file-source";

    private final MetricSet set = new MetricSet("Onramp file source task");
    final Counter filesTaken = set.counter("FilesTaken", "Files taken from input.path for reading");
    final Counter filesFinished = set.counter("FilesFinished", "Files moved to finished.path, every record committed");
    final Counter filesRejected = set.counter("FilesRejected", "Files moved to error.path (unreadable, bad record under fail, rejected snapshot)");
    final Counter bytesRead = set.counter("BytesRead", "Bytes of the files taken for reading");
    public final Counter recordsRead = set.counter("RecordsRead", "Records (lines, rows) read from files, good or bad");
    final Counter recordsWritten = set.counter("RecordsWritten", "Records acknowledged by Kafka on the topic");
    final Counter recordsQuarantined = set.counter("RecordsQuarantined", "Bad records acknowledged by Kafka on the quarantine topic");
    public final Counter recordsSkipped = set.counter("RecordsSkipped", "Bad records skipped under on.bad.record=skip");
    final AtomicReference<String> lastFile = set.value("LastFile", "Name of the last file taken", String.class);
    final AtomicLong lastFileTime = new AtomicLong();
    final Counter snapshotInserts = set.counter("SnapshotInserts", "Snapshot mode: inserts (op c) of finished snapshots");
    final Counter snapshotUpdates = set.counter("SnapshotUpdates", "Snapshot mode: updates (op u) of finished snapshots");
    final Counter snapshotDeletes = set.counter("SnapshotDeletes", "Snapshot mode: deletes (op d) of finished snapshots");
    final Counter snapshotReads = set.counter("SnapshotReads", "Snapshot mode: rows of a first snapshot (op r, no previous one to diff)");
    final Counter snapshotUnchanged = set.counter("SnapshotUnchanged", "Snapshot mode: rows unchanged since the previous snapshot");
    public final AtomicLong lastSortMillis = new AtomicLong();
    final AtomicLong lastDiffMillis = new AtomicLong();
    private final MetricsRegistration registration;

    private FileSourceMetrics(ObjectName name) {
        set.gauge("LastFileTime", "When the last file was taken, epoch milliseconds (0 before the first)", Long.class, lastFileTime::get);
        set.gauge("LastSnapshotSortMillis", "Snapshot mode: milliseconds the last snapshot took to sort", Long.class, lastSortMillis::get);
        set.gauge("LastSnapshotDiffMillis", "Snapshot mode: milliseconds from the start of the last snapshot's diff until "
                + "its last event was acknowledged", Long.class, lastDiffMillis::get);
        this.registration = MetricsRegistration.register(name, set);
    }

    /** Registers the bean of task {@code task} of connector {@code connector}. */
    static FileSourceMetrics register(String connector, int task) {
        return new FileSourceMetrics(MetricsRegistration.taskName(KIND, connector, task));
    }

    public void fileTaken(SpoolDirectory.InputFile file) {
        fileTaken(file, System.currentTimeMillis());
    }

    public void fileTaken(SpoolDirectory.InputFile file, long nowMs) {
        filesTaken.increment();
        bytesRead.add(file.size());
        lastFile.set(file.path().getFileName().toString());
        lastFileTime.set(nowMs);
    }

    public void snapshotFinished(DiffSummary summary, long diffMillis) {
        snapshotInserts.add(summary.inserts());
        snapshotReads.add(summary.reads());
        snapshotUpdates.add(summary.updates());
        snapshotDeletes.add(summary.deletes());
        snapshotUnchanged.add(summary.unchanged());
        lastDiffMillis.set(diffMillis);
    }

    @Override
    public void close() {
        registration.close();
    }
}
