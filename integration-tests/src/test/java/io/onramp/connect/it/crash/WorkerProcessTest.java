package io.onramp.connect.it.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.it.ConfigExamples;
import io.onramp.connect.it.LargeCsv;
import io.onramp.connect.it.Records;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash harness itself: a worker process runs Onramp from plugin.path, and a kill is a real SIGKILL. (A Connect
 * 3.9.1 worker process is proven by {@link ConnectVersionsTest}.)
 */
class WorkerProcessTest {

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.perClass();

    @TempDir
    static Path dataRoot;

    @Test
    void workerProcessRunsThePackagedFileSourceAndDiesOfSigkill() throws Exception {
        String topic = "harness.customers";
        var example = ConfigExamples.load("file-source-csv.json", dataRoot.resolve("harness")).createDirectories()
                .named("harness-files").with("topic", topic).with("file.min.age.ms", "0");
        LargeCsv.write(example.path("input.path").resolve("customers-1.csv"), 500);

        try (var worker = WorkerProcess.builder("harness", broker).start()) {
            assertThat(plugins(worker)).contains("io.onramp.connect.source.file.FileSourceConnector");
            worker.createConnector(example.name(), example.config());
            worker.awaitRunning(example.name(), 1, Duration.ofSeconds(60));
            KafkaBroker.await("500 records committed", Duration.ofSeconds(60),
                    () -> broker.readCommitted(topic).size() >= 500);
            var records = broker.readCommitted(topic);
            assertThat(records).hasSize(500);
            assertThat(records.stream().map(record -> Records.payload(record).path("id").asLong()).distinct().count())
                    .isEqualTo(500);

            long pid = worker.pid();
            worker.kill();

            assertThat(worker.isAlive()).isFalse();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %s", pid).isFalse();
            assertThat(worker.log()).content().contains("Finished customers-1.csv");
        }
    }

    private static java.util.List<String> plugins(WorkerProcess worker) {
        return StreamSupport.stream(worker.get("connector-plugins").spliterator(), false)
                .map(plugin -> plugin.path("class").asText()).toList();
    }
}
