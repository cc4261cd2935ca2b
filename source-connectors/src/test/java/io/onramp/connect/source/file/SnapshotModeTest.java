package io.onramp.connect.source.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
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
        assertThat(new SnapshotArchive(root.resolve("archive"), "t").current().snapshotFile()).isEqualTo("d2.csv");
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
    void aDumpWhoseEventsWereAllCommittedBeforeARestartIsOnlyArchived() throws Exception {
        dump("d1.csv", "1,a");
        offsets.put(Map.of(SnapshotMode.TABLE, "t"), Map.of(SnapshotMode.SNAPSHOT, "d1.csv", SnapshotMode.EVENT, 1L,
                SnapshotMode.LAST, true));
        var task = start(Map.of());

        assertThat(drain(task)).isEmpty();
        assertThat(root.resolve("done/d1.csv")).exists();
        assertThat(new SnapshotArchive(root.resolve("archive"), "t").current().snapshotFile()).isEqualTo("d1.csv");
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
        var task = new FileSourceTask(Clock.systemUTC());
        task.initialize(new TestContext(props));
        task.start(props);
        return task;
    }

    /** Polls until the task has nothing more to say, acknowledging every record as Kafka would. */
    private static List<SourceRecord> drain(FileSourceTask task) throws InterruptedException {
        var all = new ArrayList<SourceRecord>();
        int idle = 0;
        while (idle < 5) {
            List<SourceRecord> batch = task.poll();
            if (batch == null) {
                idle++;
                continue;
            }
            idle = 0;
            all.addAll(batch);
            batch.forEach(record -> task.commitRecord(record, null));
        }
        return all;
    }

    private final class TestContext implements SourceTaskContext {
        private final Map<String, String> props;

        TestContext(Map<String, String> props) {
            this.props = props;
        }

        @Override
        public Map<String, String> configs() {
            return props;
        }

        @Override
        public OffsetStorageReader offsetStorageReader() {
            return new OffsetStorageReader() {
                @Override
                public <T> Map<String, Object> offset(Map<String, T> partition) {
                    return offsets.get(partition);
                }

                @Override
                public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                    var result = new HashMap<Map<String, T>, Map<String, Object>>();
                    partitions.forEach(partition -> result.put(partition, offsets.get(partition)));
                    return result;
                }
            };
        }
    }
}
