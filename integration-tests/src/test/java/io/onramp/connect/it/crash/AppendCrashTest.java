package io.onramp.connect.it.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.it.ConfigExamples;
import io.onramp.connect.it.LargeCsv;
import io.onramp.connect.it.Records;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Append mode when its worker process is killed with SIGKILL in the middle of a file, and a new worker JVM takes
 * over: the new JVM finds the killed one's offset (its source partition serializes to the same bytes) and resumes
 * after it; exactly-once workers deliver every line once, at-least-once workers lose none.
 */
class AppendCrashTest {

    private static final int ROWS = 20_000;
    private static final String FILE = "customers-large.csv";

    // About 1,300 records a second at most: the file takes over 15 s on any machine, so the kill after
    // 3,000 comes in the middle of it.
    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.perClassThrottled(1_000_000);

    @TempDir
    static Path dataRoot;

    @Test
    void exactlyOnceWorkerKilledMidFileDeliversEveryLineExactlyOnce() throws Exception {
        var counts = killMidFileAndResume("append-eos", true);

        assertThat(counts.distinct).as("distinct lines in read_committed").isEqualTo(ROWS);
        assertThat(counts.duplicates).as("lines delivered twice").isZero();
        assertThat(counts.total).isEqualTo(ROWS);
    }

    @Test
    void atLeastOnceWorkerKilledMidFileLosesNoLine() throws Exception {
        var counts = killMidFileAndResume("append-alo", false);

        assertThat(counts.distinct).as("distinct lines").isEqualTo(ROWS);
        // Without transactions, what was sent after the last offset flush (every 500 ms) before the kill comes
        // again: reported, and far below a whole re-read.
        assertThat(counts.duplicates).as("duplicates").isLessThan(ROWS / 2);
        assertThat(counts.total).isEqualTo(ROWS + counts.duplicates);
    }

    private Counts killMidFileAndResume(String cluster, boolean exactlyOnce) throws Exception {
        String topic = cluster + ".customers";
        var example = ConfigExamples.load("file-source-csv.json", dataRoot.resolve(cluster)).createDirectories()
                .named(cluster).with("topic", topic).with("file.min.age.ms", "0").with("batch.size", "100");
        LargeCsv.write(example.path("input.path").resolve(FILE), ROWS);
        Path finished = example.path("finished.path").resolve(FILE);

        long writtenAtKill;
        try (var first = WorkerProcess.builder(cluster, broker).exactlyOnce(exactlyOnce).start()) {
            first.createConnector(example.name(), example.config());
            first.awaitRunning(example.name(), 1, Duration.ofSeconds(90));
            KafkaBroker.await("3,000 records written", Duration.ofSeconds(180), () -> broker.written(topic) >= 3_000);
            first.kill();
            writtenAtKill = broker.written(topic);
        }
        assertThat(Files.exists(finished)).as("the kill came before the file was done").isFalse();
        assertThat(broker.readCommitted(topic)).as("the kill came in the middle of the file").hasSizeLessThan(ROWS);

        try (var second = WorkerProcess.builder(cluster, broker).exactlyOnce(exactlyOnce).start()) {
            second.awaitRunning(example.name(), 1, Duration.ofSeconds(180));
            // The end marker: the task moves the file only after every record of it was committed.
            KafkaBroker.await(FILE + " in finished.path", Duration.ofSeconds(300), () -> Files.exists(finished));
            assertThat(second.log()).as("the new JVM resumes after the killed one's offset")
                    .content().containsPattern("Reading " + FILE + " from record [1-9]");
            var counts = Counts.of(broker.readCommitted(topic));
            System.out.printf("%s: killed after %,d records written; read_committed then holds %,d records, "
                    + "%,d distinct lines, %,d duplicates%n", cluster, writtenAtKill, counts.total, counts.distinct,
                    counts.duplicates);
            return counts;
        }
    }

    private record Counts(int total, int distinct, int duplicates) {
        static Counts of(List<ConsumerRecord<byte[], byte[]>> records) {
            Map<Long, Integer> perId = new TreeMap<>();
            records.forEach(record -> perId.merge(Records.payload(record).path("id").asLong(), 1, Integer::sum));
            int duplicates = perId.values().stream().mapToInt(count -> count - 1).sum();
            assertThat(perId.keySet()).as("only ids of the file").allMatch(id -> id >= 1 && id <= ROWS);
            return new Counts(records.size(), perId.size(), duplicates);
        }
    }
}
