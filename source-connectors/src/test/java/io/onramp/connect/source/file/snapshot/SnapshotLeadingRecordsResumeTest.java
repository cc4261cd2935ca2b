package io.onramp.connect.source.file.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.source.file.FileSourceConfig;
import io.onramp.connect.source.file.FileSourceTask;
import io.onramp.connect.source.testing.RecordingTaskContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partial snapshot's quarantined rows go out before its change events, in the same publication: a task restarted
 * after some of them were committed (a transaction per poll, or offsets committed per batch) sends each row once.
 */
class SnapshotLeadingRecordsResumeTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    /** Lines 3, 4 and 5 are bad (three columns); rows 1 and 2 are good. */
    private static final String DUMP = "id,name\n1,a\nbad,x,1\nbad,y,2\nbad,z,3\n2,b\n";

    @TempDir
    Path root;

    private final Map<String, String> props = new HashMap<>();

    @BeforeEach
    void directoriesAndConfig() throws IOException {
        for (String dir : List.of("in", "done", "error", "archive")) {
            Files.createDirectories(root.resolve(dir));
        }
        Files.writeString(root.resolve("in/d1.csv"), DUMP);
        props.put("name", "leading-resume");
        props.put(FileSourceConfig.TOPIC, "t");
        props.put(FileSourceConfig.MODE, "snapshot");
        props.put(FileSourceConfig.INPUT_PATH, root.resolve("in").toString());
        props.put(FileSourceConfig.FINISHED_PATH, root.resolve("done").toString());
        props.put(FileSourceConfig.ERROR_PATH, root.resolve("error").toString());
        props.put(FileSourceConfig.SNAPSHOT_ARCHIVE_PATH, root.resolve("archive").toString());
        props.put(FileSourceConfig.SNAPSHOT_KEY_FIELDS, "id");
        props.put(FileSourceConfig.FILE_MIN_AGE_MS, "0");
        props.put(FileSourceConfig.POLL_INTERVAL_MS, "10");
        props.put(FileSourceConfig.SNAPSHOT_ALLOW_PARTIAL, "true");
        props.put(FileSourceConfig.ON_BAD_RECORD, "quarantine");
        props.put(FileSourceConfig.BATCH_SIZE, "2");
    }

    @Test
    void aRestartAfterABatchOfOnlyQuarantinedRowsSendsEachRowOnce() throws Exception {
        var context = new RecordingTaskContext(props, new HashMap<Map<String, ?>, Map<String, Object>>());
        var first = new FileSourceTask();
        first.initialize(context);
        first.start(props);
        List<SourceRecord> batch = firstBatch(first);
        assertThat(lines(batch)).containsExactly("t.quarantine:3", "t.quarantine:4");
        context.acknowledge(first, batch); // this batch committed, its offsets with it; then the worker died
        first.stop();

        var restarted = new FileSourceTask();
        var context2 = context.restarted(props);
        restarted.initialize(context2);
        restarted.start(props);
        List<SourceRecord> rest = untilLast(restarted, context2);
        restarted.stop();

        assertThat(lines(rest)).as("the third bad row, then the two events; nothing twice")
                .containsExactly("t.quarantine:5", "t", "t");
    }

    @Test
    void anOffsetWrittenBeforeLeadingRecordsWereCountedStillSkipsThemAllOnceAnEventWasSent() throws Exception {
        var offsets = new HashMap<Map<String, ?>, Map<String, Object>>();
        offsets.put(Map.of(SnapshotMode.TABLE, "t"), Map.of(SnapshotMode.SNAPSHOT, "d1.csv", SnapshotMode.EVENT, 1L,
                SnapshotMode.LAST, false));
        var context = new RecordingTaskContext(props, offsets);
        var restarted = new FileSourceTask();
        restarted.initialize(context);
        restarted.start(props);

        List<SourceRecord> rest = untilLast(restarted, context);
        restarted.stop();

        assertThat(lines(rest)).containsExactly("t");
        assertThat(rest.get(0).sourceOffset().get(SnapshotMode.EVENT)).isEqualTo(2L);
    }

    private static List<SourceRecord> firstBatch(FileSourceTask task) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        List<SourceRecord> batch = null;
        while (batch == null) {
            assertThat(System.nanoTime()).as("a first batch within %s", DEADLINE).isLessThan(deadline);
            batch = task.poll();
        }
        return batch;
    }

    /** Polls, acknowledging each batch, until the record marked last within the deadline. */
    private static List<SourceRecord> untilLast(FileSourceTask task, RecordingTaskContext context) throws InterruptedException {
        var all = new ArrayList<SourceRecord>();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (all.isEmpty() || !Boolean.TRUE.equals(all.get(all.size() - 1).sourceOffset().get(SnapshotMode.LAST))) {
            assertThat(System.nanoTime()).as("the last event within %s", DEADLINE).isLessThan(deadline);
            List<SourceRecord> batch = task.poll();
            if (batch != null) {
                all.addAll(batch);
                context.acknowledge(task, batch);
            }
        }
        return all;
    }

    /** Each record's topic, and for a quarantined row its line in the dump. */
    private static List<String> lines(List<SourceRecord> records) {
        return records.stream().map(r -> r.topic().endsWith(".quarantine")
                ? r.topic() + ":" + r.headers().lastWithName("onramp.file.line").value() : r.topic()).toList();
    }
}
