package io.onramp.connect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart (REST) while the file source sorts a large dump, on a real exactly-once worker: Connect stops a task
 * only between two polls and calls its stop() on the task thread, so the sort must run where a poll can leave it
 * and stop() can end it. The old instance's threads end at once, it promotes and moves nothing, and the new
 * instance applies the dump exactly once.
 */
class FileSnapshotStopTest {

    private static final String HEADER = "id,name,email,birth_date,balance,status,signed_up\n";
    /** Wide rows: enough bytes (about 45 MB) that the sort spills and takes seconds, few enough events to count. */
    private static final int ROWS = 150_000;
    private static final String PAD = "x".repeat(280);

    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();
    private static OnrampConnect connect;

    @TempDir
    static Path dataRoot;

    @BeforeAll
    static void startConnect() {
        // Connect's poll-time metrics keep their maximum over the sample windows: long enough for the whole test.
        connect = OnrampConnect.start("file-snapshot-stop", true, Map.of("metrics.sample.window.ms", "600000"));
    }

    @AfterAll
    static void stopConnect() {
        connect.close();
    }

    @Test
    void aRestartMidSortEndsTheOldInstancesThreadsAtOnceAndTheDumpIsAppliedOnce() throws Exception {
        String topic = "stopfix.customers.state";
        var example = running("stopfix-restart", topic);
        Path incoming = example.path("input.path");
        Path finished = example.path("finished.path");
        Path archive = example.path("snapshot.archive.path");
        Path properties = SnapshotArchiveFiles.pointer(archive, example.name(), topic);

        Files.writeString(incoming.resolve("customers-20261101.csv"), HEADER + row(1, "1.00") + row(2, "2.00") + row(3, "3.00"));
        await().atMost(Duration.ofSeconds(120)).until(() -> Files.exists(finished.resolve("customers-20261101.csv")));
        await().atMost(Duration.ofSeconds(60)).until(() -> connect.countCommitted(topic) == 3);

        // The large dump: rows 1..ROWS, row 2 changed: ROWS - 2 events (2 updated, 4..ROWS created).
        Path partial = incoming.resolve("dump.tmp");
        try (BufferedWriter out = Files.newBufferedWriter(partial)) {
            out.write(HEADER);
            for (int i = 1; i <= ROWS; i++) {
                out.write(row(i, i == 2 ? "20.00" : i + ".00"));
            }
        }
        Files.move(partial, incoming.resolve("customers-20261102.csv"));
        long dumped = System.nanoTime();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(10))
                .until(() -> spilled(archive) || Files.exists(finished.resolve("customers-20261102.csv")));
        Map<Thread, String> oldInstance = instanceThreads("stopfix-restart");
        assertThat(Files.exists(finished.resolve("customers-20261102.csv"))).as("restarted before the dump was done").isFalse();
        assertThat(oldInstance.values()).as("the sort runs on the task's own thread")
                .anyMatch(name -> name.startsWith("onramp-file-source-stopfix-restart"));
        if (Runtime.getRuntime().availableProcessors() > 1) {
            assertThat(oldInstance.values()).as("and reads the dump ahead on another").anyMatch(name -> name.startsWith("onramp-snapshot-"));
        }

        long restarted = System.nanoTime();
        connect.restartConnectorAndTasks(example.name());
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .alias("the old instance's threads end within 20 s of the restart")
                .until(() -> oldInstance.entrySet().stream().noneMatch(t -> t.getKey().isAlive()
                        && t.getKey().getName().equals(t.getValue())));
        long oldGone = System.nanoTime();
        boolean doneByNow = Files.exists(finished.resolve("customers-20261102.csv"));
        if (!doneByNow) {
            assertThat(Files.readString(properties)).as("the archive still holds the dump applied before")
                    .contains("snapshot=customers-20261101.csv");
        }
        System.out.printf("FileSnapshotStopTest: spill %d ms after the dump, old threads %s gone %d ms after the restart%n",
                (restarted - dumped) / 1_000_000, new java.util.TreeSet<>(oldInstance.values()), (oldGone - restarted) / 1_000_000);

        connect.awaitRunning(example.name(), 1);
        await().atMost(Duration.ofSeconds(240)).until(() -> Files.exists(finished.resolve("customers-20261102.csv")));
        var records = connect.readToEnd(topic, Duration.ofSeconds(120), true);
        assertThat(records).as("3 of the first dump, then each of the large dump's events once").hasSize(3 + ROWS - 2);
        Map<String, Integer> keys = new HashMap<>();
        records.subList(3, records.size()).forEach(record -> keys.merge(new String(record.key()), 1, Integer::sum));
        assertThat(keys).hasSize(ROWS - 2).doesNotContainKeys("{\"id\":1}", "{\"id\":3}");
        var update = records.stream().filter(record -> new String(record.key()).equals("{\"id\":2}")).toList();
        assertThat(update).hasSize(2); // the first dump's and the update
        assertThat(Records.payload(update.get(1)).path("balance").decimalValue()).isEqualByComparingTo("20.00");
        assertThat(connect.countCommitted(topic)).isEqualTo(3 + ROWS - 2);
        try (var files = Files.list(finished)) {
            assertThat(files.map(file -> file.getFileName().toString()).sorted().toList()).as("each dump moved once")
                    .containsExactly("customers-20261101.csv", "customers-20261102.csv");
        }
        try (var files = Files.list(example.path("error.path"))) {
            assertThat(files.toList()).isEmpty();
        }
        assertThat(Files.readString(properties)).contains("snapshot=customers-20261102.csv");
        // The finished diff's spill runs are deleted in the background: given a deadline.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            try (var files = Files.list(archive)) {
                assertThat(files.map(file -> file.getFileName().toString()).filter(name -> name.contains(".spill-")
                        || name.endsWith(".partial")).toList()).as("nothing left of the cancelled sort").isEmpty();
            }
        });

        // The new instance's sort did not run inside a poll either: Connect timed each poll that gave records.
        long sortMillis = ((Number) JMX.getAttribute(new ObjectName(
                "io.onramp.connect:type=file-source-task-metrics,connector=stopfix-restart,task=0"), "LastSnapshotSortMillis")).longValue();
        double pollMaxMillis = ((Number) JMX.getAttribute(new ObjectName(
                "kafka.connect:type=source-task-metrics,connector=stopfix-restart,task=0"), "poll-batch-max-time-ms")).doubleValue();
        System.out.printf("FileSnapshotStopTest: new instance sorted in %d ms, longest poll %.0f ms%n", sortMillis, pollMaxMillis);
        assertThat(pollMaxMillis).as("the longest poll, beside a sort of %d ms", sortMillis).isLessThan(Math.max(sortMillis, 2_500));
        connect.delete(example.name());
    }

    @Test
    void aRestartWhileTheDiffRunsInTwoKeyRangesEndsBothThreadsAndTheDumpIsAppliedOnce() throws Exception {
        Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "key ranges need a second core");
        String topic = "stopfix.ranges.state";
        var example = running("stopfix-ranges", topic);
        Path incoming = example.path("input.path");
        Path finished = example.path("finished.path");
        Path archive = example.path("snapshot.archive.path");
        Path properties = SnapshotArchiveFiles.pointer(archive, example.name(), topic);

        // A large first dump: its run (some 45 MB) is indexed, so the next diff is cut in two key ranges.
        writeDump(incoming, "customers-20261101.csv", i -> row(i, i + ".00"));
        await().atMost(Duration.ofSeconds(240)).until(() -> Files.exists(finished.resolve("customers-20261101.csv")));
        await().atMost(Duration.ofSeconds(120)).until(() -> connect.countCommitted(topic) == ROWS);

        // The next: every 1,000th row updated, every 1,000th + 1 deleted (150 + 150 events).
        writeDump(incoming, "customers-20261102.csv",
                i -> i % 1000 == 0 ? row(i, "0.50") : i % 1000 == 1 ? "" : row(i, i + ".00"));
        // The threads are taken in the same look that sees the diff thread, which may end right after.
        var caught = new java.util.concurrent.atomic.AtomicReference<Map<Thread, String>>(Map.of());
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(5)).until(() -> {
            Map<Thread, String> now = instanceThreads("stopfix-ranges");
            if (now.values().stream().anyMatch(name -> name.startsWith("onramp-snapshot-diff-"))) {
                caught.set(now);
                return true;
            }
            return Files.exists(finished.resolve("customers-20261102.csv"));
        });
        Map<Thread, String> oldInstance = caught.get();
        assertThat(oldInstance.values()).as("the upper key range's thread, caught while it diffed")
                .anyMatch(name -> name.startsWith("onramp-snapshot-diff-"));

        connect.restartConnectorAndTasks(example.name());
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .alias("the old instance's threads, both key ranges', end within 20 s of the restart")
                .until(() -> oldInstance.entrySet().stream().noneMatch(t -> t.getKey().isAlive()
                        && t.getKey().getName().equals(t.getValue())));
        if (!Files.exists(finished.resolve("customers-20261102.csv"))) {
            assertThat(Files.readString(properties)).as("the archive still holds the dump applied before")
                    .contains("snapshot=customers-20261101.csv");
        }

        connect.awaitRunning(example.name(), 1);
        await().atMost(Duration.ofSeconds(240)).until(() -> Files.exists(finished.resolve("customers-20261102.csv")));
        await().atMost(Duration.ofSeconds(120)).until(() -> connect.countCommitted(topic) == ROWS + 300);
        var records = connect.readToEnd(topic, Duration.ofSeconds(120), true);
        var changes = records.subList(ROWS, records.size());
        assertThat(changes).as("each change of the second dump once").hasSize(300);
        assertThat(changes.stream().filter(record -> record.value() == null)).as("tombstones").hasSize(150);
        assertThat(changes.stream().map(record -> new String(record.key())).distinct()).hasSize(300);
        assertThat(Files.readString(properties)).contains("snapshot=customers-20261102.csv");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            try (var files = Files.list(archive)) {
                assertThat(files.map(file -> file.getFileName().toString()).filter(name -> name.contains(".spill-")
                        || name.endsWith(".partial")).toList()).as("nothing left of the cancelled diff").isEmpty();
            }
        });
        connect.delete(example.name());
    }

    /** The snapshot example as {@code name}, state output to {@code topic}, created and running. */
    private static ConfigExamples.Example running(String name, String topic) throws Exception {
        var example = ConfigExamples.load("file-source-snapshot.json", dataRoot.resolve(name)).createDirectories()
                .named(name).with("topic", topic).with("file.min.age.ms", "0")
                .with("output.format", "state").with("batch.size", "2000")
                .with("snapshot.sort.memory.bytes", Integer.toString(1 << 20)); // the smallest budget: it spills
        connect.create(example.name(), example.config());
        connect.awaitRunning(example.name(), 1);
        return example;
    }

    /** Writes a dump of rows 1..ROWS (an empty text leaves the row out) beside the input, then moves it in. */
    private static void writeDump(Path incoming, String name, java.util.function.IntFunction<String> row)
            throws Exception {
        Path partial = incoming.resolve(name + ".tmp");
        try (BufferedWriter out = Files.newBufferedWriter(partial)) {
            out.write(HEADER);
            for (int i = 1; i <= ROWS; i++) {
                out.write(row.apply(i));
            }
        }
        Files.move(partial, incoming.resolve(name));
    }

    private static boolean spilled(Path archive) throws Exception {
        try (var files = Files.list(archive)) {
            return files.anyMatch(file -> file.getFileName().toString().contains(".spill-"));
        }
    }

    /**
     * The threads working for the connector's task now, with their names: its own (sort, read-ahead) and Connect's
     * task thread, a pool thread that carries the task's name only while the task runs on it.
     */
    /**
     * The threads Onramp started for the task instance now (new Thread objects per instance). Connect's own task thread
     * is left out: it comes from a pool, and the next instance may run on the same one under the same name.
     */
    private static Map<Thread, String> instanceThreads(String connector) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && (t.getName().startsWith("onramp-snapshot-")
                        || t.getName().startsWith("onramp-file-source-" + connector)))
                .collect(Collectors.toMap(t -> t, Thread::getName));
    }

    private static String row(int id, String balance) {
        return id + ",Customer " + id + " " + PAD + ",,," + balance + ",ACTIVE,2024-01-01T00:00:00Z\n";
    }
}
