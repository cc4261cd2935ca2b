package io.onramp.connect.source.file.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.source.file.FileSourceConfig;
import io.onramp.connect.source.file.FileSourceTask;
import io.onramp.connect.source.snapshot.SnapshotArchive;
import io.onramp.connect.source.testing.RecordingTaskContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One archive directory shared by connectors whose table (by default: topic) is the same: each keeps its own state,
 * and an archive an earlier version kept under the table's name alone is taken over, not forgotten.
 */
class SharedSnapshotArchiveTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path root;

    private Path archive;

    @BeforeEach
    void directories() throws IOException {
        for (String dir : List.of("a-in", "b-in", "done", "error", "archive")) {
            Files.createDirectories(root.resolve(dir));
        }
        archive = root.resolve("archive");
    }

    @Test
    void twoConnectorsOfOneTopicSharingTheArchiveDirectoryEachDiffAgainstTheirOwnState() throws Exception {
        Files.writeString(root.resolve("a-in/d1.csv"), "id,name\n1,a\n2,b\n");
        var a = start("a-in", "connector-a");
        assertThat(describe(applyDump(a, "d1.csv"))).containsExactly("r 1", "r 2");
        a.stop();

        Files.writeString(root.resolve("b-in/e1.csv"), "id,name\n3,c\n4,d\n");
        var b = start("b-in", "connector-b");
        assertThat(describe(applyDump(b, "e1.csv"))).as("B's first dump, no deletes of A's rows")
                .containsExactly("r 3", "r 4");
        b.stop();

        Files.writeString(root.resolve("a-in/d2.csv"), "id,name\n1,a\n2,B\n");
        var restartedA = start("a-in", "connector-a");
        assertThat(describe(applyDump(restartedA, "d2.csv"))).as("A diffed against its own d1")
                .containsExactly("u 2");
        restartedA.stop();
        assertThat(archiveOf("connector-b").current().snapshotFile()).isEqualTo("e1.csv");
    }

    @Test
    void aConnectorsStartLeavesTheUnpromotedRunOfAnotherConnectorOfTheSameTableAlone() throws Exception {
        // What B's sort of e1.csv has written so far, before B promotes it (or while B's worker is down).
        Path runOfB = Files.writeString(archiveOf("connector-b").runOf("e1.csv"), "x");
        Path spillOfB = Files.writeString(runOfB.resolveSibling(SnapshotArchive.spillPrefixOf(runOfB) + "1.run"), "x");

        var a = start("a-in", "connector-a");

        assertThat(runOfB).exists();
        assertThat(spillOfB).exists();
        a.stop();
    }

    @Test
    void anArchiveKeptUnderTheTableNameAloneByAnEarlierVersionIsTakenOverAndTheNextDumpDiffedAgainstIt() throws Exception {
        Files.writeString(root.resolve("a-in/d1.csv"), "id,name\n1,a\n2,b\n3,c\n");
        var first = start("a-in", "connector-a");
        applyDump(first, "d1.csv");
        first.stop();
        // Lay the state out as versions up to 0.1.0 did: pointer and run named after the table ("customers") alone.
        String name = SnapshotArchive.nameOf("connector-a", "customers");
        Files.move(archive.resolve(name + ".d1.csv.run"), archive.resolve("customers.d1.csv.run"));
        Path pointer = archive.resolve(name + ".snapshot.properties");
        Files.writeString(archive.resolve("customers.snapshot.properties"), Files.readString(pointer)
                .replace("run=" + name + ".d1.csv.run", "run=customers.d1.csv.run"));
        Files.delete(pointer);
        assertThat(Files.readString(archive.resolve("customers.snapshot.properties"))).contains("run=customers.d1.csv.run");

        Files.writeString(root.resolve("a-in/d2.csv"), "id,name\n1,a\n2,B\n4,d\n");
        var upgraded = start("a-in", "connector-a");

        assertThat(archive.resolve("customers.snapshot.properties")).as("taken over").doesNotExist();
        assertThat(archiveOf("connector-a").current().run()).isEqualTo(archive.resolve("customers.d1.csv.run"));
        assertThat(describe(applyDump(upgraded, "d2.csv"))).as("diffed against d1, not read afresh")
                .containsExactly("u 2", "d 3", "c 4");
        upgraded.stop();
        assertThat(archiveOf("connector-a").current().run()).isEqualTo(archive.resolve(name + ".d2.csv.run"));
        assertThat(archive.resolve("customers.d1.csv.run")).as("replaced by d2's run, so deleted").doesNotExist();
    }

    private SnapshotArchive archiveOf(String connector) {
        return new SnapshotArchive(archive, SnapshotArchive.nameOf(connector, "customers"));
    }

    private FileSourceTask start(String in, String name) {
        var props = new HashMap<String, String>();
        props.put("name", name);
        props.put(FileSourceConfig.TOPIC, "customers");
        props.put(FileSourceConfig.MODE, "snapshot");
        props.put(FileSourceConfig.INPUT_PATH, root.resolve(in).toString());
        props.put(FileSourceConfig.FINISHED_PATH, root.resolve("done").toString());
        props.put(FileSourceConfig.ERROR_PATH, root.resolve("error").toString());
        props.put(FileSourceConfig.SNAPSHOT_ARCHIVE_PATH, archive.toString());
        props.put(FileSourceConfig.SNAPSHOT_KEY_FIELDS, "id");
        props.put(FileSourceConfig.FILE_MIN_AGE_MS, "0");
        props.put(FileSourceConfig.POLL_INTERVAL_MS, "10");
        var task = new FileSourceTask();
        task.initialize(new RecordingTaskContext(props, new HashMap<Map<String, ?>, Map<String, Object>>()));
        task.start(props);
        return task;
    }

    /**
     * Polls, acknowledging every record as Kafka would, until the dump's last event was sent and the dump is applied;
     * each within the deadline.
     */
    private List<SourceRecord> applyDump(FileSourceTask task, String dump) throws InterruptedException {
        var all = new ArrayList<SourceRecord>();
        pollUntil(task, all, () -> !all.isEmpty() && Boolean.TRUE.equals(all.get(all.size() - 1).sourceOffset().get("last")),
                "the last event of " + dump);
        // Moved to finished.path only after the archive holds it.
        pollUntil(task, all, () -> Files.exists(root.resolve("done").resolve(dump)), dump + " applied and moved");
        return all;
    }

    private static void pollUntil(FileSourceTask task, List<SourceRecord> into, BooleanSupplier done, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("%s within %s", what, DEADLINE).isLessThan(deadline);
            List<SourceRecord> batch = task.poll();
            if (batch != null) {
                into.addAll(batch);
                batch.forEach(record -> task.commitRecord(record, null));
            }
        }
    }

    private static List<String> describe(List<SourceRecord> records) {
        return records.stream().map(r -> r.headers().lastWithName("onramp.op").value() + " " + ((Struct) r.key()).get("id"))
                .toList();
    }
}
