package io.onramp.connect.it;

import static io.onramp.connect.it.CustomerProduct.customer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.onramp.connect.it.crash.KafkaBroker;
import io.onramp.connect.it.crash.WorkerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot export sink's worker process killed with SIGKILL between two exports, while a stream of updates,
 * deletes and inserts is arriving, and a new worker JVM taking over: every snapshot written before and after the
 * kill equals the test's model of the product at the offsets its manifest claims, with no key lost or doubled.
 */
class SnapshotExportCrashTest {

    private static final String TOPIC = "export.crash.customers.v1";
    private static final String CLUSTER = "export-crash";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static KafkaBroker broker;

    @TempDir
    static Path dataRoot;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void workerKilledBetweenExportsResumesFromItsStateWithoutLosingOrDoublingAKey() throws Exception {
        broker.kafka().createTopic(TOPIC, 2);
        var example = ConfigExamples.load("snapshot-export-csv.json", dataRoot).named("export-crash")
                .with("topics", TOPIC).with("export.format", "jsonl")
                .with("export.file.name", "${topic}-${date}.${format}").with("export.file.date.format", "yyyyMMdd-HHmmss")
                .with("export.schedule", "PT3S").createDirectories();
        Path out = example.path("export.path");
        Path checkpoint = out.resolve(".onramp-state").resolve(example.name()).resolve(TOPIC).resolve("checkpoint.json");

        try (var product = new CustomerProduct(broker.bootstrapServers(), TOPIC)) {
            for (long id = 1; id <= 2_000; id++) {
                product.upsert(customer(id, "Customer " + id, id + ".00"));
            }
            Map<Integer, Long> firstEnds = product.endOffsets();
            long first = sum(firstEnds);
            long durableAtKill;
            CompletableFuture<Void> stream;
            try (var worker = WorkerProcess.builder(CLUSTER, broker).start()) {
                worker.createConnector(example.name(), example.config());
                worker.awaitRunning(example.name(), 1, TIMEOUT);
                awaitExportCovering(out, firstEnds);

                // Changes keep arriving over ~8 s; the worker dies while they do, between two exports.
                stream = CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 8_000; i++) {
                        long id = 1 + (i * 7919L) % 4_000;
                        if (i % 10 == 9) {
                            product.tombstone(id);
                        } else {
                            product.upsert(customer(id, "Changed " + i, (i % 1000) + ".25"));
                        }
                        if (i % 500 == 499) {
                            pause(500);
                        }
                    }
                });
                KafkaBroker.await("the store holds changes of the stream", TIMEOUT,
                        () -> durable(checkpoint) > first + 500);
                worker.kill();
                durableAtKill = durable(checkpoint);
            }
            stream.get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            Map<Integer, Long> secondEnds = product.endOffsets();
            assertThat(durableAtKill).as("the kill came in the middle of the stream").isLessThan(sum(secondEnds));

            try (var worker = WorkerProcess.builder(CLUSTER, broker).start()) {
                worker.awaitRunning(example.name(), 1, TIMEOUT);
                awaitExportCovering(out, secondEnds);
                assertThat(worker.log()).as("the new JVM resumes at the offsets its state holds, not at 0")
                        .content().containsPattern("resumes .* at the offsets its state holds: \\{.*=[1-9]");

                for (long id = 1; id <= 4_000; id += 12) {
                    product.tombstone(id);
                }
                product.envelopeDelete(customer(2, "any", "0.00"));
                Map<Integer, Long> thirdEnds = product.endOffsets();
                awaitExportCovering(out, thirdEnds);

                var exports = ExportedFiles.all(out, "jsonl", StandardCharsets.UTF_8, ',');
                long rowsChecked = 0;
                for (var export : exports) {
                    // state() fails on a key written twice; equality fails on a key lost or a stale row
                    assertThat(export.state()).as("%s equals the product at %s", export.file(), export.nextOffsets())
                            .isEqualTo(product.stateAt(export.nextOffsets()));
                    rowsChecked += export.rows().size();
                }
                var last = exports.get(exports.size() - 1);
                System.out.printf("export crash: %,d records produced (%,d before the stream); %,d durable in the"
                                + " store at the kill; %d exports checked, %,d rows, 0 lost, 0 doubled; last export"
                                + " %,d keys = model %,d%n", sum(thirdEnds), first, durableAtKill, exports.size(),
                        rowsChecked, last.rows().size(), product.stateAt(thirdEnds).size());
                assertThat(last.covers(thirdEnds)).isTrue();
                worker.deleteConnector(example.name());
            }
        }
    }

    /** Waits for a manifest claiming {@code ends}; the files are all checked at the end. */
    private static void awaitExportCovering(Path out, Map<Integer, Long> ends) {
        KafkaBroker.await("an export covering " + ends, TIMEOUT, () -> ExportedFiles.anyCovers(out, ends));
    }

    /** The offsets the store has made durable, summed over partitions (0 before its first checkpoint). */
    private static long durable(Path checkpoint) {
        try {
            if (!Files.exists(checkpoint)) {
                return 0;
            }
            long sum = 0;
            for (var next : JSON.readTree(checkpoint.toFile()).path("nextOffsets")) {
                sum += next.asLong();
            }
            return sum;
        } catch (java.io.IOException e) {
            return 0; // replaced while being read: the next poll sees the new one
        }
    }

    private static long sum(Map<Integer, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
