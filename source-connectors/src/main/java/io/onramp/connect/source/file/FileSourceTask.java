package io.onramp.connect.source.file;

import io.onramp.connect.core.OnrampVersion;
import io.onramp.connect.core.schema.AvroSchemaMapper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the complete files of its share of the input directory, one record per line, in file-name order. */
public class FileSourceTask extends SourceTask {

    static final String TASK_INDEX = "task.index";
    static final String TASK_COUNT = "task.count";

    private static final Logger log = LoggerFactory.getLogger(FileSourceTask.class);

    private final Clock clock;
    private FileSourceConfig config;
    private SpoolDirectory spool;
    private FileMover mover;
    private FileRecordFactory records;
    private Schema contractSchema;
    /** Files read (or being read) whose records are not all committed yet; keyed by source partition. */
    private final Map<Map<String, Object>, FileProgress> unfinished = new ConcurrentHashMap<>();
    private FileProgress current;
    private FileRecordReader reader;
    private String pendingFailure;
    private final CountDownLatch stopping = new CountDownLatch(1);

    public FileSourceTask() {
        this(Clock.systemUTC());
    }

    FileSourceTask(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String version() {
        return OnrampVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new FileSourceConfig(props);
        int taskIndex = Integer.parseInt(props.getOrDefault(TASK_INDEX, "0"));
        int taskCount = Integer.parseInt(props.getOrDefault(TASK_COUNT, "1"));
        spool = new SpoolDirectory(config.inputPath(), config.filePattern(), config.readyMarkerSuffix(),
                config.fileMinAgeMs(), taskIndex, taskCount, clock);
        mover = new FileMover(config.finishedPath(), config.errorPath(), clock);
        records = new FileRecordFactory(config.topic(), config.quarantineTopic());
        contractSchema = config.contractFile() == null ? null : AvroSchemaMapper.fromContractFile(config.contractFile());
        log.info("File source task {} of {} started on {}", taskIndex + 1, taskCount, config.inputPath());
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        synchronized (this) {
            moveCommittedFiles();
            if (pendingFailure != null) {
                throw new ConnectException(pendingFailure);
            }
            if (current != null || openNextFile()) {
                return readBatch();
            }
        }
        stopping.await(config.pollIntervalMs(), TimeUnit.MILLISECONDS);
        return null;
    }

    private boolean openNextFile() {
        Set<String> busy = ConcurrentHashMap.newKeySet();
        unfinished.values().forEach(progress -> busy.add(progress.file.name()));
        for (SpoolDirectory.InputFile file : spool.readyFiles(busy)) {
            var progress = new FileProgress(file, FileOffsets.partition(file));
            long resumeAfter = FileOffsets.committedPosition(context.offsetStorageReader().offset(progress.partition));
            try {
                reader = FileReaders.open(file.path(), config, contractSchema);
                reader.skipTo(resumeAfter);
            } catch (UnreadableFileException e) {
                closeReader();
                rejectFile(progress, e.getMessage());
                continue;
            }
            current = progress;
            unfinished.put(progress.partition, progress);
            log.info("Reading {}{}", file.name(), resumeAfter > 0 ? " from record " + (resumeAfter + 1) : "");
            return true;
        }
        return false;
    }

    private List<SourceRecord> readBatch() {
        var batch = new ArrayList<SourceRecord>(Math.min(config.batchSize(), 1024));
        FileProgress progress = current;
        try {
            while (batch.size() < config.batchSize()) {
                ReadResult result = reader.next();
                if (result == null) {
                    endOfFile();
                    break;
                }
                progress.read++;
                if (result instanceof ReadResult.Parsed parsed) {
                    batch.add(records.data(progress, parsed));
                    progress.written++;
                    progress.recordSent();
                } else if (!handleMalformed(progress, (ReadResult.Malformed) result, batch)) {
                    break;
                }
            }
        } catch (UnreadableFileException e) {
            closeReader();
            current = null;
            unfinished.remove(progress.partition);
            rejectFile(progress, e.getMessage());
        }
        return batch.isEmpty() ? null : batch;
    }

    /** @return whether reading may go on */
    private boolean handleMalformed(FileProgress progress, ReadResult.Malformed bad, List<SourceRecord> batch) {
        String where = progress.file.name() + " line " + bad.line() + " (record " + bad.position() + ")";
        switch (config.badRecordPolicy()) {
            case SKIP -> {
                progress.skipped++;
                log.warn("Skipped bad record in {}: {}", where, bad.reason());
                return true;
            }
            case QUARANTINE -> {
                batch.add(records.quarantine(progress, bad, config.topic()));
                progress.quarantined++;
                progress.recordSent();
                log.debug("Quarantined bad record in {}: {}", where, bad.reason());
                return true;
            }
            default -> {
                String reason = "bad record in " + where + ": " + bad.reason()
                        + " (on.bad.record=fail; the records before it were delivered)";
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

    private void endOfFile() {
        closeReader();
        current.readComplete();
        current = null;
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

    private java.nio.file.Path marker(FileProgress progress) {
        return spool.usesMarkers() ? spool.markerOf(progress.file.path()) : null;
    }

    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) {
        FileProgress progress = unfinished.get(record.sourcePartition());
        if (progress != null) {
            progress.recordAcknowledged();
        }
    }

    @Override
    public void stop() {
        stopping.countDown();
        synchronized (this) {
            closeReader();
        }
    }

    private void closeReader() {
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
