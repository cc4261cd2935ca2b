package io.onramp.connect.source.file.append;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.connect.source.file.FileOffsets;
import io.onramp.connect.source.file.FileSourceConfig;
import io.onramp.connect.source.file.FileSourceTask;
import io.onramp.connect.source.testing.RecordingTaskContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Append mode driven through the task: batches, the record pushed back to the next poll, the transaction
 * commit/abort calls of connector-defined boundaries, and moving a file only once every record is acknowledged.
 */
class AppendModeTest {

    @TempDir
    Path root;

    private Path incoming;
    private boolean connectorBoundaries;
    /** Records what the task asked of the transaction context, e.g. "commit 3:f.csv" (the record's position, its file). */
    private RecordingTaskContext context;

    @BeforeEach
    void directories() throws IOException {
        for (String dir : List.of("in", "done", "error")) {
            Files.createDirectories(root.resolve(dir));
        }
        incoming = root.resolve("in");
    }

    @Test
    void batchesHoldAtMostBatchSizeRecordsInFileOrder() throws Exception {
        file("a.csv", rows(1, 25));
        var task = start(Map.of(FileSourceConfig.BATCH_SIZE, "10"));

        List<List<SourceRecord>> batches = pollUntil(task, 25);

        assertThat(batches).extracting(List::size).containsExactly(10, 10, 5);
        assertThat(ids(batches)).isEqualTo(rangeOf(1, 25));
        task.stop();
    }

    @Test
    void aFullBatchReadsOnPastSkippedLinesAndKeepsTheNextRecordForTheNextPoll() throws Exception {
        file("a.csv", "1,a", "2,b", "3,bad,extra", "4,d");
        var task = start(Map.of(FileSourceConfig.BATCH_SIZE, "2", FileSourceConfig.ON_BAD_RECORD, "skip"));

        List<SourceRecord> first = nonEmptyPoll(task);
        List<SourceRecord> second = nonEmptyPoll(task);

        assertThat(ids(List.of(first))).containsExactly("1", "2");
        assertThat(ids(List.of(second))).containsExactly("4");
        assertThat(second.get(0).sourceOffset().get(FileOffsets.POSITION)).isEqualTo(4L);
        task.stop();
    }

    @Test
    void withConnectorBoundariesEachFileCommitsOnItsLastRecordEvenWhenItsLastLinesAreSkipped() throws Exception {
        connectorBoundaries = true;
        file("a.csv", "1,a", "2,b", "3,bad,extra", "4,bad,extra"); // the end comes after a full batch
        file("b.csv", "5,e", "6,f", "7,g");
        var task = start(Map.of(FileSourceConfig.BATCH_SIZE, "2", FileSourceConfig.ON_BAD_RECORD, "skip"));

        List<List<SourceRecord>> batches = pollUntil(task, 5);
        acknowledgeAll(task, batches);
        task.poll();

        assertThat(context.commits).containsExactly("commit 2:a.csv", "commit 3:b.csv");
        assertThat(root.resolve("done/a.csv")).exists();
        assertThat(root.resolve("done/b.csv")).exists();
        task.stop();
    }

    @Test
    void withConnectorBoundariesAFileRejectedPartWayUnderFailIsAbortedAndTheTaskFails() throws Exception {
        connectorBoundaries = true;
        file("a.csv", "1,a", "2,b", "3,c", "4,bad,extra", "5,e");
        var task = start(Map.of(FileSourceConfig.BATCH_SIZE, "10", FileSourceConfig.ON_BAD_RECORD, "fail"));

        List<SourceRecord> batch = nonEmptyPoll(task);

        assertThat(ids(List.of(batch))).containsExactly("1", "2", "3");
        assertThat(context.commits).containsExactly("abort 3:a.csv");
        assertThat(root.resolve("error/a.csv")).exists();
        assertThat(Files.readString(root.resolve("error/a.csv.error.txt"))).as("written before the abort, claims no delivery")
                .doesNotContain("were delivered").contains("aborted").contains("none of this file is delivered");
        assertThatThrownBy(task::poll).isInstanceOf(ConnectException.class).hasMessageContaining("a.csv line 5");
        task.stop();
    }

    @Test
    void withoutConnectorBoundariesAFileRejectedUnderFailSaysItsEarlierRecordsWereSentNotDelivered() throws Exception {
        file("a.csv", "1,a", "2,b", "4,bad,extra", "5,e");
        var task = start(Map.of(FileSourceConfig.BATCH_SIZE, "10", FileSourceConfig.ON_BAD_RECORD, "fail"));

        assertThat(ids(List.of(nonEmptyPoll(task)))).containsExactly("1", "2");

        // Written before those records are acknowledged: whether they are delivered is not known yet.
        assertThat(Files.readString(root.resolve("error/a.csv.error.txt"))).contains("a.csv line 4")
                .contains("the records before it were sent to Kafka").doesNotContain("delivered");
        assertThatThrownBy(task::poll).isInstanceOf(ConnectException.class).hasMessageContaining("a.csv line 4");
        task.stop();
    }

    @Test
    void aFileIsMovedOnlyOnceEveryRecordOfItIsAcknowledged() throws Exception {
        file("a.csv", "1,a", "2,b", "3,c");
        var task = start(Map.of());
        List<SourceRecord> batch = nonEmptyPoll(task);
        assertThat(batch).hasSize(3);

        task.commitRecord(batch.get(2), null); // acks of different partitions come in any order
        task.commitRecord(batch.get(0), null);
        assertThat(task.poll()).isNull();
        assertThat(incoming.resolve("a.csv")).as("one record not acknowledged yet").exists();

        task.commitRecord(batch.get(1), null);
        assertThat(task.poll()).isNull();
        assertThat(root.resolve("done/a.csv")).exists();
        task.stop();
    }

    private static List<String> rangeOf(int from, int to) {
        var ids = new ArrayList<String>();
        for (int i = from; i <= to; i++) {
            ids.add(Integer.toString(i));
        }
        return ids;
    }

    private static String[] rows(int from, int to) {
        return rangeOf(from, to).stream().map(id -> id + ",name " + id).toArray(String[]::new);
    }

    private static List<String> ids(List<List<SourceRecord>> batches) {
        return batches.stream().flatMap(List::stream).map(record -> ((Struct) record.value()).get("id").toString()).toList();
    }

    private static List<SourceRecord> nonEmptyPoll(FileSourceTask task) throws InterruptedException {
        for (int attempt = 0; attempt < 500; attempt++) {
            List<SourceRecord> batch = task.poll();
            if (batch != null) {
                return batch;
            }
        }
        throw new AssertionError("no records within 500 polls");
    }

    private static List<List<SourceRecord>> pollUntil(FileSourceTask task, int records) throws InterruptedException {
        var batches = new ArrayList<List<SourceRecord>>();
        int seen = 0;
        while (seen < records) {
            List<SourceRecord> batch = nonEmptyPoll(task);
            batches.add(batch);
            seen += batch.size();
        }
        return batches;
    }

    private static void acknowledgeAll(FileSourceTask task, List<List<SourceRecord>> batches) {
        batches.forEach(batch -> batch.forEach(record -> task.commitRecord(record, null)));
    }

    private void file(String name, String... rows) throws IOException {
        Path partial = incoming.resolve(name + ".tmp");
        Files.writeString(partial, "id,name\n" + String.join("\n", rows) + "\n");
        Files.move(partial, incoming.resolve(name));
    }

    private FileSourceTask start(Map<String, String> overrides) {
        var props = new HashMap<String, String>();
        props.put(FileSourceConfig.TOPIC, "t");
        props.put(FileSourceConfig.INPUT_PATH, incoming.toString());
        props.put(FileSourceConfig.FINISHED_PATH, root.resolve("done").toString());
        props.put(FileSourceConfig.ERROR_PATH, root.resolve("error").toString());
        props.put(FileSourceConfig.FILE_MIN_AGE_MS, "0");
        props.put(FileSourceConfig.POLL_INTERVAL_MS, "10");
        props.putAll(overrides);
        var task = new FileSourceTask();
        context = new RecordingTaskContext(props, connectorBoundaries, record ->
                record.sourceOffset().get(FileOffsets.POSITION) + ":" + record.sourcePartition().get(FileOffsets.FILE));
        task.initialize(context);
        task.start(props);
        return task;
    }
}
