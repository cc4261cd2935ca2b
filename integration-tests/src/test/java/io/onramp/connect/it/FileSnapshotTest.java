package io.onramp.connect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshot mode: nightly full dumps become change events, on an exactly-once worker. */
class FileSnapshotTest {

    private static final String HEADER = "id,name,email,birth_date,balance,status,signed_up\n";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private static OnrampConnect connect;

    @TempDir
    static Path dataRoot;

    @BeforeAll
    static void startConnect() {
        connect = OnrampConnect.start("file-snapshot", true);
    }

    @AfterAll
    static void stopConnect() {
        connect.close();
    }

    @Test
    void threeNightlyDumpsEmitExactlyTheirInsertsUpdatesAndDeletes() throws Exception {
        var example = snapshotExample("nightly", "crm.customers.changes.v1");
        Path incoming = example.path("input.path");
        connect.create(example.name(), example.config());
        connect.awaitRunning(example.name(), 1);

        dump(incoming, "customers-20261101.csv", row(1, "Ada", "1.00"), row(2, "Grace", "2.00"), row(3, "Alan", "3.00"));
        awaitFinished(example, "customers-20261101.csv");
        var first = connect.readToEnd(example.config().get("topic"), TIMEOUT, true);
        assertThat(ops(first)).containsExactly("r:1", "r:2", "r:3");
        assertThat(Records.payload(first.get(0)).path("source").path("snapshot").asText()).isEqualTo("true");

        dump(incoming, "customers-20261102.csv", row(1, "Ada", "1.00"), row(2, "Grace", "20.00"), row(4, "Edsger", "4.00"));
        awaitFinished(example, "customers-20261102.csv");
        var upToSecond = connect.readToEnd(example.config().get("topic"), TIMEOUT, true);
        assertThat(upToSecond).hasSize(6);
        var second = upToSecond.subList(3, 6);
        assertThat(ops(second)).containsExactly("u:2", "d:3", "c:4");
        JsonNode update = Records.payload(second.get(0));
        assertThat(update.path("before").path("balance").decimalValue()).isEqualByComparingTo("2.00");
        assertThat(update.path("after").path("balance").decimalValue()).isEqualByComparingTo("20.00");
        assertThat(update.path("source").path("file").asText()).isEqualTo("customers-20261102.csv");
        JsonNode delete = Records.payload(second.get(1));
        assertThat(delete.path("after").isNull()).isTrue();
        assertThat(delete.path("before").path("name").asText()).isEqualTo("Alan");
        assertThat(new String(second.get(1).key())).isEqualTo("{\"id\":3}");

        dump(incoming, "customers-20261103.csv", row(2, "Grace", "20.00"), row(4, "Edsger W.", "4.00"), row(5, "Barbara", "5.00"));
        await().atMost(TIMEOUT).until(() -> Files.exists(example.path("finished.path").resolve("customers-20261103.csv")));
        var all = connect.readToEnd(example.config().get("topic"), TIMEOUT, true);
        assertThat(all).hasSize(9);
        assertThat(ops(all.subList(6, all.size()))).containsExactly("d:1", "u:4", "c:5");
        assertThat(Files.readString(SnapshotArchiveFiles.pointer(example.path("snapshot.archive.path"), example.name(),
                example.config().get("topic"))))
                .contains("snapshot=customers-20261103.csv");
        connect.delete(example.name());
    }

    @Test
    void stateOutputEmitsTheRowsAndATombstoneForADelete() throws Exception {
        var example = snapshotExample("state", "crm.customers.state").with("output.format", "state");
        Path incoming = example.path("input.path");
        connect.create(example.name(), example.config());
        connect.awaitRunning(example.name(), 1);

        dump(incoming, "customers-20261101.csv", row(1, "Ada", "1.00"), row(2, "Grace", "2.00"));
        awaitFinished(example, "customers-20261101.csv");
        dump(incoming, "customers-20261102.csv", row(2, "Grace", "3.00"));
        await().atMost(TIMEOUT).until(() -> Files.exists(example.path("finished.path").resolve("customers-20261102.csv")));
        var records = connect.readToEnd("crm.customers.state", TIMEOUT, true);

        assertThat(records).hasSize(4);
        assertThat(new String(records.get(2).key())).isEqualTo("{\"id\":1}");
        assertThat(records.get(2).value()).as("tombstone").isNull();
        assertThat(Records.header(records.get(2), "onramp.op")).isEqualTo("d");
        assertThat(Records.payload(records.get(3)).path("balance").decimalValue()).isEqualByComparingTo("3.00");
        connect.delete(example.name());
    }

    @Test
    void aSnapshotOlderThanTheLastAppliedGoesToTheErrorPath() throws Exception {
        var example = snapshotExample("order", "crm.customers.order");
        Path incoming = example.path("input.path");
        connect.create(example.name(), example.config());
        connect.awaitRunning(example.name(), 1);
        dump(incoming, "customers-20261105.csv", row(1, "Ada", "1.00"));
        awaitFinished(example, "customers-20261105.csv");

        dump(incoming, "customers-20261104.csv", row(1, "Ada", "9.00"));

        Path error = example.path("error.path");
        await().atMost(TIMEOUT).until(() -> Files.exists(error.resolve("customers-20261104.csv.error.txt")));
        assertThat(Files.readString(error.resolve("customers-20261104.csv.error.txt")))
                .contains("not newer than customers-20261105.csv");
        assertThat(connect.readToEnd("crm.customers.order", TIMEOUT, true)).as("the older dump is rejected before any event")
                .hasSize(1);
        connect.delete(example.name());
    }

    @Test
    void aDumpWithABadRowIsRejectedWholeInsteadOfLookingLikeDeletes() throws Exception {
        var example = snapshotExample("bad-row", "crm.customers.badrow").with("on.bad.record", "skip");
        Path incoming = example.path("input.path");
        connect.create(example.name(), example.config());
        connect.awaitRunning(example.name(), 1);
        dump(incoming, "customers-20261101.csv", row(1, "Ada", "1.00"), row(2, "Grace", "2.00"));
        awaitFinished(example, "customers-20261101.csv");

        dump(incoming, "customers-20261102.csv", row(1, "Ada", "1.00"), "2,Grace,,,not-a-number,ACTIVE,2024-01-01T00:00:00Z\n");

        Path error = example.path("error.path");
        await().atMost(TIMEOUT).until(() -> Files.exists(error.resolve("customers-20261102.csv.error.txt")));
        assertThat(Files.readString(error.resolve("customers-20261102.csv.error.txt"))).contains("line 3").contains("balance");
        assertThat(connect.readToEnd("crm.customers.badrow", TIMEOUT, true))
                .as("no delete for the rejected row").hasSize(2);
        connect.delete(example.name());
    }

    @Test
    void workerLostMidSnapshotPublishesEachEventOnceAndNeverHalfASnapshot() throws Exception {
        int rows = 30_000;
        String topic = "crm.customers.atomic";
        var example = snapshotExample("atomic", topic).with("batch.size", "200");
        Path incoming = example.path("input.path");
        connect.create(example.name(), example.config());
        connect.awaitRunning(example.name(), 1);
        var watcher = ReadCommittedWatcher.start(() -> connect.countCommitted(topic));

        Path partial = incoming.resolve("dump.tmp");
        try (BufferedWriter out = Files.newBufferedWriter(partial)) {
            out.write(HEADER);
            for (int i = 1; i <= rows; i++) {
                out.write(row(i, "Customer " + i, i + ".00"));
            }
        }
        Files.move(partial, incoming.resolve("customers-20261101.csv"));
        await().atMost(Duration.ofSeconds(240)).until(() -> connect.endOffset(topic) > 3_000); // sorts 30,000 rows first
        long uncommittedBeforeCrash = connect.endOffset(topic);
        connect.replaceWorker();
        connect.awaitRunning(example.name(), 1);

        await().atMost(Duration.ofSeconds(240)).until(() -> Files.exists(example.path("finished.path").resolve("customers-20261101.csv")));
        var records = connect.readToEnd(topic, TIMEOUT, true);
        Set<Integer> observed = watcher.stop();
        assertThat(uncommittedBeforeCrash).as("the worker must go in the middle of the snapshot").isLessThan(rows);
        Map<String, Integer> seen = new HashMap<>();
        records.forEach(record -> seen.merge(new String(record.key()), 1, Integer::sum));
        assertThat(seen).hasSize(rows);
        assertThat(seen.values()).allMatch(count -> count == 1);
        assertThat(observed).as("a read_committed consumer sees no snapshot or the whole snapshot").isSubsetOf(Set.of(0, rows))
                .as("and it did see the whole snapshot").contains(rows);
        connect.delete(example.name());
    }

    @Test
    void ebcdicFixedWidthDumpsAreCheckedAgainstTheirTrailerAndApplied() throws Exception {
        var example = ConfigExamples.load("file-source-fixed-width.json", dataRoot.resolve("fixed")).createDirectories()
                .named("fixed-width").with("topic", "banking.accounts.state");
        Path incoming = example.path("input.path");
        connect.create(example.name(), example.config());
        connect.awaitRunning(example.name(), 1);

        ebcdicDump(incoming, "ACCTS.D20261101.DAT", 2,
                account(1, "MUELLER HANS", "00000012345", "20010315", "0042"),
                account(2, "DUBOIS CL\u00c9MENCE", "00000000099", "19991231", "    "));
        awaitFinished(example, "ACCTS.D20261101.DAT");
        var records = connect.readToEnd("banking.accounts.state", TIMEOUT, true);
        assertThat(records).hasSize(2);
        JsonNode first = Records.payload(records.get(0));
        assertThat(first.path("account").asLong()).isEqualTo(1);
        assertThat(first.path("holder").asText()).isEqualTo("MUELLER HANS");
        assertThat(first.path("balance").decimalValue()).isEqualByComparingTo("123.45");
        assertThat(first.path("opened").asInt()).isEqualTo(java.time.LocalDate.of(2001, 3, 15).toEpochDay());
        assertThat(Records.payload(records.get(1)).path("holder").asText()).isEqualTo("DUBOIS CL\u00c9MENCE");
        assertThat(Records.payload(records.get(1)).path("branch").isNull()).isTrue();

        // The trailer promises three accounts, the file holds two: truncated in transit.
        ebcdicDump(incoming, "ACCTS.D20261102.DAT", 3,
                account(1, "MUELLER HANS", "00000000000", "20010315", "0042"),
                account(2, "DUBOIS CL\u00c9MENCE", "00000000099", "19991231", "    "));
        Path error = example.path("error.path");
        await().atMost(TIMEOUT).until(() -> Files.exists(error.resolve("ACCTS.D20261102.DAT.error.txt")));
        assertThat(Files.readString(error.resolve("ACCTS.D20261102.DAT.error.txt"))).contains("the trailer on line 4 says 3 records but 2 were read");
        assertThat(error.resolve("ACCTS.D20261102.DAT.ok")).exists();
        assertThat(connect.readToEnd("banking.accounts.state", TIMEOUT, true)).as("nothing of the rejected dump").hasSize(2);
        connect.delete(example.name());
    }

    private static String account(int number, String holder, String balance, String opened, String branch) {
        return String.format("%010d%-20s%s%s%s", number, holder, balance, opened, branch);
    }

    private static void ebcdicDump(Path incoming, String fileName, int trailerCount, String... records) throws Exception {
        var lines = new StringBuilder("HDR ACCOUNTS EXTRACT\n");
        for (String record : records) {
            lines.append(record).append('\n');
        }
        lines.append(String.format("TRL%09d%n", trailerCount).trim()).append('\n');
        Files.write(incoming.resolve(fileName), lines.toString().getBytes(java.nio.charset.Charset.forName("IBM037")));
        Files.writeString(incoming.resolve(fileName + ".ok"), "");
    }

    private static ConfigExamples.Example snapshotExample(String name, String topic) {
        return ConfigExamples.load("file-source-snapshot.json", dataRoot.resolve(name)).createDirectories()
                .named(name).with("topic", topic).with("file.min.age.ms", "0");
    }

    private static void awaitFinished(ConfigExamples.Example example, String dump) {
        await().atMost(TIMEOUT).until(() -> Files.exists(example.path("finished.path").resolve(dump)));
    }

    private static String row(int id, String name, String balance) {
        return id + "," + name + ",,," + balance + ",ACTIVE,2024-01-01T00:00:00Z\n";
    }

    /** Writes a dump under a temporary name and renames it, the way exports should land. */
    private static void dump(Path incoming, String fileName, String... rows) throws Exception {
        Path partial = incoming.resolve(fileName + ".tmp");
        Files.writeString(partial, HEADER + String.join("", rows));
        Files.move(partial, incoming.resolve(fileName));
    }

    private static List<String> ops(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(record -> {
            JsonNode payload = Records.payload(record);
            JsonNode row = payload.path("after").isNull() ? payload.path("before") : payload.path("after");
            return payload.path("op").asText() + ":" + row.path("id").asLong();
        }).toList();
    }
}
