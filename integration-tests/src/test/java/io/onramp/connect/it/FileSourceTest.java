package io.onramp.connect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file source in append mode, packaged, in a real worker, configured through REST from config-examples. */
class FileSourceTest {

    private static final String HEADER = "id,name,email,birth_date,balance,status,signed_up\n";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static OnrampConnect connect;

    @TempDir
    static Path dataRoot;

    @BeforeAll
    static void startConnect() {
        connect = OnrampConnect.start("file-source", false);
    }

    @AfterAll
    static void stopConnect() {
        connect.close();
    }

    @Test
    void csvRowsLandTypedByTheContractAndTheFileIsMovedToFinished() throws Exception {
        var example = ConfigExamples.load("file-source-csv.json", dataRoot.resolve("csv")).createDirectories()
                .with("file.min.age.ms", "500");
        Path file = example.path("input.path").resolve("customers-2026-11-24.csv");
        Files.writeString(file, HEADER
                + "1,Ada Lovelace,ada@example.com,1815-12-10,1234.50,ACTIVE,2024-01-02T03:04:05Z\n"
                + "2,\"Hopper, Grace\",,,-0.01,SUSPENDED,2024-02-03T00:00:00.123Z\n"
                + "3,\"Multi\nLine\",\"x@example.com\",2000-02-29,0,CLOSED,2024-03-04T05:06:07Z\n");
        connect.create(example.name(), example.config());
        connect.awaitRunning(example.name(), 1);

        await().atMost(TIMEOUT).until(() -> Files.exists(example.path("finished.path").resolve(file.getFileName())));
        List<ConsumerRecord<byte[], byte[]>> records = connect.readToEnd("crm.customers.v1", TIMEOUT, false);

        assertThat(records).hasSize(3);
        JsonNode ada = Records.payload(records.get(0));
        assertThat(ada.path("id").isIntegralNumber()).isTrue();
        assertThat(ada.path("id").asLong()).isEqualTo(1L);
        assertThat(ada.path("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(ada.path("balance").decimalValue()).isEqualByComparingTo("1234.50");
        assertThat(ada.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(ada.path("birth_date").asInt()).isEqualTo(java.time.LocalDate.of(1815, 12, 10).toEpochDay());
        assertThat(ada.path("signed_up").asLong()).isEqualTo(java.time.Instant.parse("2024-01-02T03:04:05Z").toEpochMilli());
        assertThat(Records.fieldSchema(records.get(0), "balance").path("name").asText())
                .isEqualTo("org.apache.kafka.connect.data.Decimal");
        assertThat(Records.fieldSchema(records.get(0), "id").path("type").asText()).isEqualTo("int64");
        assertThat(Records.fieldSchema(records.get(0), "email").path("optional").asBoolean()).isTrue();

        JsonNode grace = Records.payload(records.get(1));
        assertThat(grace.path("name").asText()).isEqualTo("Hopper, Grace");
        assertThat(grace.path("email").isNull()).isTrue();
        assertThat(grace.path("balance").decimalValue()).isEqualByComparingTo("-0.01");
        assertThat(Records.payload(records.get(2)).path("name").asText()).isEqualTo("Multi\nLine");
        assertThat(Records.header(records.get(2), "onramp.file.name")).isEqualTo("customers-2026-11-24.csv");
        assertThat(Records.header(records.get(2), "onramp.file.line")).isEqualTo("4");

        assertThat(file).doesNotExist();
        connect.delete(example.name());
    }

    @Test
    void jsonLinesFileIsTakenOnceItsMarkerExists() throws Exception {
        var example = ConfigExamples.load("file-source-jsonl.json", dataRoot.resolve("jsonl")).createDirectories()
                .with("topic", "crm.customers.json").with("tasks.max", "1");
        Path incoming = example.path("input.path");
        Path finished = example.path("finished.path");
        Path file = incoming.resolve("customers.jsonl");
        Files.writeString(file, """
                {"id": 7, "name": "Ada", "email": null, "balance": "10.00", "status": "ACTIVE", "signed_up": "2024-01-02T03:04:05Z"}

                {"id": 8, "name": "Grace", "birth_date": "1906-12-09", "balance": 99.5, "status": "CLOSED", "signed_up": "2024-01-02T03:04:05Z", "extra": true}
                """);
        // A file with its marker, sorted after the one without: the scan that takes it has looked at both.
        Files.writeString(incoming.resolve("probe.jsonl"),
                "{\"id\": 6, \"name\": \"Probe\", \"balance\": \"1.00\", \"status\": \"ACTIVE\", \"signed_up\": \"2024-01-02T03:04:05Z\"}\n");
        Files.writeString(incoming.resolve("probe.jsonl.done"), "");
        connect.create(example.name(), example.config());
        connect.awaitRunning(example.name(), 1);

        await().atMost(TIMEOUT).until(() -> Files.exists(finished.resolve("probe.jsonl")));
        assertThat(connect.readToEnd("crm.customers.json", TIMEOUT, false))
                .as("the marked file is delivered, the unmarked one is not read").singleElement()
                .satisfies(record -> assertThat(Records.payload(record).path("id").asLong()).isEqualTo(6));
        assertThat(file).as("still waiting for its marker").exists();
        Files.writeString(incoming.resolve("customers.jsonl.done"), "");

        await().atMost(TIMEOUT).until(() -> Files.exists(finished.resolve("customers.jsonl"))
                && Files.exists(finished.resolve("customers.jsonl.done")));
        List<ConsumerRecord<byte[], byte[]>> records = connect.readToEnd("crm.customers.json", TIMEOUT, false);
        assertThat(records).hasSize(3);
        assertThat(Records.payload(records.get(1)).path("id").asLong()).isEqualTo(7);
        assertThat(Records.payload(records.get(2)).path("balance").decimalValue()).isEqualByComparingTo("99.50");
        assertThat(Records.payload(records.get(2)).path("birth_date").asInt())
                .isEqualTo(java.time.LocalDate.of(1906, 12, 9).toEpochDay());
        connect.delete(example.name());
    }

    @Test
    void skipModeDropsBadLinesAndDeliversTheRest() throws Exception {
        var example = badRecordExample("skip");
        connect.create(example.name(), example.config());
        connect.awaitRunning(example.name(), 1);

        await().atMost(TIMEOUT).until(() -> Files.exists(example.path("finished.path").resolve("customers-bad.csv")));
        var records = connect.readToEnd("bad.skip", TIMEOUT, false);
        assertThat(records).extracting(record -> Records.payload(record).path("id").asLong()).containsExactly(1L, 3L, 5L);
        assertThat(connect.topicExists("bad.skip.quarantine")).isFalse();
        connect.delete(example.name());
    }

    @Test
    void quarantineModeSendsTheRawLineAndTheReasonToTheQuarantineTopic() throws Exception {
        var example = badRecordExample("quarantine");
        connect.create(example.name(), example.config());
        connect.awaitRunning(example.name(), 1);

        await().atMost(TIMEOUT).until(() -> Files.exists(example.path("finished.path").resolve("customers-bad.csv")));
        var good = connect.readToEnd("bad.quarantine", TIMEOUT, false);
        assertThat(good).extracting(record -> Records.payload(record).path("id").asLong()).containsExactly(1L, 3L, 5L);
        var quarantined = connect.readToEnd("bad.quarantine.quarantine", TIMEOUT, false);
        assertThat(quarantined).hasSize(2);
        assertThat(Records.payload(quarantined.get(0)).asText()).isEqualTo("2,Short row");
        assertThat(Records.header(quarantined.get(0), "onramp.quarantine.reason")).contains("expected 7 columns but found 2");
        assertThat(Records.header(quarantined.get(0), "onramp.file.line")).isEqualTo("3");
        assertThat(Records.payload(quarantined.get(1)).asText()).startsWith("4,Not a number");
        assertThat(Records.header(quarantined.get(1), "onramp.quarantine.reason")).contains("'balance'").contains("rule type").doesNotContain("abc");
        assertThat(Records.header(quarantined.get(1), "onramp.quarantine.source.topic")).isEqualTo("bad.quarantine");
        connect.delete(example.name());
    }

    @Test
    void failModeStopsTheTaskAtTheBadLineAndMovesTheFileToErrorWithTheReason() throws Exception {
        var example = badRecordExample("fail");
        connect.create(example.name(), example.config());
        connect.awaitTaskFailed(example.name());

        assertThat(connect.taskTrace(example.name(), 0)).contains("customers-bad.csv line 3").contains("expected 7 columns");
        // FAILED is reported once the task's producer is closed: what the topic holds now is all it will hold.
        var delivered = connect.readToEnd("bad.fail", TIMEOUT, false);
        assertThat(delivered).extracting(record -> Records.payload(record).path("id").asLong()).containsExactly(1L);
        Path error = example.path("error.path");
        assertThat(error.resolve("customers-bad.csv")).exists();
        assertThat(Files.readString(error.resolve("customers-bad.csv.error.txt"))).contains("line 3");
        connect.delete(example.name());
    }

    @Test
    void aFileStillBeingWrittenIsNotReadEarly() throws Exception {
        var example = ConfigExamples.load("file-source-csv.json", dataRoot.resolve("growing")).createDirectories()
                .named("growing").with("topic", "growing").with("file.min.age.ms", "10000");
        connect.create(example.name(), example.config());
        connect.awaitRunning(example.name(), 1);
        Path file = example.path("input.path").resolve("customers-growing.csv");
        Files.writeString(file, HEADER);
        int rows = 12;
        for (int i = 1; i <= rows; i++) {
            Files.writeString(file, i + ",Row " + i + ",,,1.00,ACTIVE,2024-01-01T00:00:00Z\n", StandardOpenOption.APPEND);
            Thread.sleep(400); // far under file.min.age.ms: the writer is still busy, even on a loaded machine
            assertThat(connect.topicExists("growing")).as("read while still being written, after row %d", i).isFalse();
        }
        await().atMost(TIMEOUT).until(() -> Files.exists(example.path("finished.path").resolve(file.getFileName())));
        var records = connect.readToEnd("growing", TIMEOUT, false);
        assertThat(records).extracting(record -> Records.payload(record).path("id").asLong())
                .as("every row once, read only when complete").containsExactlyElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, rows).boxed().toList());
        connect.delete(example.name());
    }

    @Test
    void restartInTheMiddleOfALargeFileLosesNothing() throws Exception {
        var example = ConfigExamples.load("file-source-csv.json", dataRoot.resolve("restart")).createDirectories()
                .named("restart").with("topic", "restart.at-least-once").with("file.min.age.ms", "0").with("batch.size", "100");
        int rows = 60_000;
        LargeCsv.write(example.path("input.path").resolve("customers-large.csv"), rows);
        connect.create(example.name(), example.config());
        connect.awaitRunning(example.name(), 1);
        await().atMost(TIMEOUT).until(() -> connect.endOffset("restart.at-least-once") > 5_000);
        long beforeRestart = connect.endOffset("restart.at-least-once");
        connect.restartConnectorAndTasks(example.name());
        assertThat(beforeRestart).as("the restart must come in the middle of the file").isLessThan(rows);

        await().atMost(Duration.ofSeconds(240))
                .until(() -> Files.exists(example.path("finished.path").resolve("customers-large.csv")));
        var records = connect.readToEnd("restart.at-least-once", TIMEOUT, false);
        Set<Long> ids = new HashSet<>();
        records.forEach(record -> ids.add(Records.payload(record).path("id").asLong()));
        assertThat(ids).as("every line at least once").hasSize(rows);
        connect.delete(example.name());
    }

    private static ConfigExamples.Example badRecordExample(String policy) throws IOException {
        var example = ConfigExamples.load("file-source-csv.json", dataRoot.resolve("bad-" + policy)).createDirectories()
                .named("bad-" + policy).with("topic", "bad." + policy).with("on.bad.record", policy).with("file.min.age.ms", "0");
        Files.writeString(example.path("input.path").resolve("customers-bad.csv"), HEADER
                + "1,Good,,,1.00,ACTIVE,2024-01-01T00:00:00Z\n"
                + "2,Short row\n"
                + "3,Good,,,3.00,ACTIVE,2024-01-01T00:00:00Z\n"
                + "4,Not a number,,,abc,ACTIVE,2024-01-01T00:00:00Z\n"
                + "5,Good,,,5.00,CLOSED,2024-01-01T00:00:00Z\n", StandardCharsets.UTF_8);
        return example;
    }
}
