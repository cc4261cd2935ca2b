package io.onramp.connect.it.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.onramp.connect.it.ConfigExamples;
import io.onramp.connect.it.Records;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connect's own distributed mode: three worker processes share {@code tasks.max=3} over many files; one worker
 * is killed with SIGKILL, its task moves to the others, and no line is lost.
 */
class ScaleOutCrashTest {

    private static final int FILES = 30;
    private static final int ROWS_PER_FILE = 500;
    private static final String HEADER = "id,name,email,birth_date,balance,status,signed_up\n";

    // Each task's producer writes at most ~400 records a second: its 5,000 take over 10 s on any machine.
    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.perClassThrottled(300_000);

    @TempDir
    static Path dataRoot;

    @Test
    void aKilledWorkersTaskMovesToTheOthersAndNoLineIsLost() throws Exception {
        String topic = "scale-out.customers";
        var example = ConfigExamples.load("file-source-csv.json", dataRoot.resolve("scale-out")).createDirectories()
                .named("scale-out").with("topic", topic).with("file.min.age.ms", "0").with("batch.size", "100")
                .with("tasks.max", "3");
        Path incoming = example.path("input.path");
        Path finished = example.path("finished.path");
        for (int file = 0; file < FILES; file++) {
            write(incoming.resolve(String.format("customers-%02d.csv", file)), file * ROWS_PER_FILE + 1, ROWS_PER_FILE);
        }

        List<WorkerProcess> workers = startWorkers(3);
        try {
            workers.get(0).createConnector(example.name(), example.config());
            workers.get(0).awaitRunning(example.name(), 3, Duration.ofSeconds(180));
            KafkaBroker.await("1,500 records written", Duration.ofSeconds(180), () -> broker.written(topic) >= 1_500);

            JsonNode status = workers.get(0).status(example.name());
            String victimId = status.path("tasks").get(1).path("worker_id").asText();
            WorkerProcess victim = workers.stream().filter(worker -> worker.url().contains("//" + victimId + "/"))
                    .findFirst().orElseThrow(() -> new AssertionError("no worker " + victimId + " in " + status));
            victim.kill();
            long writtenAtKill = broker.written(topic);
            var survivors = workers.stream().filter(worker -> worker != victim).toList();

            KafkaBroker.await("all " + FILES + " files in finished.path", Duration.ofSeconds(300), () -> {
                try (var done = Files.list(finished)) {
                    return done.count() == FILES;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            survivors.get(0).awaitRunning(example.name(), 3, Duration.ofSeconds(60));
            JsonNode after = survivors.get(0).status(example.name());
            for (JsonNode task : after.path("tasks")) {
                assertThat(task.path("worker_id").asText()).as("task %s", task.path("id")).isNotEqualTo(victimId);
            }

            Map<Long, Integer> perId = new TreeMap<>();
            var records = broker.readCommitted(topic);
            records.forEach(record -> perId.merge(Records.payload(record).path("id").asLong(), 1, Integer::sum));
            int duplicates = records.size() - perId.size();
            System.out.printf("scale-out: worker %s killed with %,d records written; %,d records in the topic, "
                    + "%,d distinct lines of %,d, %,d duplicates%n", victimId, writtenAtKill, records.size(),
                    perId.size(), FILES * ROWS_PER_FILE, duplicates);
            assertThat(perId).as("every line of every file").hasSize(FILES * ROWS_PER_FILE);
            assertThat(perId.keySet()).allMatch(id -> id >= 1 && id <= FILES * ROWS_PER_FILE);
            assertThat(duplicates).as("only what was sent after the killed task's last offset flush")
                    .isLessThan(FILES * ROWS_PER_FILE / 3);
        } finally {
            workers.forEach(WorkerProcess::close);
        }
    }

    private static List<WorkerProcess> startWorkers(int count) {
        var starting = new ArrayList<CompletableFuture<WorkerProcess>>();
        for (int i = 0; i < count; i++) {
            starting.add(CompletableFuture.supplyAsync(() -> WorkerProcess.builder("scale-out", broker).start()));
        }
        return starting.stream().map(CompletableFuture::join).toList();
    }

    private static void write(Path file, int firstId, int rows) throws Exception {
        Path partial = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedWriter out = Files.newBufferedWriter(partial)) {
            out.write(HEADER);
            for (int id = firstId; id < firstId + rows; id++) {
                out.write(id + ",Customer " + id + ",c" + id + "@example.com,1980-01-01,1.25,ACTIVE,2024-01-01T00:00:00Z\n");
            }
        }
        Files.move(partial, file);
    }
}
