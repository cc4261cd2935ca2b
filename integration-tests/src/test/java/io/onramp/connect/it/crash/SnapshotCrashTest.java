package io.onramp.connect.it.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.it.ConfigExamples;
import io.onramp.connect.it.Records;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshot mode on an exactly-once worker process killed with SIGKILL: in the middle of a dump (its events
 * partly written in the dump's one open transaction), and after a dump was applied and promoted in the archive but
 * before it was moved to finished.path (the move made to fail, so the task waits in that window for the kill).
 */
class SnapshotCrashTest {

    private static final int ROWS = 10_000;
    private static final String HEADER = "id,name,email,birth_date,balance,status,signed_up\n";
    private static final String CLUSTER = "snapshot-eos";

    // A 10,000-event dump takes well over 10 s to go out on any machine: the kill comes in the middle.
    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.perClassThrottled(1_000_000);

    @TempDir
    static Path dataRoot;

    @Test
    void killsMidDumpAndBetweenPromotionAndMoveApplyEachDumpOnce() throws Exception {
        String topic = "snapshot-eos.customers.changes";
        var example = ConfigExamples.load("file-source-snapshot.json", dataRoot.resolve("snapshot-eos")).createDirectories()
                .named("snapshot-eos").with("topic", topic).with("file.min.age.ms", "0").with("batch.size", "200");
        assertThat(example.config()).containsEntry("transaction.boundary", "connector");
        Path incoming = example.path("input.path");
        Path finished = example.path("finished.path");
        Path error = example.path("error.path");
        Path finishedAside = finished.resolveSibling(finished.getFileName() + "-aside");

        // 1. Killed in the middle of the first dump: events written, none committed.
        try (var first = WorkerProcess.builder(CLUSTER, broker).exactlyOnce(true).start()) {
            first.createConnector(example.name(), example.config());
            first.awaitRunning(example.name(), 1, Duration.ofSeconds(90));
            dump(incoming, "customers-20261101.csv", 1, ROWS, "1.25");
            KafkaBroker.await("2,000 events written", Duration.ofSeconds(180), () -> broker.written(topic) >= 2_000);
            assertThat(broker.readCommitted(topic)).as("the dump is one transaction: nothing committed yet").isEmpty();
            first.kill();
        }
        long writtenAtKill = broker.written(topic);
        assertThat(finished.resolve("customers-20261101.csv")).doesNotExist();

        long killedAt = System.nanoTime();
        WorkerProcess second = WorkerProcess.builder(CLUSTER, broker).exactlyOnce(true).start();
        try {
            second.awaitRunning(example.name(), 1, Duration.ofSeconds(180));
            long runningAfter = System.nanoTime() - killedAt;
            awaitFile(finished.resolve("customers-20261101.csv"));
            // How long the restart waited: README says what a kill mid-transaction costs; this is the figure.
            System.out.printf("snapshot-eos: after the kill the new worker's task ran in %.1f s and the dump was applied"
                    + " in %.1f s%n", runningAfter / 1e9, (System.nanoTime() - killedAt) / 1e9);
            var afterFirst = broker.readCommitted(topic);
            System.out.printf("snapshot-eos: killed with %,d records written (none committed); after the restart "
                    + "read_committed holds %,d events for %,d rows%n", writtenAtKill, afterFirst.size(), ROWS);
            assertThat(opsByKind(afterFirst)).isEqualTo(Map.of("r", ROWS));
            assertThat(keys(afterFirst)).hasSize(ROWS);

            // 2. Killed after the second dump was applied and promoted in the archive, before it was moved to
            // finished.path. finished.path is made a plain file, so the move fails right after the promotion and the
            // task stops in that window (FAILED, "cannot move"); the worker is SIGKILLed in that state.
            Files.move(finished, finishedAside);
            Files.writeString(finished, "not a directory: the move after the promotion fails");
            dump(incoming, "customers-20261102.csv", changes());
            String trace = awaitTaskFailed(second, example.name());
            assertThat(trace).as("the task stopped at the move to finished.path").contains("cannot move");
            second.kill();
        } finally {
            second.close();
        }
        // The archive holds the first dump exactly: the second one yielded exactly its 300 changes, committed.
        var afterSecond = broker.readCommitted(topic);
        assertThat(afterSecond).hasSize(ROWS + 300);
        assertThat(opsByKind(afterSecond.subList(ROWS, ROWS + 300))).isEqualTo(Map.of("u", 100, "d", 100, "c", 100));
        assertThat(incoming.resolve("customers-20261102.csv")).as("applied, not moved").exists();
        Files.delete(finished);
        Files.move(finishedAside, finished);

        try (var third = WorkerProcess.builder(CLUSTER, broker).exactlyOnce(true).start()) {
            // The status topic still says FAILED (the second worker's last word) until the new worker starts the task.
            KafkaBroker.await("the task RUNNING again on the new worker", Duration.ofSeconds(180), () -> {
                var status = third.status(example.name());
                return status != null && "RUNNING".equals(status.path("tasks").path(0).path("state").asText());
            });
            third.awaitRunning(example.name(), 1, Duration.ofSeconds(180));
            dump(incoming, "customers-20261103.csv", row(1, "2.50"), rows(2, 100, "9.99"), rows(201, ROWS, "1.25"),
                    rows(ROWS + 1, ROWS + 100, "7.00")); // the second dump with id 1 changed
            awaitFile(finished.resolve("customers-20261103.csv")); // the end marker: applied after the second dump
            assertThat(finished.resolve("customers-20261102.csv")).as("recognized as applied").exists();
            assertThat(error.resolve("customers-20261102.csv")).as("not rejected as 'not newer'").doesNotExist();
            var all = broker.readCommitted(topic);
            assertThat(all).as("the second dump not applied again; the third one's change alone").hasSize(ROWS + 301);
            assertThat(Records.payload(all.get(ROWS + 300)).path("op").asText()).isEqualTo("u");
            assertThat(new String(all.get(ROWS + 300).key())).isEqualTo("{\"id\":1}");
        }
    }

    /** The second dump: ids 1-100 updated, 101-200 deleted, ROWS+1..ROWS+100 inserted. */
    private static String changes() {
        return rows(1, 100, "9.99") + rows(201, ROWS, "1.25") + rows(ROWS + 1, ROWS + 100, "7.00");
    }

    private static String rows(int from, int to, String balance) {
        var text = new StringBuilder();
        for (int id = from; id <= to; id++) {
            text.append(row(id, balance));
        }
        return text.toString();
    }

    private static String row(int id, String balance) {
        return id + ",Customer " + id + ",c" + id + "@example.com,1980-01-01," + balance + ",ACTIVE,2024-01-01T00:00:00Z\n";
    }

    private static void dump(Path incoming, String name, int from, int to, String balance) throws Exception {
        dump(incoming, name, rows(from, to, balance));
    }

    private static void dump(Path incoming, String name, String... rows) throws Exception {
        Path partial = incoming.resolve(name + ".tmp");
        try (BufferedWriter out = Files.newBufferedWriter(partial)) {
            out.write(HEADER);
            for (String part : rows) {
                out.write(part);
            }
        }
        Files.move(partial, incoming.resolve(name));
    }

    /** Waits for the connector's one task to be FAILED and returns its trace. */
    private static String awaitTaskFailed(WorkerProcess worker, String connector) {
        var trace = new java.util.concurrent.atomic.AtomicReference<String>();
        KafkaBroker.await("task of " + connector + " FAILED", Duration.ofSeconds(300), () -> {
            var status = worker.status(connector);
            var task = status == null ? null : status.path("tasks").path(0);
            if (task != null && "FAILED".equals(task.path("state").asText())) {
                trace.set(task.path("trace").asText());
                return true;
            }
            return false;
        });
        return trace.get();
    }

    private static void awaitFile(Path file) {
        KafkaBroker.await(file.getFileName() + " in " + file.getParent(), Duration.ofSeconds(300), () -> Files.exists(file));
    }

    private static Map<String, Integer> opsByKind(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().collect(Collectors.toMap(record -> Records.payload(record).path("op").asText(),
                record -> 1, Integer::sum, TreeMap::new));
    }

    private static java.util.Set<String> keys(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(record -> new String(record.key())).collect(Collectors.toSet());
    }
}
