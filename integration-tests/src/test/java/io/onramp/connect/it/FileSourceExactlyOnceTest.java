package io.onramp.connect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With exactly.once.source.support=enabled on the worker, an interrupted file is never duplicated. */
class FileSourceExactlyOnceTest {

    private static final int ROWS = 60_000;

    private static OnrampConnect connect;

    @TempDir
    static Path dataRoot;

    @BeforeAll
    static void startConnect() {
        connect = OnrampConnect.start("file-source-eos", true);
    }

    @AfterAll
    static void stopConnect() {
        connect.close();
    }

    @Test
    void connectorRestartInTheMiddleOfAFileYieldsEveryLineExactlyOnce() throws Exception {
        String topic = "eos.connector-restart";
        var example = largeFileExample("connector-restart", topic);
        connect.create(example.name(), example.config());
        connect.awaitRunning(example.name(), 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> connect.endOffset(topic) > 5_000);
        long beforeRestart = connect.endOffset(topic);

        connect.restartConnectorAndTasks(example.name());

        assertThat(beforeRestart).as("the restart must come in the middle of the file").isLessThan(ROWS);
        assertEveryLineExactlyOnce(example, topic);
        connect.delete(example.name());
    }

    @Test
    void workerReplacedInTheMiddleOfAFileYieldsEveryLineExactlyOnce() throws Exception {
        String topic = "eos.worker-replaced";
        var example = largeFileExample("worker-replaced", topic);
        connect.create(example.name(), example.config());
        connect.awaitRunning(example.name(), 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> connect.endOffset(topic) > 5_000);
        long beforeCrash = connect.endOffset(topic);

        connect.replaceWorker();

        assertThat(beforeCrash).as("the worker must go in the middle of the file").isLessThan(ROWS);
        connect.awaitRunning(example.name(), 1);
        assertEveryLineExactlyOnce(example, topic);
        connect.delete(example.name());
    }

    @Test
    void withConnectorDefinedBoundariesAWholeFileCommitsAsOneTransaction() throws Exception {
        String topic = "eos.file-transaction";
        var example = largeFileExample("file-transaction", topic).with("transaction.boundary", "connector");
        var watcher = ReadCommittedWatcher.start(() -> connect.countCommitted(topic));
        connect.create(example.name(), example.config());
        connect.awaitRunning(example.name(), 1);

        awaitFinished(example, "customers-large.csv");
        var records = connect.readToEnd(topic, Duration.ofSeconds(120), true);
        var observed = watcher.stop();

        assertThat(records).hasSize(ROWS);
        assertThat(observed).as("read_committed sees none of the file or all of it").isSubsetOf(java.util.Set.of(0, ROWS))
                .as("and it did see all of it").contains(ROWS);
        connect.delete(example.name());
    }

    @Test
    void withConnectorDefinedBoundariesAnUnreadableFileIsAbortedWholeAndTheNextOneDelivered() throws Exception {
        String topic = "eos.file-aborted";
        var example = fileTransactionExample("file-aborted", topic, "skip");
        Path incoming = example.path("input.path");
        LargeCsv.write(incoming.resolve("customers-a.csv"), 1_000);
        // 20,000 good rows (far past any read buffer), then bytes that are not UTF-8: the file cannot be read
        // on after many batches of it went out.
        var bad = new java.io.ByteArrayOutputStream();
        bad.writeBytes("id,name,email,birth_date,balance,status,signed_up\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (int i = 1; i <= 20_000; i++) {
            bad.writeBytes((10_000 + i + ",B,,,1.00,ACTIVE,2024-01-01T00:00:00Z\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        bad.writeBytes(new byte[] {'9', ',', (byte) 0xC3, (byte) 0x28, '\n'});
        java.nio.file.Files.write(incoming.resolve("customers-b.csv.partial"), bad.toByteArray());
        java.nio.file.Files.move(incoming.resolve("customers-b.csv.partial"), incoming.resolve("customers-b.csv"));
        LargeCsv.write(incoming.resolve("customers-c.csv"), 200);

        connect.create(example.name(), example.config());
        connect.awaitRunning(example.name(), 1);

        awaitFinished(example, "customers-c.csv");
        var records = connect.readToEnd(topic, Duration.ofSeconds(120), true);
        assertThat(records).as("files a and c whole, none of b").hasSize(1_200)
                .allMatch(record -> Records.payload(record).path("id").asLong() <= 1_000);
        assertThat(connect.endOffset(topic)).as("b's records were written, then aborted").isGreaterThan(1_200 + 2 + 100);
        assertThat(example.path("error.path").resolve("customers-b.csv")).exists();
        connect.delete(example.name());
    }

    /**
     * on.bad.record=fail with connector-defined boundaries: a file whose row 5,001 is bad has had 50 batches of its
     * transaction sent when the row is met; the transaction is aborted, so no read_committed consumer ever sees
     * any of the file, the file goes to error.path and the task fails; once restarted, the next file is delivered.
     */
    @Test
    void underFailAFileRejectedPartWayIsAbortedWholeAndTheNextFileIsDeliveredAfterTheRestart() throws Exception {
        String topic = "eos.file-fail-aborted";
        var example = fileTransactionExample("file-fail-aborted", topic, "fail");
        Path incoming = example.path("input.path");
        LargeCsv.write(incoming.resolve("customers-a.csv"), 1_000);
        var bad = new StringBuilder("id,name,email,birth_date,balance,status,signed_up\n");
        for (int i = 1; i <= 5_000; i++) {
            bad.append(10_000 + i).append(",B,,,1.00,ACTIVE,2024-01-01T00:00:00Z\n");
        }
        bad.append("15001,Short row\n");
        for (int i = 5_002; i <= 5_010; i++) {
            bad.append(10_000 + i).append(",B,,,1.00,ACTIVE,2024-01-01T00:00:00Z\n");
        }
        Files.writeString(incoming.resolve("customers-b.csv.partial"), bad);
        Files.move(incoming.resolve("customers-b.csv.partial"), incoming.resolve("customers-b.csv"));
        LargeCsv.write(incoming.resolve("customers-c.csv"), 200);
        var watcher = ReadCommittedWatcher.start(() -> connect.countCommitted(topic));

        connect.create(example.name(), example.config());
        connect.awaitTaskFailed(example.name());

        assertThat(connect.taskTrace(example.name(), 0)).contains("customers-b.csv line 5002");
        assertThat(example.path("error.path").resolve("customers-b.csv")).exists();
        // Written when the row is met, before the abort: it must not claim that the records before it were delivered.
        assertThat(Files.readString(example.path("error.path").resolve("customers-b.csv.error.txt"))).contains("line 5002")
                .doesNotContainIgnoringCase("were delivered")
                .contains("none of this file is delivered");
        assertThat(byFile(connect.readToEnd(topic, Duration.ofSeconds(120), true)))
                .as("read_committed after the failure: file a whole, none of b").isEqualTo(Map.of("customers-a.csv", 1_000));
        // Records of b still in the producer's buffer at the abort never reach the log; those sent before it do.
        assertThat(connect.endOffset(topic)).as("records of b reached the log (then were aborted) besides a and its commit marker")
                .isGreaterThan(1_000 + 1);

        connect.restartConnectorAndTasks(example.name());
        awaitFinished(example, "customers-c.csv");
        var records = connect.readToEnd(topic, Duration.ofSeconds(120), true);
        var observed = watcher.stop();

        assertThat(byFile(records)).as("after the restart: a and c whole, none of b")
                .isEqualTo(Map.of("customers-a.csv", 1_000, "customers-c.csv", 200));
        assertThat(observed).as("read_committed never saw a record of b").isSubsetOf(Set.of(0, 1_000, 1_200))
                .contains(1_200);
        connect.delete(example.name());
    }

    /** Small batches, a file per transaction: a file's transaction spans many polls. */
    private static ConfigExamples.Example fileTransactionExample(String name, String topic, String badRecordPolicy) {
        return ConfigExamples.load("file-source-csv.json", dataRoot.resolve(name)).createDirectories()
                .named(name).with("topic", topic).with("file.min.age.ms", "0").with("batch.size", "100")
                .with("on.bad.record", badRecordPolicy).with("transaction.boundary", "connector");
    }

    private static Map<String, Integer> byFile(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, Integer> counts = new HashMap<>();
        records.forEach(record -> counts.merge(Records.header(record, "onramp.file.name"), 1, Integer::sum));
        return counts;
    }

    /** Up to four minutes: a 60,000-line file in one transaction took over two on a machine at load 40. */
    private static void awaitFinished(ConfigExamples.Example example, String file) {
        await().atMost(Duration.ofSeconds(240)).until(() -> Files.exists(example.path("finished.path").resolve(file)));
    }

    private ConfigExamples.Example largeFileExample(String name, String topic) throws Exception {
        var example = ConfigExamples.load("file-source-csv.json", dataRoot.resolve(name)).createDirectories()
                .with("topic", topic).with("file.min.age.ms", "0").with("batch.size", "100");
        example = example.named(name);
        LargeCsv.write(example.path("input.path").resolve("customers-large.csv"), ROWS);
        return example;
    }

    private static void assertEveryLineExactlyOnce(ConfigExamples.Example example, String topic) {
        awaitFinished(example, "customers-large.csv");
        var records = connect.readToEnd(topic, Duration.ofSeconds(120), true);
        Map<Long, Integer> seen = new HashMap<>();
        records.forEach(record -> seen.merge(Records.payload(record).path("id").asLong(), 1, Integer::sum));
        assertThat(seen).as("every line of the file").hasSize(ROWS);
        assertThat(seen.values()).as("no line twice").allMatch(count -> count == 1);
        assertThat(records).hasSize(ROWS);
    }
}
