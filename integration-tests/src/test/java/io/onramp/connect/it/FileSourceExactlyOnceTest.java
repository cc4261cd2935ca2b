package io.onramp.connect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
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
        assertEveryLineExactlyOnce(topic);
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
        assertEveryLineExactlyOnce(topic);
        connect.delete(example.name());
    }

    @Test
    void withConnectorDefinedBoundariesAWholeFileCommitsAsOneTransaction() throws Exception {
        String topic = "eos.file-transaction";
        var example = largeFileExample("file-transaction", topic).with("transaction.boundary", "connector");
        var watcher = ReadCommittedWatcher.start(() -> connect.countCommitted(topic));
        connect.create(example.name(), example.config());
        connect.awaitRunning(example.name(), 1);

        var records = connect.readAtLeast(topic, ROWS, Duration.ofSeconds(120), true, Duration.ofSeconds(1));
        var observed = watcher.stop();

        assertThat(records).hasSize(ROWS);
        assertThat(observed).as("read_committed sees none of the file or all of it").isSubsetOf(java.util.Set.of(0, ROWS))
                .as("and it did see all of it").contains(ROWS);
        connect.delete(example.name());
    }

    @Test
    void withConnectorDefinedBoundariesAnUnreadableFileIsAbortedWholeAndTheNextOneDelivered() throws Exception {
        String topic = "eos.file-aborted";
        var example = ConfigExamples.load("file-source-csv.json", dataRoot.resolve("file-aborted")).createDirectories()
                .named("file-aborted").with("topic", topic).with("file.min.age.ms", "0").with("batch.size", "100")
                .with("on.bad.record", "skip").with("transaction.boundary", "connector");
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

        var records = connect.readAtLeast(topic, 1_200, Duration.ofSeconds(60), true, Duration.ofSeconds(3));
        assertThat(records).as("files a and c whole, none of b").hasSize(1_200)
                .allMatch(record -> Records.payload(record).path("id").asLong() <= 1_000);
        assertThat(connect.endOffset(topic)).as("b's records were written, then aborted").isGreaterThan(1_200 + 2 + 100);
        assertThat(example.path("error.path").resolve("customers-b.csv")).exists();
        connect.delete(example.name());
    }

    private ConfigExamples.Example largeFileExample(String name, String topic) throws Exception {
        var example = ConfigExamples.load("file-source-csv.json", dataRoot.resolve(name)).createDirectories()
                .with("topic", topic).with("file.min.age.ms", "0").with("batch.size", "100");
        example = example.named(name);
        LargeCsv.write(example.path("input.path").resolve("customers-large.csv"), ROWS);
        return example;
    }

    private static void assertEveryLineExactlyOnce(String topic) {
        var records = connect.readAtLeast(topic, ROWS, Duration.ofSeconds(120), true, Duration.ofSeconds(2));
        Map<Long, Integer> seen = new HashMap<>();
        records.forEach(record -> seen.merge(Records.payload(record).path("id").asLong(), 1, Integer::sum));
        assertThat(seen).as("every line of the file").hasSize(ROWS);
        assertThat(seen.values()).as("no line twice").allMatch(count -> count == 1);
        assertThat(records).hasSize(ROWS);
    }
}
