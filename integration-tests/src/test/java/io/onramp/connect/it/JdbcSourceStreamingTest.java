package io.onramp.connect.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.it.crash.KafkaBroker;
import io.onramp.connect.it.crash.WorkerProcess;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Guards the streaming reads (README: "a large table never sits in the heap"): a worker process with a 128 MB heap
 * copies in mode bulk a table whose rows take about 160 MB as text, more than that whole heap, from PostgreSQL (a
 * cursor: autocommit off and a fetch size) and MariaDB (a streaming result set). If either driver buffered the whole
 * result, the task would die of OutOfMemoryError and the count would never be reached (checked by hand once: with
 * PostgresDialect's autocommit-off line removed, the task FAILED with OutOfMemoryError after 47 s).
 */
class JdbcSourceStreamingTest {

    private static final int ROWS = 160_000;
    /** 32 hex digits 32 times: 1 KB of text per row, 160 MB for the table. */
    private static final int REPEAT = 32;
    private static final String HEAP = "128m";

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.perClass();

    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void aTableLargerThanTheWorkersHeapIsCopiedInBulkWithEveryRowOnce(TestDatabases db) throws Exception {
        boolean pg = db == TestDatabases.POSTGRES;
        try (var table = db.createTable("jt_stream", "id BIGINT PRIMARY KEY, payload TEXT NOT NULL")) {
            long generating = System.nanoTime();
            db.execute(pg
                    ? "INSERT INTO " + table.quoted() + " SELECT g, repeat(md5(g::text), " + REPEAT + ") FROM generate_series(1, " + ROWS + ") g"
                    : "INSERT INTO " + table.quoted() + " SELECT seq, REPEAT(MD5(seq), " + REPEAT + ") FROM seq_1_to_" + ROWS);
            long generatedMs = (System.nanoTime() - generating) / 1_000_000;
            String topic = "jt_stream." + table.name();
            Map<String, String> config = new HashMap<>(db.connectionProps());
            config.put("connector.class", "io.onramp.connect.source.jdbc.JdbcSourceConnector");
            config.put("tasks.max", "1");
            config.put("mode", "bulk");
            config.put("table.include.list", table.name());
            config.put("topic.prefix", "jt_stream.");
            config.put("poll.interval.ms", "3600000"); // one run: the count is exact
            config.put("batch.max.rows", "500");
            // The worker's own buffers stay small, so that the heap left is what the reader may use
            config.put("producer.override.buffer.memory", Integer.toString(4 << 20));
            config.put("topic.creation.default.replication.factor", "1");
            config.put("topic.creation.default.partitions", "1");
            try (var worker = WorkerProcess.builder("jt-stream-" + db.name().toLowerCase(), broker).maxHeap(HEAP)
                    .property("connector.client.config.override.policy", "All").start()) {
                long copying = System.nanoTime();
                worker.createConnector("jt-stream", config);
                worker.awaitRunning("jt-stream", 1, Duration.ofSeconds(120));
                KafkaBroker.await(ROWS + " records written", Duration.ofSeconds(180), () -> {
                    String state = worker.status("jt-stream").path("tasks").path(0).path("state").asText();
                    assertThat(state).as("the task's state; a driver that buffers the whole result fails it with "
                            + "OutOfMemoryError (worker log: %s)", worker.log()).isNotEqualTo("FAILED");
                    return broker.written(topic) >= ROWS;
                });
                long copiedMs = (System.nanoTime() - copying) / 1_000_000;
                assertThat(worker.isAlive()).isTrue();
                assertThat(worker.status("jt-stream").path("tasks").path(0).path("state").asText()).isEqualTo("RUNNING");
                // Nothing more can arrive once the connector is STOPPED (its task gone, its producer closed): only then
                // is the count final.
                worker.stopConnector("jt-stream", Duration.ofSeconds(60));
                System.out.printf("STREAMING %s bulk: %d rows of 1 KB (table generated in %d ms) copied by a worker with "
                        + "-Xmx%s in %d ms: %d records%n", db, ROWS, generatedMs, HEAP, copiedMs, broker.written(topic));
                assertThat(broker.written(topic)).as("records, each row once").isEqualTo(ROWS);
                worker.deleteConnector("jt-stream");
            }
        }
    }
}
