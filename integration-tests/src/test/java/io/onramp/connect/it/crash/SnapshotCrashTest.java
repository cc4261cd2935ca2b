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
import java.util.Set;
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
 *
 * <p>With the default {@code transaction.boundary=poll} a dump's events commit poll by poll, each batch with its
 * offset ({@code snapshot}, {@code event=k}): a worker killed in the middle of a dump leaves its first k events
 * committed, and the next one diffs the dump again and skips them. That path is killed for real here too, on an
 * exactly-once worker (every event once) and on an at-least-once one (none lost, duplicates counted).
 */
class SnapshotCrashTest {

    private static final int ROWS = 10_000;
    // The poll-boundary runs: a first dump of POLL_ROWS rows, then a second one that updates the first half of them,
    // deletes the second half and adds POLL_INSERTS rows: 6,000 change events, about 12 s under the producer cap
    // (which is on only from the second dump to the kill: the rest goes at full speed).
    private static final int POLL_ROWS = 2_000;
    private static final int POLL_INSERTS = 4_000;
    private static final int KILL_AFTER = 1_000; // events of the second dump committed when the worker is killed
    private static final String HEADER = "id,name,email,birth_date,balance,status,signed_up\n";
    private static final String CLUSTER = "snapshot-eos";
    private static final long PRODUCER_CAP = 1_000_000; // bytes a second

    // A 10,000-event dump takes well over 10 s to go out on any machine: the kill comes in the middle.
    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.perClassThrottled(PRODUCER_CAP);

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

    @Test
    void exactlyOnceWorkerWithPollBoundariesKilledMidDumpResumesAfterItsCommittedEvents() throws Exception {
        var run = killMidSecondDumpAndResume("snapshot-poll-eos", true);

        assertThat(run.duplicates()).as("change events of the second dump delivered twice").isZero();
        assertThat(run.resumedAfter()).as("the offset the new worker resumed from covers every event committed")
                .isGreaterThanOrEqualTo(run.committedBeforeKill()).isLessThan(run.total());
    }

    @Test
    void atLeastOnceWorkerKilledMidDumpLosesNoEvent() throws Exception {
        var run = killMidSecondDumpAndResume("snapshot-poll-alo", false);

        // Without transactions the events sent after the last offset flush (every 500 ms) before the kill come
        // again: counted, and never more than what the killed worker had sent.
        assertThat(run.resumedAfter()).as("the new worker resumed from a flushed offset")
                .isPositive().isLessThanOrEqualTo(run.committedBeforeKill());
        assertThat(run.duplicates()).as("duplicates: only events sent after the last offset flush")
                .isLessThan(run.committedBeforeKill());
    }

    /**
     * Applies a first dump, then kills the worker once {@value #KILL_AFTER} events of the second dump are committed,
     * starts a new worker on the same config, and counts the second dump's events per key and op in
     * {@code read_committed}: each change present (none lost, nothing else), duplicates returned.
     */
    private Outcome killMidSecondDumpAndResume(String cluster, boolean exactlyOnce) throws Exception {
        // The new exactly-once worker reads the offsets topic read_committed before the task starts, so a transaction
        // the kill left open holds it until it times out (60 s by default); one poll's transaction takes under 1 s.
        var example = ConfigExamples.load("file-source-snapshot.json", dataRoot.resolve(cluster)).createDirectories()
                .named(cluster).with("topic", cluster + ".customers.changes").with("file.min.age.ms", "0")
                .with("batch.size", "200").with("poll.interval.ms", "200").without("transaction.boundary")
                .with("producer.override.transaction.timeout.ms", "10000");
        broker.throttleProducers(0);
        try {
            return killAndResume(cluster, exactlyOnce, example);
        } finally {
            broker.throttleProducers(PRODUCER_CAP); // the class's other test counts on it
        }
    }

    private Outcome killAndResume(String cluster, boolean exactlyOnce, ConfigExamples.Example example)
            throws Exception {
        String topic = example.config().get("topic");
        Path incoming = example.path("input.path");
        Path finished = example.path("finished.path");
        Path archive = example.path("snapshot.archive.path");
        String first = "customers-20261201.csv";
        String second = "customers-20261202.csv";
        Set<String> expected = secondDumpEvents();
        int total = expected.size();

        try (var worker = WorkerProcess.builder(cluster, broker).exactlyOnce(exactlyOnce).start()) {
            worker.createConnector(example.name(), example.config());
            worker.awaitRunning(example.name(), 1, Duration.ofSeconds(90));
            dump(incoming, first, 1, POLL_ROWS, "1.25");
            awaitFile(finished.resolve(first));
            assertThat(opsByKind(broker.readCommitted(topic))).isEqualTo(Map.of("r", POLL_ROWS));
            assertThat(appliedSnapshot(archive)).isEqualTo(first);

            // Capped, the second dump's events take about 12 s to go out; the kill comes after the first 1,000.
            broker.throttleProducers(PRODUCER_CAP);
            long progress = broker.stable(topic) + KILL_AFTER;
            dump(incoming, second, rows(1, POLL_ROWS / 2, "9.99"),
                    rows(POLL_ROWS + 1, POLL_ROWS + POLL_INSERTS, "7.00"));
            KafkaBroker.await(KILL_AFTER + " events of the second dump committed", Duration.ofSeconds(180), () -> {
                assertTaskNotFailed(worker, example.name());
                return broker.stable(topic) >= progress;
            });
            worker.kill();
        }
        broker.throttleProducers(0);
        long committedBeforeKill = broker.readCommitted(topic).size() - POLL_ROWS;
        // A kill before the dump's first commit or after its last proves nothing about resuming: fail, not pass.
        assertThat(committedBeforeKill).as("events of the second dump committed when the worker was killed")
                .isPositive().isLessThan(total);
        assertThat(finished.resolve(second)).doesNotExist();
        assertThat(appliedSnapshot(archive)).as("the archive moves on only once the whole dump is committed")
                .isEqualTo(first);

        long killedAt = System.nanoTime();
        try (var worker = WorkerProcess.builder(cluster, broker).exactlyOnce(exactlyOnce).start()) {
            worker.awaitRunning(example.name(), 1, Duration.ofSeconds(180));
            // The end marker: the dump is moved only once every event of it is committed, after the promotion.
            awaitFile(finished.resolve(second));
            double appliedAfter = (System.nanoTime() - killedAt) / 1e9;
            assertThat(incoming.resolve(second)).doesNotExist();
            assertThat(appliedSnapshot(archive)).as("the second dump promoted in the archive").isEqualTo(second);
            var resumed = java.util.regex.Pattern.compile("Publishing snapshot " + java.util.regex.Pattern.quote(second)
                    + " of table .*, resuming after event (\\d+)\\)").matcher(Files.readString(worker.log()));
            assertThat(resumed.find()).as("the new worker resumed the dump after an offset (log %s)", worker.log())
                    .isTrue();
            long resumedAfter = Long.parseLong(resumed.group(1));

            var records = broker.readCommitted(topic);
            assertThat(opsByKind(records.subList(0, POLL_ROWS))).isEqualTo(Map.of("r", POLL_ROWS));
            Map<String, Integer> perEvent = new TreeMap<>();
            records.subList(POLL_ROWS, records.size()).forEach(record -> perEvent.merge(
                    new String(record.key()) + " " + Records.payload(record).path("op").asText(), 1, Integer::sum));
            long duplicates = records.size() - POLL_ROWS - perEvent.size();
            System.out.printf("%s: killed with %,d of the second dump's %,d events committed; the new worker resumed "
                    + "after event %,d; read_committed then holds %,d of its events (%,d distinct key/op, %,d "
                    + "duplicates); the dump was applied %.1f s after the kill%n", cluster, committedBeforeKill, total,
                    resumedAfter, records.size() - POLL_ROWS, perEvent.size(), duplicates, appliedAfter);
            assertThat(perEvent.keySet()).as("every change of the second dump, and nothing else").isEqualTo(expected);
            return new Outcome(total, committedBeforeKill, resumedAfter, duplicates);
        }
    }

    /** The second dump's changes as "key op": ids of the first half updated, of the second deleted, new ones created. */
    private static Set<String> secondDumpEvents() {
        var events = new java.util.TreeSet<String>();
        for (int id = 1; id <= POLL_ROWS + POLL_INSERTS; id++) {
            String op = id <= POLL_ROWS / 2 ? "u" : id <= POLL_ROWS ? "d" : "c";
            events.add("{\"id\":" + id + "} " + op);
        }
        return events;
    }

    /** The snapshot the archive's pointer names as applied last. */
    private static String appliedSnapshot(Path archive) throws java.io.IOException {
        try (var files = Files.list(archive)) {
            var pointers = files.filter(file -> file.getFileName().toString().endsWith(".snapshot.properties")).toList();
            assertThat(pointers).as("one archive pointer in %s", archive).hasSize(1);
            var pointer = new java.util.Properties();
            try (var in = Files.newBufferedReader(pointers.get(0))) {
                pointer.load(in);
            }
            return pointer.getProperty("snapshot");
        }
    }

    private static void assertTaskNotFailed(WorkerProcess worker, String connector) {
        var status = worker.status(connector);
        var task = status == null ? null : status.path("tasks").path(0);
        if (task != null && "FAILED".equals(task.path("state").asText())) {
            throw new AssertionError("task of " + connector + " failed: " + task.path("trace").asText());
        }
    }

    /** One poll-boundary run: the second dump's event count, the kill's position in it, and what came twice. */
    private record Outcome(int total, long committedBeforeKill, long resumedAfter, long duplicates) {
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
