package io.onramp.connect.it;

import static io.onramp.connect.it.CustomerProduct.customer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot export sink in a real Connect cluster: one product topic, three connectors (CSV, JSON Lines, Avro)
 * exporting it every two seconds. Every file written is read back by an independent reader and must equal the
 * state the test's own model gives at the offsets its manifest claims, after inserts, then updates, then deletes.
 * The CSV snapshots of the three phases, read by the file source in snapshot mode, give back the product's changes.
 */
class SnapshotExportTest {

    private static final String TOPIC = "export.crm.customers.v1";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final javax.management.MBeanServer JMX = java.lang.management.ManagementFactory.getPlatformMBeanServer();
    private static final javax.management.ObjectName JSONL_METRICS = metricsBean("export-jsonl");
    private static final Charset CSV_CHARSET = Charset.forName("windows-1252");
    private static final List<String> FORMATS = List.of("csv", "jsonl", "avro");

    private static OnrampConnect connect;

    @TempDir
    static Path dataRoot;

    @BeforeAll
    static void startConnect() {
        connect = OnrampConnect.start("snapshot-export", false);
    }

    @AfterAll
    static void stopConnect() {
        connect.close();
    }

    private static javax.management.ObjectName metricsBean(String connector) {
        try {
            return new javax.management.ObjectName("io.onramp.connect:type=snapshot-export-sink-task-metrics,connector="
                    + connector + ",task=0");
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ConfigExamples.Example exportExample(String format, Path dir) {
        return ConfigExamples.load("snapshot-export-csv.json", dir)
                .named("export-" + format)
                .with("topics", TOPIC)
                .with("export.format", format)
                .with("export.path", dir.resolve("out").toString())
                .with("export.file.name", "${topic}-${date}.${format}")
                .with("export.file.date.format", "yyyyMMdd-HHmmss")
                .with("export.schedule", "PT2S")
                .createDirectories();
    }

    @Test
    void exportsEqualTheProductStateAfterInsertsUpdatesAndDeletesInEveryFormat() throws Exception {
        connect.cluster().kafka().createTopic(TOPIC, 2);
        var dirs = new HashMap<String, Path>();
        for (String format : FORMATS) {
            var example = exportExample(format, dataRoot.resolve(format));
            dirs.put(format, example.path("export.path"));
            connect.create(example.name(), example.config());
            connect.awaitRunning(example.name(), 1);
        }
        var phaseEnds = new ArrayList<Map<Integer, Long>>();
        try (var product = new CustomerProduct(connect.cluster().kafka().bootstrapServers(), TOPIC)) {
            for (long id = 1; id <= 30; id++) {
                product.upsert(customer(id, id == 7 ? "José Müller" : "Customer " + id, id + ".50"));
            }
            phaseEnds.add(awaitExports(product, dirs));

            for (long id = 1; id <= 10; id++) {
                product.upsert(customer(id, "Renamed " + id, "1" + id + ".05"));
            }
            product.upsert(customer(3, "Renamed twice 3", "0.01"));
            for (long id = 31; id <= 35; id++) {
                product.upsert(customer(id, "New " + id, "-" + id + ".00"));
            }
            phaseEnds.add(awaitExports(product, dirs));

            for (long id : new long[] {2, 4, 6}) {
                product.tombstone(id);
            }
            product.envelopeDelete(customer(12, "Customer 12", "12.50"));
            product.envelopeUpdate(customer(13, "Customer 13", "13.50"), customer(13, "Enveloped 13", "99.99"));
            product.tombstone(99); // a key that never existed
            product.upsert(customer(36, "Short-lived", "1.00"));
            product.tombstone(36);
            phaseEnds.add(awaitExports(product, dirs));

            for (String format : FORMATS) {
                var exports = ExportedFiles.all(dirs.get(format), format, CSV_CHARSET, ';');
                assertThat(exports).as("%s exports", format).hasSizeGreaterThanOrEqualTo(3);
                for (var export : exports) {
                    assertThat(export.state()).as("%s equals the state at its offsets %s", export.file(), export.nextOffsets())
                            .isEqualTo(product.stateAt(export.nextOffsets()));
                    assertThat(Files.exists(Path.of(export.file() + ".done"))).as(".done of %s", export.file()).isTrue();
                    assertThat(export.manifest().path("contract").path("product").asText()).isEqualTo("crm.customers");
                    assertThat(export.manifest().path("contract").path("version").asInt()).isEqualTo(1);
                }
                var last = exports.get(exports.size() - 1);
                assertThat(last.state()).hasSize(30 + 5 - 4);
                assertThat(last.state().get(13L).get("name")).isEqualTo("Enveloped 13");
                assertThat(last.state().get(7L).get("name")).isEqualTo("Renamed 7");
            }
            assertThat(Files.readAllBytes(firstCovering(dirs.get("csv"), "csv", phaseEnds.get(0)).file()))
                    .as("windows-1252 é of José").contains((byte) 0xE9);

            roundTripThroughTheFileSource(product, dirs.get("csv"), phaseEnds);
            metricsMatchTheFilesAndTheTopic(dirs.get("jsonl"), phaseEnds.get(2));
        }
        for (String format : FORMATS) {
            connect.delete("export-" + format);
        }
        await("the jsonl export's metrics bean unregistered").atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> !JMX.isRegistered(JSONL_METRICS));
    }

    /** Waits until every format has an export covering everything produced so far; returns those offsets. */
    /**
     * The jsonl task's JMX bean, read from the platform MBeanServer of the embedded worker: every record of the topic
     * received once, as many exports as manifests in its directory, the last export's rows and the keys in the store
     * equal to the product's state. Exports keep coming every 2 s, so the count is read when two reads of the bean
     * bracket one listing of the directory with the same number.
     */
    private static void metricsMatchTheFilesAndTheTopic(Path dir, Map<Integer, Long> ends) throws Exception {
        long produced = ends.values().stream().mapToLong(Long::longValue).sum();
        long keys = 30 + 5 - 4;
        await("ExportsWritten equal to the manifests").atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
            Object before = JMX.getAttribute(JSONL_METRICS, "ExportsWritten");
            long manifests;
            try (var files = Files.list(dir)) {
                manifests = files.filter(f -> f.getFileName().toString().endsWith(".manifest.json")).count();
            }
            return before.equals(manifests) && before.equals(JMX.getAttribute(JSONL_METRICS, "ExportsWritten"));
        });
        assertThat(JMX.getAttribute(JSONL_METRICS, "RecordsReceived")).isEqualTo(produced);
        assertThat(JMX.getAttribute(JSONL_METRICS, "RecordsReportedToDlq")).isEqualTo(0L);
        assertThat(JMX.getAttribute(JSONL_METRICS, "LastExportRows")).isEqualTo(keys);
        assertThat(JMX.getAttribute(JSONL_METRICS, "KeysInStore")).isEqualTo(keys);
        long lastExport = (Long) JMX.getAttribute(JSONL_METRICS, "LastExportTime");
        assertThat(lastExport).isBetween(System.currentTimeMillis() - TIMEOUT.toMillis(), System.currentTimeMillis());
        System.out.printf("export metrics (jsonl): %s%n", java.util.Arrays.stream(JMX.getMBeanInfo(JSONL_METRICS).getAttributes())
                .map(a -> {
                    try {
                        return a.getName() + "=" + JMX.getAttribute(JSONL_METRICS, a.getName());
                    } catch (Exception e) {
                        return a.getName() + "=?";
                    }
                }).toList());
    }

    private static Map<Integer, Long> awaitExports(CustomerProduct product, Map<String, Path> dirs) {
        Map<Integer, Long> ends = product.endOffsets();
        for (String format : FORMATS) {
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(300)).until(() ->
                    ExportedFiles.anyCovers(dirs.get(format), ends));
        }
        return ends;
    }

    private static ExportedFiles.Export firstCovering(Path dir, String format, Map<Integer, Long> ends) {
        return ExportedFiles.all(dir, format, CSV_CHARSET, ';').stream().filter(e -> e.covers(ends)).findFirst()
                .orElseThrow();
    }

    /**
     * The CSV snapshot at the end of each phase, fed to the file source in snapshot mode with the same contract,
     * gives back exactly the changes between the phases: reads, then inserts, updates and deletes.
     */
    private static void roundTripThroughTheFileSource(CustomerProduct product, Path csvDir, List<Map<Integer, Long>> ends)
            throws Exception {
        var source = ConfigExamples.load("file-source-snapshot.json", dataRoot.resolve("round-trip"))
                .named("round-trip").with("topic", "export.round.trip").with("file.min.age.ms", "0")
                .with("input.file.pattern", "customers-\\d+\\.csv").with("snapshot.order", "name")
                .with("csv.delimiter", ";").with("input.charset", "windows-1252").createDirectories();
        Path incoming = source.path("input.path");
        connect.create(source.name(), source.config());
        connect.awaitRunning(source.name(), 1);

        var expected = new ArrayList<String>();
        Map<Long, Map<String, String>> previous = Map.of();
        for (int phase = 0; phase < ends.size(); phase++) {
            var export = firstCovering(csvDir, "csv", ends.get(phase));
            Path target = incoming.resolve("customers-" + phase + ".csv");
            Files.copy(export.file(), incoming.resolve(".copy"));
            Files.move(incoming.resolve(".copy"), target);
            var state = product.stateAt(ends.get(phase));
            assertThat(export.state()).isEqualTo(state);
            expected.addAll(changes(previous, state, phase == 0));
            int count = expected.size();
            await().atMost(TIMEOUT).until(() -> Files.exists(source.path("finished.path").resolve(target.getFileName())));
            var records = connect.readToEnd("export.round.trip", TIMEOUT, false);
            assertThat(records).as("changes after snapshot %d", phase).hasSize(count);
            previous = state;
        }
        Path lastDump = source.path("finished.path").resolve("customers-" + (ends.size() - 1) + ".csv");
        await().atMost(TIMEOUT).until(() -> Files.exists(lastDump));
        var all = connect.readToEnd("export.round.trip", TIMEOUT, false);
        var actual = new ArrayList<String>();
        for (var record : all) {
            JsonNode payload = Records.payload(record);
            JsonNode row = payload.path("op").asText().equals("d") ? payload.path("before") : payload.path("after");
            actual.add(payload.path("op").asText() + ":" + row.path("id").asLong() + ":" + row.path("name").asText()
                    + ":" + row.path("balance").decimalValue().setScale(2).toPlainString());
        }
        assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
        connect.delete(source.name());
    }

    private static List<String> changes(Map<Long, Map<String, String>> before, Map<Long, Map<String, String>> after,
                                        boolean first) {
        var changes = new ArrayList<String>();
        var keys = new TreeMap<Long, Boolean>();
        before.keySet().forEach(k -> keys.put(k, true));
        after.keySet().forEach(k -> keys.put(k, true));
        for (long id : keys.keySet()) {
            var old = before.get(id);
            var now = after.get(id);
            if (old == null) {
                changes.add((first ? "r" : "c") + ":" + id + ":" + now.get("name") + ":" + now.get("balance"));
            } else if (now == null) {
                changes.add("d:" + id + ":" + old.get("name") + ":" + old.get("balance"));
            } else if (!old.equals(now)) {
                changes.add("u:" + id + ":" + now.get("name") + ":" + now.get("balance"));
            }
        }
        return changes;
    }

    @Test
    void validateNamesTheKeyOfEachCrossKeyMistake() {
        Path dir = OnrampConnect.createDirectories(dataRoot.resolve("validate"));
        var config = new HashMap<String, String>();
        config.put("name", "bad-export");
        config.put("connector.class", "io.onramp.connect.sink.snapshot.SnapshotExportSinkConnector");
        config.put("topics", "a,b");
        config.put("export.path", dir.toString());
        config.put("export.format", "avro");
        config.put("export.file.name", "snapshot.avro");
        ConfigInfos result = connect.cluster().validateConnectorConfig(config.get("connector.class"), config);
        var errors = new HashMap<String, List<String>>();
        result.configs().forEach(info -> errors.put(info.configValue().name(), info.configValue().errors()));
        assertThat(errors.get("export.format")).anyMatch(e -> e.contains("contract.file"));
        assertThat(errors.get("export.file.name")).anyMatch(e -> e.contains("${topic}"));

        config.put("export.schedule", "at midnight");
        result = connect.cluster().validateConnectorConfig(config.get("connector.class"), config);
        result.configs().forEach(info -> errors.put(info.configValue().name(), info.configValue().errors()));
        assertThat(errors.get("export.schedule")).anyMatch(e -> e.contains("export.schedule") && e.contains("cron"));
    }
}
