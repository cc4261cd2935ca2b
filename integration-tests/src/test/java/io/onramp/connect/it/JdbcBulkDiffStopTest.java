package io.onramp.connect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart (REST) in the middle of a JDBC bulk-diff run, on a real exactly-once worker against PostgreSQL: the
 * old task instance's threads end at once, and the new instance's run delivers every row exactly once.
 */
class JdbcBulkDiffStopTest {

    /** Wide rows: enough bytes that reading and sorting them takes seconds, few enough records to count. */
    private static final int ROWS = 150_000;
    private static final String CONNECTOR = "stopfix-bulkdiff";

    private static OnrampConnect connect;

    @TempDir
    static Path archive;

    @BeforeAll
    static void startConnect() {
        connect = OnrampConnect.start("jdbc-bulkdiff-stop", true, Map.of("metrics.sample.window.ms", "600000"));
    }

    @AfterAll
    static void stopConnect() {
        connect.close();
    }

    @Test
    void aRestartMidRunEndsTheOldInstancesThreadsAtOnceAndTheRunIsDeliveredOnce() throws Exception {
        var db = TestDatabases.POSTGRES;
        try (var table = db.createTable("stopfix_bd", "id INT PRIMARY KEY, name TEXT")) {
            db.execute("INSERT INTO " + table.quoted() + " SELECT i, 'name of row ' || i || ' ' || repeat('x', 280) "
                    + "FROM generate_series(1, " + ROWS + ") i");
            String topic = "stopfix." + table.name();
            Map<String, String> config = new HashMap<>(db.connectionProps());
            config.put("connector.class", "io.onramp.connect.source.jdbc.JdbcSourceConnector");
            config.put("tasks.max", "1");
            config.put("mode", "bulk-diff");
            config.put("topic.prefix", "stopfix.");
            config.put("table.include.list", table.name());
            config.put("snapshot.archive.path", archive.toString());
            config.put("snapshot.sort.memory.bytes", Integer.toString(1 << 20)); // the smallest budget: it spills
            config.put("transaction.boundary", "connector");
            config.put("poll.interval.ms", "3600000"); // one run per task instance
            config.put("batch.max.rows", "2000");
            config.put("topic.creation.default.replication.factor", "1");
            config.put("topic.creation.default.partitions", "1");
            connect.create(CONNECTOR, config);

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(10)).until(JdbcBulkDiffStopTest::spilled);
            Map<Thread, String> oldInstance = instanceThreads();
            assertThat(oldInstance.values()).as("the run is read on the task's own thread")
                    .anyMatch(name -> name.startsWith("onramp-jdbc-source-" + CONNECTOR));

            long restarted = System.nanoTime();
            connect.restartConnectorAndTasks(CONNECTOR);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .alias("the old instance's threads end within 20 s of the restart")
                    .until(() -> oldInstance.entrySet().stream().noneMatch(t -> t.getKey().isAlive()
                            && t.getKey().getName().equals(t.getValue())));
            long oldGone = System.nanoTime();
            System.out.printf("JdbcBulkDiffStopTest: old threads %s gone %d ms after the restart%n",
                    new java.util.TreeSet<>(oldInstance.values()), (oldGone - restarted) / 1_000_000);

            connect.awaitRunning(CONNECTOR, 1);
            await().atMost(Duration.ofSeconds(240)).until(() -> connect.countCommitted(topic) >= ROWS);
            var records = connect.readToEnd(topic, Duration.ofSeconds(120), true);
            Map<String, Integer> keys = new HashMap<>();
            records.forEach(record -> keys.merge(new String(record.key()), 1, Integer::sum));
            assertThat(records).as("every row once, in the new instance's run").hasSize(ROWS);
            assertThat(keys).hasSize(ROWS);
            assertThat(connect.countCommitted(topic)).isEqualTo(ROWS);
            // The finished diff's spill runs are deleted in the background: given a deadline.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                try (var files = Files.list(archive)) {
                    assertThat(files.map(file -> file.getFileName().toString()).filter(name -> name.contains(".spill-")
                            || name.endsWith(".partial")).toList()).as("nothing left of the cancelled run").isEmpty();
                }
            });
            double pollMaxMillis = ((Number) ManagementFactory.getPlatformMBeanServer().getAttribute(new ObjectName(
                    "kafka.connect:type=source-task-metrics,connector=" + CONNECTOR + ",task=0"), "poll-batch-max-time-ms"))
                    .doubleValue();
            System.out.printf("JdbcBulkDiffStopTest: the new instance's longest poll %.0f ms%n", pollMaxMillis);
            assertThat(pollMaxMillis).as("no poll held the whole run").isLessThan(3_000);
            connect.delete(CONNECTOR);
        }
    }

    private static boolean spilled() throws Exception {
        try (var files = Files.list(archive)) {
            return files.anyMatch(file -> file.getFileName().toString().contains(".spill-"));
        }
    }

    /**
     * The threads Onramp started for the task instance now, with their names: a new Thread object per instance.
     * Connect's own task thread is left out: it comes from a pool and the next instance may run on the same one.
     */
    private static Map<Thread, String> instanceThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("onramp-jdbc-source-" + CONNECTOR))
                .collect(Collectors.toMap(t -> t, Thread::getName));
    }
}
