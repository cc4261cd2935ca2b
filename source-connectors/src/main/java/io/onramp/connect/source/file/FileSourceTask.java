package io.onramp.connect.source.file;

import io.onramp.connect.core.OnrampVersion;
import io.onramp.connect.core.task.HandOverContext;
import io.onramp.connect.core.task.PollWorker;
import io.onramp.connect.source.file.append.AppendMode;
import io.onramp.connect.source.file.snapshot.SnapshotMode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop of the file source; what a poll reads is up to the configured mode. The mode's work runs on a
 * {@link PollWorker} thread: a poll returns within {@link #POLL_WAIT} while a large dump is being sorted, and
 * {@link #stop()} (which Connect calls on the task thread, after a poll) ends that work within {@link #STOP_DEADLINE}.
 */
public class FileSourceTask extends SourceTask {

    static final String TASK_INDEX = "task.index";
    static final String TASK_COUNT = "task.count";
    /**
     * How long a poll waits for the mode while it works. Not poll.interval.ms, which is how long to wait when there
     * is nothing to read: a shorter wait here only makes Connect's loop turn more often. It bounds how long a
     * stop request waits for the poll in progress.
     */
    static final Duration POLL_WAIT = Duration.ofSeconds(1);
    /** Within Connect's default task.shutdown.graceful.timeout.ms (5 s) together with one {@link #POLL_WAIT}. */
    static final Duration STOP_DEADLINE = Duration.ofSeconds(3);

    private static final Logger log = LoggerFactory.getLogger(FileSourceTask.class);

    private final Clock clock = Clock.systemUTC();
    private final Duration pollWait;
    private FileSourceConfig config;
    private volatile SourceMode mode;
    private FileSourceMetrics metrics;
    private FileMover mover;
    private PollWorker<List<SourceRecord>> work;
    private final CountDownLatch stopping = new CountDownLatch(1);

    public FileSourceTask() {
        this(POLL_WAIT);
    }

    /** @param pollWait how long a poll waits for the mode's work; tests shorten it to catch a sort under way */
    FileSourceTask(Duration pollWait) {
        this.pollWait = pollWait;
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
        var spool = new SpoolDirectory(config.inputPath(), config.filePattern(), config.readyMarkerSuffix(),
                config.fileMinAgeMs(), taskIndex, taskCount, clock);
        String connector = props.getOrDefault("name", config.topic());
        metrics = FileSourceMetrics.register(connector, taskIndex);
        mover = new FileMover(config.finishedPath(), config.errorPath(), clock, metrics);
        var workContext = new HandOverContext(context);
        SourceMode started = switch (config.mode()) {
            case APPEND -> new AppendMode(config, spool, mover, workContext, metrics);
            case SNAPSHOT -> new SnapshotMode(config, connector, spool, mover, workContext, clock, metrics);
        };
        mode = started;
        work = new PollWorker<>("onramp-file-source-" + connector + "-" + taskIndex, started::poll, pollWait,
                workContext::handOver);
        log.info("File source task {} of {} started on {} in {} mode", taskIndex + 1, taskCount, config.inputPath(),
                config.mode().name().toLowerCase());
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        List<SourceRecord> records = work.poll();
        if (records == null && !work.working()) { // nothing to read now, rather than not read yet
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
        stopping.countDown();
        SourceMode current = mode;
        if (current == null) { // start() failed before the mode existed
            if (metrics != null) {
                metrics.close();
            }
            return;
        }
        // No move from here on: a batch the work finishes during the stop is never returned to Connect, so a file it
        // would move (finished, or rejected after the records before the bad one) stays for the next task instance,
        // which resumes from the committed offsets. Also covers work that outlives the deadline below.
        mover.fence();
        current.requestStop(); // a sort in progress gives up at its next check, with its partial files removed
        work.stop(STOP_DEADLINE); // logs an error when the work outlives the deadline
        current.close();
        metrics.close();
    }
}
