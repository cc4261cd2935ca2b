package io.onramp.connect.source.file.append;

import io.onramp.connect.source.file.FileMover;
import io.onramp.connect.source.file.FileOffsets;
import io.onramp.connect.source.file.FileProgress;
import io.onramp.connect.source.file.FileRecordFactory;
import io.onramp.connect.source.file.FileSourceConfig;
import io.onramp.connect.source.file.FileSourceMetrics;
import io.onramp.connect.source.file.SourceMode;
import io.onramp.connect.source.file.SpoolDirectory;
import io.onramp.connect.source.file.read.FileReaders;
import io.onramp.connect.source.file.read.FileRecordReader;
import io.onramp.connect.source.file.read.ReadResult;
import io.onramp.connect.source.file.read.UnreadableFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.source.TransactionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Append mode: every record of every file is one event, files in name order. With connector-defined
 * transaction boundaries, each file's records commit in one transaction.
 */
public final class AppendMode implements SourceMode {

    private static final Logger log = LoggerFactory.getLogger(AppendMode.class);

    private final FileSourceConfig config;
    private final SpoolDirectory spool;
    private final FileMover mover;
    private final SourceTaskContext context;
    private final FileRecordFactory records;
    private final FileReaders readers;
    /** Files read (or being read) whose records are not all committed yet; keyed by source partition. */
    private final Map<Map<String, Object>, FileProgress> unfinished = new ConcurrentHashMap<>();
    private volatile FileProgress current;
    private FileRecordReader reader;
    private ReadResult pushedBack;
    private String pendingFailure;
    private final int batchSize;
    private final FileSourceMetrics metrics;

    public AppendMode(FileSourceConfig config, SpoolDirectory spool, FileMover mover, SourceTaskContext context,
            FileSourceMetrics metrics) {
        this.metrics = metrics;
        this.config = config;
        this.spool = spool;
        this.mover = mover;
        this.context = context;
        this.records = new FileRecordFactory(config.topic(), config.quarantineTopic());
        this.readers = new FileReaders(config);
        this.batchSize = config.batchSize();
    }

    @Override
    public List<SourceRecord> poll() {
        moveCommittedFiles();
        if (pendingFailure != null) {
            throw new ConnectException(pendingFailure);
        }
        if (current == null && !openNextFile()) {
            return null;
        }
        return readBatch();
    }

    private boolean openNextFile() {
        var busy = new HashSet<String>();
        unfinished.values().forEach(progress -> busy.add(progress.file.name()));
        for (SpoolDirectory.InputFile file : spool.readyFiles(busy)) {
            var progress = new FileProgress(file, FileOffsets.partition(file));
            long resumeAfter = FileOffsets.committedPosition(
                    FileOffsets.committedOffset(context.offsetStorageReader(), progress.partition));
            try {
                reader = readers.open(file.path());
                reader.skipTo(resumeAfter);
            } catch (UnreadableFileException e) {
                closeReader();
                rejectFile(progress, e.getMessage());
                continue;
            }
            current = progress;
            unfinished.put(progress.partition, progress);
            metrics.fileTaken(file);
            log.info("Reading {}{}", file.name(), resumeAfter > 0 ? " from record " + (resumeAfter + 1) : "");
            return true;
        }
        return false;
    }

    /**
     * Reads up to a batch of records. When the batch is full it reads on past results that send nothing
     * (skipped lines) to the next record that would be sent, and keeps that for the next poll: so the end or
     * the failure of a file is always noticed in a batch that holds the file's last record sent, which is what
     * connector-defined transaction boundaries must commit or abort on.
     */
    private List<SourceRecord> readBatch() {
        int batchSize = this.batchSize;
        var batch = new ArrayList<SourceRecord>(Math.min(batchSize, 1024));
        FileProgress progress = current;
        try {
            while (true) {
                ReadResult result = nextResult();
                if (result == null) {
                    endOfFile(batch);
                    break;
                }
                if (batch.size() >= batchSize && sendsARecord(result)) {
                    pushedBack = result;
                    break;
                }
                progress.read++;
                metrics.recordsRead.increment();
                if (result instanceof ReadResult.Parsed parsed) {
                    batch.add(records.data(progress, parsed));
                    progress.written++;
                    progress.recordSent();
                } else if (!handleMalformed(progress, (ReadResult.Malformed) result, batch)) {
                    abortFile(batch);
                    break;
                }
            }
        } catch (UnreadableFileException e) {
            closeReader();
            current = null;
            unfinished.remove(progress.partition);
            abortFile(batch);
            rejectFile(progress, e.getMessage());
        }
        return batch.isEmpty() ? null : batch;
    }

    private ReadResult nextResult() {
        ReadResult result = pushedBack;
        pushedBack = null;
        return result != null ? result : reader.next();
    }

    private boolean sendsARecord(ReadResult result) {
        return result instanceof ReadResult.Parsed || config.badRecordPolicy() == FileSourceConfig.BadRecordPolicy.QUARANTINE;
    }

    /** With connector-defined boundaries a rejected file's records are aborted: none of it becomes visible. */
    private void abortFile(List<SourceRecord> batch) {
        TransactionContext transaction = context.transactionContext();
        if (transaction != null && !batch.isEmpty()) {
            transaction.abortTransaction(batch.get(batch.size() - 1));
        }
    }

    /** @return whether reading may go on */
    private boolean handleMalformed(FileProgress progress, ReadResult.Malformed bad, List<SourceRecord> batch) {
        String where = progress.file.name() + " line " + bad.line() + " (record " + bad.position() + ")";
        switch (config.badRecordPolicy()) {
            case SKIP -> {
                progress.skipped++;
                metrics.recordsSkipped.increment();
                log.warn("Skipped bad record in {}: {}", where, bad.reason());
                return true;
            }
            case QUARANTINE -> {
                batch.add(records.quarantine(progress, bad));
                progress.quarantined++;
                progress.recordSent();
                log.debug("Quarantined bad record in {}: {}", where, bad.reason());
                return true;
            }
            default -> {
                // Written before the records before it are acknowledged: it says what was done, never "delivered".
                String outcome = context.transactionContext() != null
                        ? "transaction.boundary=connector, so the records of this file sent before it are aborted with "
                                + "their transaction: none of this file is delivered"
                        : "the records before it were sent to Kafka and are not taken back; none after it were read";
                String reason = "bad record in " + where + ": " + bad.reason() + " (on.bad.record=fail; " + outcome + ")";
                closeReader();
                current = null;
                unfinished.remove(progress.partition);
                mover.failed(progress.file.path(), marker(progress), reason);
                log.error("File {} moved to {}: {}", progress.file.name(), config.errorPath(), reason);
                pendingFailure = reason;
                return false;
            }
        }
    }

    private void endOfFile(List<SourceRecord> batch) {
        closeReader();
        current.readComplete();
        current = null;
        TransactionContext transaction = context.transactionContext();
        if (transaction != null && !batch.isEmpty()) {
            // Connector-defined boundaries: the file's records, and nothing else, form one transaction. An empty
            // batch here means the file sent nothing since its last commit (see readBatch), so nothing to commit.
            transaction.commitTransaction(batch.get(batch.size() - 1));
        }
    }

    private void rejectFile(FileProgress progress, String reason) {
        mover.failed(progress.file.path(), marker(progress), reason);
        log.error("File {} is unreadable and was moved to {}: {}", progress.file.name(), config.errorPath(), reason);
        if (config.badRecordPolicy() == FileSourceConfig.BadRecordPolicy.FAIL) {
            pendingFailure = "unreadable file " + progress.file.name() + ": " + reason;
        }
    }

    private void moveCommittedFiles() {
        for (FileProgress progress : List.copyOf(unfinished.values())) {
            if (progress.allCommitted()) {
                unfinished.remove(progress.partition);
                mover.finished(progress.file.path(), marker(progress));
                log.info("Finished {}: {}", progress.file.name(), progress.summary());
            }
        }
    }

    private Path marker(FileProgress progress) {
        return spool.usesMarkers() ? spool.markerOf(progress.file.path()) : null;
    }

    @Override
    public void acknowledged(SourceRecord record) {
        // Most acks are for the file being read: an identity check spares hashing the partition map per record.
        FileProgress reading = current;
        FileProgress progress = reading != null && reading.partition == record.sourcePartition()
                ? reading : unfinished.get(record.sourcePartition());
        if (progress != null) {
            progress.recordAcknowledged();
        }
    }

    @Override
    public void close() {
        closeReader();
    }

    private void closeReader() {
        pushedBack = null;
        if (reader != null) {
            try {
                reader.close();
            } catch (RuntimeException e) {
                log.debug("Closing reader failed", e);
            }
            reader = null;
        }
    }
}
