package io.onramp.connect.source.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.source.snapshot.SnapshotArchive;
import io.onramp.connect.source.testing.RecordingTaskContext;
import io.onramp.connect.source.testing.TaskThreads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The task driven as Connect 3.x/4.x drives it: poll() and stop() on one thread, stop() only between polls (a
 * stop request only makes the worker's loop end after the poll in progress, then close() calls stop()).
 */
class FileSourceTaskStopTest {

    private static final int ROWS = 1_000_000;
    private static final Duration SHORT_POLL_WAIT = Duration.ofMillis(20);

    @TempDir
    Path root;

    private Path incoming;
    private Path archive;
    private RecordingTaskContext context;

    @BeforeEach
    void directories() throws IOException {
        for (String dir : List.of("in", "done", "error", "archive")) {
            Files.createDirectories(root.resolve(dir));
        }
        incoming = root.resolve("in");
        archive = root.resolve("archive");
    }

    @Test
    void pollsReturnWithinTheirWaitDuringALargeSortAndAStopOnTheSameThreadEndsItAndItsThreads() throws Exception {
        // 1M rows in reverse key order, about 25 MB (over the read-ahead threshold of 8 MB): seconds of sorting.
        Path partial = incoming.resolve("big.csv.tmp");
        try (var out = Files.newBufferedWriter(partial)) {
            out.write("id,name\n");
            for (int i = ROWS; i > 0; i--) {
                out.write(i + ",name of row " + i + "\n");
            }
        }
        Files.move(partial, incoming.resolve("big.csv"));
        Set<Thread> before = TaskThreads.snapshot();
        // A short poll wait, so that the loop below sees the sort under way (its first spill) long before it ends, however
        // fast this machine sorts; the 1 s default is checked by the bound on each poll all the same.
        var task = start(Map.of(FileSourceConfig.SNAPSHOT_SORT_MEMORY_BYTES, Integer.toString(1 << 20)), false,
                SHORT_POLL_WAIT);

        Set<String> seenThreads = new java.util.TreeSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!spilled()) { // the sort is under way once it has spilled a run into the archive
            assertThat(System.nanoTime()).as("a spill within 120 s").isLessThan(deadline);
            long start = System.nanoTime();
            List<SourceRecord> records = task.poll();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(records).as("nothing before the sort ends").isNull();
            // The rest is slack for a loaded machine. Before the fix a poll took the whole sort.
            assertThat(took).as("one poll").isLessThan(SHORT_POLL_WAIT.plusSeconds(3));
            seenThreads.addAll(TaskThreads.started(before));
        }
        seenThreads.addAll(TaskThreads.started(before));
        assertThat(seenThreads).as("the sort runs on the task's own thread, not Connect's")
                .anyMatch(name -> name.startsWith("onramp-file-source-"));
        if (Runtime.getRuntime().availableProcessors() > 1) {
            assertThat(seenThreads).as("the dump is read ahead on a thread of its own")
                    .anyMatch(name -> name.startsWith("onramp-snapshot-"));
        }

        long stopStart = System.nanoTime();
        task.stop();
        Duration stopTook = Duration.ofNanos(System.nanoTime() - stopStart);

        assertThat(stopTook).isLessThan(FileSourceTask.STOP_DEADLINE.plusSeconds(2));
        assertThat(TaskThreads.aliveAfterStop(before)).as("threads of the task alive after its stop()").isEmpty();
        assertThat(incoming.resolve("big.csv")).as("the dump stays for the next task").exists();
        assertThat(root.resolve("done/big.csv")).doesNotExist();
        assertThat(new SnapshotArchive(archive, SnapshotArchive.nameOf("stoptest", "stoptest")).current()).as("nothing promoted").isNull();
        try (var files = Files.list(archive)) {
            assertThat(files.map(file -> file.getFileName().toString()).toList())
                    .as("no run, partial or spill file left").isEmpty();
        }
        assertThat(task.poll()).as("a poll after the stop reads nothing").isNull();
    }

    @Test
    void theTransactionCommitOfADumpReachesConnectOnTheTaskThreadWithItsLastBatch() throws Exception {
        Files.writeString(incoming.resolve("d1.csv"), "id,name\n1,a\n2,b\n3,c\n4,d\n5,e\n");
        var task = start(Map.of(FileSourceConfig.BATCH_SIZE, "2"), true);
        List<String> requests = context.commits;
        try {
            List<Integer> batches = new ArrayList<>();
            List<List<String>> seenAfterEachBatch = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (batches.stream().mapToInt(Integer::intValue).sum() < 5) {
                assertThat(System.nanoTime()).as("5 events within 60 s").isLessThan(deadline);
                List<SourceRecord> batch = task.poll();
                if (batch == null) {
                    assertThat(requests).as("no request passed on with a null poll").hasSize(
                            seenAfterEachBatch.isEmpty() ? 0 : seenAfterEachBatch.get(seenAfterEachBatch.size() - 1).size());
                    continue;
                }
                batches.add(batch.size());
                seenAfterEachBatch.add(List.copyOf(requests));
                batch.forEach(record -> task.commitRecord(record, null));
            }

            assertThat(batches).containsExactly(2, 2, 1);
            String me = Thread.currentThread().getName();
            assertThat(seenAfterEachBatch).containsExactly(List.of(), List.of(),
                    List.of("commit event 5 on " + me));
        } finally {
            task.stop();
        }
    }

    private boolean spilled() throws IOException {
        try (var files = Files.list(archive)) {
            return files.anyMatch(file -> file.getFileName().toString().contains(".spill-"));
        }
    }

    private FileSourceTask start(Map<String, String> overrides, boolean transactions) {
        return start(overrides, transactions, FileSourceTask.POLL_WAIT);
    }

    private FileSourceTask start(Map<String, String> overrides, boolean transactions, Duration pollWait) {
        var props = new HashMap<String, String>();
        props.put("name", "stoptest");
        props.put(FileSourceConfig.TOPIC, "stoptest");
        props.put(FileSourceConfig.MODE, "snapshot");
        props.put(FileSourceConfig.SNAPSHOT_TABLE, "stoptest");
        props.put(FileSourceConfig.INPUT_PATH, incoming.toString());
        props.put(FileSourceConfig.FINISHED_PATH, root.resolve("done").toString());
        props.put(FileSourceConfig.ERROR_PATH, root.resolve("error").toString());
        props.put(FileSourceConfig.SNAPSHOT_ARCHIVE_PATH, archive.toString());
        props.put(FileSourceConfig.SNAPSHOT_KEY_FIELDS, "id");
        props.put(FileSourceConfig.FILE_MIN_AGE_MS, "0");
        props.put(FileSourceConfig.POLL_INTERVAL_MS, "10");
        props.putAll(overrides);
        var task = new FileSourceTask(pollWait);
        // Each transaction request is written down with the thread that made it to Connect.
        context = new RecordingTaskContext(props, transactions,
                record -> "event " + record.sourceOffset().get("event") + " on " + Thread.currentThread().getName());
        task.initialize(context);
        task.start(props);
        return task;
    }
}
