package io.onramp.connect.source.file.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.source.file.FileSourceConfig;
import io.onramp.connect.source.file.FileSourceTask;
import io.onramp.connect.source.snapshot.SnapshotArchive;
import io.onramp.connect.source.testing.RecordingTaskContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshot mode's recovery and edge paths, driven through the task with an in-memory offset store. */
class SnapshotModeTest {

    @TempDir
    Path root;

    private final Map<Map<String, ?>, Map<String, Object>> offsets = new HashMap<>();
    private Path incoming;

    @BeforeEach
    void directories() throws IOException {
        for (String dir : List.of("in", "done", "error", "archive")) {
            Files.createDirectories(root.resolve(dir));
        }
        incoming = root.resolve("in");
    }

    @Test
    void anUnchangedDumpEmitsNothingAndStillMovesTheArchiveOn() throws Exception {
        dump("d1.csv", "1,a", "2,b");
        var task = start(Map.of());
        assertThat(drain(task)).hasSize(2);

        dump("d2.csv", "2,b", "1,a");
        assertThat(drain(task)).isEmpty();

        assertThat(root.resolve("done/d2.csv")).exists();
        assertThat(archive().current().snapshotFile()).isEqualTo("d2.csv");
        task.stop();
    }

    @Test
    void aRestartedTaskSkipsTheEventsItAlreadySent() throws Exception {
        dump("d1.csv", "1,a", "2,b", "3,c");
        offsets.put(Map.of(SnapshotMode.TABLE, "t"), Map.of(SnapshotMode.SNAPSHOT, "d1.csv", SnapshotMode.EVENT, 2L,
                SnapshotMode.LAST, false));
        var task = start(Map.of());

        List<SourceRecord> records = drain(task);

        assertThat(records).hasSize(1);
        assertThat(((Struct) records.get(0).key()).get("id")).isEqualTo("3");
        Map<String, ?> offset = records.get(0).sourceOffset();
        assertThat(offset.get(SnapshotMode.EVENT)).isEqualTo(3L);
        assertThat(offset.get(SnapshotMode.LAST)).isEqualTo(true);
        task.stop();
    }

    @Test
    void aRestartedTaskSkipsTheEventsOfADiffedDumpItAlreadySentAndKeepsNoSpoolAfterwards() throws Exception {
        dump("d1.csv", "1,a", "2,b", "3,c");
        var first = start(Map.of());
        assertThat(drain(first)).hasSize(3);
        first.stop();
        dump("d2.csv", "4,d", "2,b", "1,A"); // in key order: 1 updated, 3 deleted, 4 inserted
        offsets.put(Map.of(SnapshotMode.TABLE, "t"), Map.of(SnapshotMode.SNAPSHOT, "d2.csv", SnapshotMode.EVENT, 1L,
                SnapshotMode.LAST, false));
        var restarted = start(Map.of());

        List<SourceRecord> records = drain(restarted);

        assertThat(records).extracting(record -> record.headers().lastWithName("onramp.op").value())
                .containsExactly("d", "c");
        assertThat(records).extracting(record -> ((Struct) record.key()).get("id")).containsExactly("3", "4");
        assertThat(records).extracting(record -> (Object) record.sourceOffset().get(SnapshotMode.EVENT))
                .containsExactly(2L, 3L);
        assertThat(records).extracting(record -> (Object) record.sourceOffset().get(SnapshotMode.LAST))
                .containsExactly(false, true);
        assertThat(archive().current().snapshotFile()).isEqualTo("d2.csv");
        assertThat(archiveFiles()).as("the run and its pointer, no spooled events").hasSize(2)
                .noneMatch(name -> name.contains("events"));
        restarted.stop();
    }

    @Test
    void aDuplicateKeyInADiffedDumpRejectsItBeforeAnyOfItsEventsLeaves() throws Exception {
        dump("d1.csv", "1,a");
        var task = start(Map.of(FileSourceConfig.ON_BAD_RECORD, "skip"));
        assertThat(drain(task)).hasSize(1);
        dump("d2.csv", "1,changed", "5,e", "5,e"); // the update comes first, the duplicate only at the end

        assertThat(drain(task)).isEmpty();

        assertThat(Files.readString(root.resolve("error/d2.csv.error.txt"))).contains("Duplicate key (id) on lines 3 and 4");
        assertThat(archive().current().snapshotFile()).isEqualTo("d1.csv");
        assertThat(archiveFiles()).hasSize(2).noneMatch(name -> name.contains("events") || name.contains("d2.csv"));
        task.stop();
    }

    private List<String> archiveFiles() throws IOException {
        try (var files = Files.list(root.resolve("archive"))) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }

    @Test
    void aDumpWhoseEventsWereAllCommittedBeforeARestartIsOnlyArchived() throws Exception {
        dump("d1.csv", "1,a");
        offsets.put(Map.of(SnapshotMode.TABLE, "t"), Map.of(SnapshotMode.SNAPSHOT, "d1.csv", SnapshotMode.EVENT, 1L,
                SnapshotMode.LAST, true));
        var task = start(Map.of());

        assertThat(drain(task)).isEmpty();
        assertThat(root.resolve("done/d1.csv")).exists();
        assertThat(archive().current().snapshotFile()).isEqualTo("d1.csv");
        task.stop();
    }

    @Test
    void aPartialSnapshotQuarantinesItsBadRowsWhenAllowed() throws Exception {
        dump("d1.csv", "1,a", "2,b");
        var task = start(Map.of(FileSourceConfig.SNAPSHOT_ALLOW_PARTIAL, "true", FileSourceConfig.ON_BAD_RECORD, "quarantine"));
        drain(task);

        dump("d2.csv", "1,a", "2,b,extra", ",c");
        List<SourceRecord> records = drain(task);

        assertThat(records).extracting(SourceRecord::topic).containsExactly("t.quarantine", "t.quarantine", "t");
        assertThat(records.get(2).headers().lastWithName("onramp.op").value()).isEqualTo("d");
        assertThat(records.get(1).headers().lastWithName("onramp.quarantine.reason").value().toString()).contains("key field 'id' is empty");
        task.stop();
    }

    @Test
    void aDuplicateKeyRejectsTheDumpNamingTheKeyAndBothLines() throws Exception {
        dump("d1.csv", "1,a", "1,b");
        var task = start(Map.of(FileSourceConfig.ON_BAD_RECORD, "skip"));

        assertThat(drain(task)).isEmpty();

        assertThat(Files.readString(root.resolve("error/d1.csv.error.txt"))).contains("Duplicate key (id) on lines 2 and 3").doesNotContain("id=1");
        task.stop();
    }

    @Test
    void aDumpPromotedButNotMovedBeforeAKillIsMovedToFinishedNotRejected() throws Exception {
        dump("d1.csv", "1,a", "2,b");
        var first = start(Map.of());
        assertThat(drain(first)).hasSize(2);
        first.stop();
        // What a kill between the archive's promotion and the move leaves: the dump back in the input, its events
        // committed (offset: last sent), the archive on it.
        Files.move(root.resolve("done/d1.csv"), incoming.resolve("d1.csv"));
        offsets.put(Map.of(SnapshotMode.TABLE, "t"), Map.of(SnapshotMode.SNAPSHOT, "d1.csv", SnapshotMode.EVENT, 2L,
                SnapshotMode.LAST, true));

        var restarted = start(Map.of());

        assertThat(drain(restarted)).isEmpty();
        assertThat(root.resolve("done/d1.csv")).exists();
        assertThat(root.resolve("error/d1.csv")).doesNotExist();
        assertThat(archive().current().snapshotFile()).isEqualTo("d1.csv");
        restarted.stop();
    }

    @Test
    void aDumpOfTheSameNameButOtherContentIsStillRejectedAsNotNewer() throws Exception {
        dump("d1.csv", "1,a", "2,b");
        var task = start(Map.of());
        drain(task);

        dump("d1.csv", "1,a", "2,b", "3,c"); // another size: not the dump that was applied

        assertThat(drain(task)).isEmpty();
        assertThat(root.resolve("error/d1.csv")).exists();
        assertThat(Files.readString(root.resolve("error/d1.csv.error.txt"))).contains("is not newer than d1.csv");
        task.stop();
    }

    @Test
    void theArchiveMovesOnOnlyWhenEveryEventOfTheDumpIsAcknowledged() throws Exception {
        dump("d1.csv", "1,a", "2,b", "3,c");
        var task = start(Map.of(FileSourceConfig.BATCH_SIZE, "1"));
        var sent = new ArrayList<SourceRecord>();
        while (sent.size() < 3) {
            List<SourceRecord> batch = task.poll();
            if (batch != null) {
                sent.addAll(batch);
            }
        }
        var archive = archive();

        // Acks of different partitions come in any order: the last event's ack first.
        task.commitRecord(sent.get(2), null);
        task.commitRecord(sent.get(0), null);
        assertThat(task.poll()).isNull();
        assertThat(archive.current()).as("one event not yet acknowledged").isNull();
        assertThat(incoming.resolve("d1.csv")).exists();

        task.commitRecord(sent.get(1), null);
        assertThat(task.poll()).isNull();
        assertThat(archive.current().snapshotFile()).isEqualTo("d1.csv");
        assertThat(root.resolve("done/d1.csv")).exists();
        task.stop();
    }

    @Test
    void whatAKilledAttemptLeftInTheArchiveIsRemovedOnStart() throws Exception {
        Path archive = root.resolve("archive");
        String own = SnapshotArchive.nameOf("t", "t"); // connector "t" (no name given: the topic), table "t"
        List<String> leftovers = List.of(own + ".d0.csv.run8471.partial", own + ".d0.csv.run.spill-123.run",
                own + ".d0.csv.run", own + ".snapshot.properties.partial");
        String otherConnector = SnapshotArchive.nameOf("other", "t");
        List<String> others = List.of("u.d0.csv.run55.partial", "u.d0.csv.run", "notes.txt",
                otherConnector + ".d0.csv.run55.partial", otherConnector + ".d0.csv.run");
        for (String name : leftovers) {
            Files.writeString(archive.resolve(name), "x");
        }
        for (String name : others) {
            Files.writeString(archive.resolve(name), "x");
        }

        var task = start(Map.of());

        leftovers.forEach(name -> assertThat(archive.resolve(name)).as(name).doesNotExist());
        others.forEach(name -> assertThat(archive.resolve(name)).as("another table's or connector's " + name).exists());
        task.stop();
    }

    @Test
    void theCurrentRunSurvivesTheCleanUp() throws Exception {
        dump("d1.csv", "1,a");
        var first = start(Map.of());
        drain(first);
        first.stop();
        Path run = archive().current().run();

        var restarted = start(Map.of());

        assertThat(run).exists();
        dump("d2.csv", "1,b");
        assertThat(drain(restarted)).hasSize(1); // diffed against d1: one update, not a first snapshot
        restarted.stop();
    }

    @Test
    void aStopDuringALargeSortReturnsPromptlyAndLeavesNoThreadWorking() throws Exception {
        Path partial = incoming.resolve("big.csv.tmp");
        try (var out = Files.newBufferedWriter(partial)) {
            out.write("id,name\n");
            for (int i = 1_000_000; i > 0; i--) { // 1M rows in reverse order: seconds of sorting
                out.write(i + ",name of row " + i + "\n");
            }
        }
        Files.move(partial, incoming.resolve("big.csv"));
        var task = start(Map.of(FileSourceConfig.SNAPSHOT_SORT_MEMORY_BYTES, Integer.toString(1 << 20)));
        var polled = new java.util.concurrent.atomic.AtomicReference<Object>("null");
        var stopped = new java.util.concurrent.atomic.AtomicBoolean();
        Thread poller = new Thread(() -> { // the worker's poll loop: until the task is stopped
            try {
                while (!stopped.get()) {
                    List<SourceRecord> records = task.poll();
                    if (records != null) {
                        polled.set(records.size() + " records");
                        return;
                    }
                }
            } catch (Throwable e) {
                polled.set(e);
            }
        }, "poll");
        poller.start();
        // The sort is under way once it has spilled a run into the archive.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .pollInterval(java.time.Duration.ofMillis(5)).alias("a spill within 60 s")
                .until(() -> spilled() || !poller.isAlive());
        assertThat(poller.isAlive()).as("still sorting when stop comes; the poll gave %s", polled.get()).isTrue();

        long started = System.nanoTime();
        stopped.set(true);
        task.stop();
        poller.join(10_000);

        // The stop's own deadline (3 s), and slack for a loaded machine: the sort would take far longer.
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(6));
        assertThat(poller.isAlive()).as("the poll thread has returned").isFalse();
        assertThat(polled.get()).as("the poll gave nothing and threw nothing").isEqualTo("null");
        assertThat(incoming.resolve("big.csv")).exists();
        assertThat(archive().current()).isNull();
        assertThat(root.resolve("archive/" + SnapshotArchive.nameOf("t", "t") + ".big.csv.run")).doesNotExist();
    }

    /** The archive of connector "t" (no name given: the topic) and table "t". */
    private SnapshotArchive archive() {
        return new SnapshotArchive(root.resolve("archive"), SnapshotArchive.nameOf("t", "t"));
    }

    private boolean spilled() throws IOException {
        try (var files = Files.list(root.resolve("archive"))) {
            return files.anyMatch(file -> file.getFileName().toString().contains(".spill-"));
        }
    }

    private void dump(String name, String... rows) throws IOException {
        Path partial = incoming.resolve(name + ".tmp");
        Files.writeString(partial, "id,name\n" + String.join("\n", rows) + "\n");
        Files.move(partial, incoming.resolve(name));
    }

    private FileSourceTask start(Map<String, String> overrides) {
        var props = new HashMap<String, String>();
        props.put(FileSourceConfig.TOPIC, "t");
        props.put(FileSourceConfig.MODE, "snapshot");
        props.put(FileSourceConfig.INPUT_PATH, incoming.toString());
        props.put(FileSourceConfig.FINISHED_PATH, root.resolve("done").toString());
        props.put(FileSourceConfig.ERROR_PATH, root.resolve("error").toString());
        props.put(FileSourceConfig.SNAPSHOT_ARCHIVE_PATH, root.resolve("archive").toString());
        props.put(FileSourceConfig.SNAPSHOT_KEY_FIELDS, "id");
        props.put(FileSourceConfig.FILE_MIN_AGE_MS, "0");
        props.put(FileSourceConfig.POLL_INTERVAL_MS, "10");
        props.putAll(overrides);
        var task = new FileSourceTask();
        task.initialize(new RecordingTaskContext(props, offsets));
        task.start(props);
        return task;
    }

    /**
     * Polls, acknowledging every record as Kafka would, until every dump of the input directory was handled: moved
     * to the finished directory (the last step, after its events were acknowledged and the archive moved on) or to
     * the error directory with its reason next to it.
     */
    private List<SourceRecord> drain(FileSourceTask task) throws Exception {
        var all = new ArrayList<SourceRecord>();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!everyDumpHandled()) {
            assertThat(System.nanoTime()).as("every dump handled within 30 s; records so far: %s", all).isLessThan(deadline);
            List<SourceRecord> batch = task.poll();
            if (batch != null) {
                all.addAll(batch);
                batch.forEach(record -> task.commitRecord(record, null));
            }
        }
        return all;
    }

    private boolean everyDumpHandled() throws IOException {
        try (var waiting = Files.list(incoming); var rejected = Files.list(root.resolve("error"))) {
            return waiting.findAny().isEmpty() && rejected.map(file -> file.getFileName().toString())
                    .filter(name -> !name.endsWith(".error.txt") && !name.startsWith("."))
                    .allMatch(name -> Files.exists(root.resolve("error").resolve(name + ".error.txt")));
        }
    }
}
