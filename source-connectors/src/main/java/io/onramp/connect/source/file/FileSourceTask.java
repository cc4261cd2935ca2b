package io.onramp.connect.source.file;

import io.onramp.connect.core.OnrampVersion;
import io.onramp.connect.source.file.append.AppendMode;
import io.onramp.connect.source.file.snapshot.SnapshotMode;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The poll loop of the file source; what a poll reads is up to the configured mode. */
public class FileSourceTask extends SourceTask {

    static final String TASK_INDEX = "task.index";
    static final String TASK_COUNT = "task.count";

    private static final Logger log = LoggerFactory.getLogger(FileSourceTask.class);

    private final Clock clock = Clock.systemUTC();
    private FileSourceConfig config;
    private volatile SourceMode mode;
    private FileSourceMetrics metrics;
    private final CountDownLatch stopping = new CountDownLatch(1);

    @Override
    public String version() {
        return OnrampVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new FileSourceConfig(props);
        int taskIndex = Integer.parseInt(props.getOrDefault(TASK_INDEX, "0"));
        int taskCount = Integer.parseInt(props.getOrDefault(TASK_COUNT, "1"));
        var spool = new SpoolDirectory(config.inputPath(), config.filePattern(), config.readyMarkerSuffix(),
                config.fileMinAgeMs(), taskIndex, taskCount, clock);
        String connector = props.getOrDefault("name", config.topic());
        metrics = FileSourceMetrics.register(connector, taskIndex);
        var mover = new FileMover(config.finishedPath(), config.errorPath(), clock, metrics);
        mode = switch (config.mode()) {
            case APPEND -> new AppendMode(config, spool, mover, context, metrics);
            case SNAPSHOT -> new SnapshotMode(config, connector, spool, mover, context, clock, metrics);
        };
        log.info("File source task {} of {} started on {} in {} mode", taskIndex + 1, taskCount, config.inputPath(),
                config.mode().name().toLowerCase());
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        List<SourceRecord> records;
        synchronized (this) {
            records = mode.poll();
        }
        if (records == null) {
            stopping.await(config.pollIntervalMs(), TimeUnit.MILLISECONDS);
        }
        return records;
    }

    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) {
        if (metadata != null) { // null: a transform dropped it. Counted first: the file may be finished right after the ack
            (config.topic().equals(record.topic()) ? metrics.recordsWritten : metrics.recordsQuarantined).increment();
        }
        mode.acknowledged(record);
    }

    @Override
    public void stop() {
        SourceMode current = mode;
        if (current != null) {
            current.requestStop(); // a poll busy sorting a large dump gives up at once instead of holding the lock
        }
        stopping.countDown();
        synchronized (this) {
            if (mode != null) {
                mode.close();
            }
            if (metrics != null) {
                metrics.close();
            }
        }
    }
}
