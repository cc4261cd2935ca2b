package io.onramp.connect.it;

import static io.onramp.connect.it.ConnectJson.field;
import static io.onramp.connect.it.ConnectJson.record;
import static io.onramp.connect.it.ConnectJson.struct;
import static io.onramp.connect.it.CustomerProduct.customer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.onramp.connect.it.crash.KafkaBroker;
import io.onramp.connect.it.crash.WorkerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sinks' worker process killed with SIGKILL (crash harness: a separate worker JVM), then a new worker JVM taking
 * over. The JDBC sink killed in the middle of a stream of upserts: the table ends with exactly the latest row of
 * every key. The snapshot export sink killed between two exports while updates, deletes and inserts arrive: every
 * snapshot written before and after the kill equals the test's model of the product at the offsets its manifest
 * claims, with no key lost or doubled.
 */
class SinkCrashTest {

    private static final String TOPIC = "export.crash.customers.v1";
    private static final String CLUSTER = "export-crash";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.perClass();

    @TempDir
    static Path dataRoot;

    /**
     * {@value #UPSERTS} upserts over {@value #KEYS} keys (record i: id = i mod KEYS, seq = i) into a PostgreSQL table
     * whose insert trigger takes 3 ms a row, so that the stream takes seconds; the worker is killed with SIGKILL
     * once a quarter of it is in the table and before all of it is. The new worker redelivers what was written
     * after the last offset commit; upserts make that harmless: each key's row ends with its last record.
     */
    @Test
    void jdbcSinkKilledMidStreamEndsWithExactlyTheLatestRowOfEveryKey() throws Exception {
        var db = TestDatabases.POSTGRES;
        String connector = "jdbc-sink-crash";
        try (var table = db.createTable("sinkcrashtest_upsert", "id BIGINT PRIMARY KEY, seq BIGINT NOT NULL, name TEXT")) {
            String slow = db.quote(table.name() + "_slow");
            db.execute("CREATE FUNCTION " + slow + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                            + "PERFORM pg_sleep(0.003); RETURN NEW; END $$",
                    "CREATE TRIGGER slow BEFORE INSERT ON " + table.quoted() + " FOR EACH ROW EXECUTE FUNCTION " + slow + "()");
            try {
                killMidStreamAndResume(db, table, connector);
            } finally {
                db.execute("DROP FUNCTION IF EXISTS " + slow + "() CASCADE");
            }
        }
    }

    private void killMidStreamAndResume(TestDatabases db, TestDatabases.Table table, String connector) throws Exception {
        String topic = table.name();
        String app = "onramp-" + table.name();
        broker.kafka().createTopic(topic, 1);
        produceUpserts(topic);

        Map<String, String> config = new LinkedHashMap<>(db.connectionProps());
        config.put("connector.class", "io.onramp.connect.sink.jdbc.JdbcSinkConnector");
        config.put("connection.url", db.url() + (db.url().contains("?") ? "&" : "?") + "ApplicationName=" + app);
        config.put("tasks.max", "1");
        config.put("topics", topic);
        config.put("table.name.format", table.name());
        config.put("insert.mode", "upsert");
        config.put("primary.key.mode", "record_value");
        config.put("primary.key.fields", "id");
        config.put("delete.enabled", "false");
        config.put("retry.backoff.ms", "500");
        config.put("consumer.override.max.poll.records", "100");
        // the new worker's consumer takes the partition over 6 s after the kill, not the default 45 s
        config.put("consumer.override.session.timeout.ms", "6000");
        config.put("consumer.override.heartbeat.interval.ms", "2000");

        long landedAtKill;
        long committedAtKill;
        try (var first = WorkerProcess.builder("jdbc-sink-crash", broker).start()) {
            first.createConnector(connector, config);
            first.awaitRunning(connector, 1, TIMEOUT);
            KafkaBroker.await("a quarter of the upserts in the table", TIMEOUT,
                    () -> landed(db, table) >= UPSERTS / 4);
            first.kill();
        }
        // The killed connection's backend rolls back its open transaction and ends; then the table holds what
        // the killed worker committed, and nothing more can arrive from it.
        KafkaBroker.await("the killed worker's session gone", TIMEOUT, () -> sessions(db, app) == 0);
        landedAtKill = landed(db, table);
        committedAtKill = committedOffset(connector, topic);
        assertThat(landedAtKill).as("upserts in the table at the kill").isLessThan(UPSERTS);
        assertThat(finalRows(db, table)).as("keys already at their last value at the kill").isLessThan(KEYS);

        try (var second = WorkerProcess.builder("jdbc-sink-crash", broker).start()) {
            second.awaitRunning(connector, 1, TIMEOUT);
            KafkaBroker.await("every key at its last upsert", TIMEOUT, () -> finalRows(db, table) == KEYS);
            KafkaBroker.await("the offsets of all upserts committed", TIMEOUT,
                    () -> committedOffset(connector, topic) == UPSERTS);
            assertThat(second.status(connector).path("tasks").get(0).path("state").asText()).isEqualTo("RUNNING");
            second.deleteConnector(connector);
        }

        var rows = rows(db, "SELECT id, seq, name FROM " + table.quoted() + " ORDER BY id");
        var expected = new java.util.ArrayList<List<String>>();
        for (long id = 0; id < KEYS; id++) {
            long last = UPSERTS - KEYS + id; // the last i with i mod KEYS = id
            expected.add(List.of(Long.toString(id), Long.toString(last), "name " + last));
        }
        System.out.printf("JDBC SINK CRASH: %,d upserts over %,d keys; at the SIGKILL %,d upserts in the table and"
                        + " offsets committed up to %,d (%,d redelivered after the restart); table: %,d rows,"
                        + " %,d distinct ids, %,d at their last value, 0 missing, 0 doubled%n", UPSERTS, KEYS,
                landedAtKill, committedAtKill, landedAtKill - committedAtKill, rows.size(),
                rows.stream().map(r -> r.get(0)).distinct().count(), finalRows(db, table));
        assertThat(rows).as("exactly one row per key, each with its last upsert").isEqualTo(expected);
    }

    private static final int UPSERTS = 3_000;
    private static final int KEYS = 500;

    /** Record i upserts id i mod KEYS with seq i and name "name i", in one partition (the per-key order). */
    private static void produceUpserts(String topic) throws Exception {
        ObjectNode row = field(field(field(struct("Row", false), "id", "int64", false), "seq", "int64", false),
                "name", "string", true);
        try (var producer = broker.kafka().createProducer(Map.<String, Object>of("linger.ms", "20"))) {
            for (long i = 0; i < UPSERTS; i++) {
                long id = i % KEYS;
                String value = record(row, Map.of("id", id, "seq", i, "name", "name " + i));
                producer.send(new ProducerRecord<>(topic, 0, Long.toString(id).getBytes(StandardCharsets.UTF_8),
                        value.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    /** How far into the stream the table is: the highest seq written + 1 (one partition, committed in order). */
    private static long landed(TestDatabases db, TestDatabases.Table table) {
        return Long.parseLong(single(db, "SELECT coalesce(max(seq) + 1, 0) FROM " + table.quoted()));
    }

    /** Rows holding their key's last upsert. */
    private static long finalRows(TestDatabases db, TestDatabases.Table table) {
        return Long.parseLong(single(db, "SELECT count(*) FROM " + table.quoted() + " WHERE seq >= " + (UPSERTS - KEYS)));
    }

    private static long sessions(TestDatabases db, String app) {
        return Long.parseLong(single(db, "SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + app + "'"));
    }

    private static long committedOffset(String connector, String topic) {
        try (var admin = broker.kafka().createAdminClient()) {
            var committed = admin.listConsumerGroupOffsets("connect-" + connector).partitionsToOffsetAndMetadata()
                    .get(30, java.util.concurrent.TimeUnit.SECONDS).get(new org.apache.kafka.common.TopicPartition(topic, 0));
            return committed == null ? 0 : committed.offset();
        } catch (Exception e) {
            throw new AssertionError("cannot read the committed offsets of " + connector, e);
        }
    }

    private static String single(TestDatabases db, String sql) {
        return rows(db, sql).get(0).get(0);
    }

    private static List<List<String>> rows(TestDatabases db, String sql) {
        try (var c = db.open(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            List<List<String>> rows = new java.util.ArrayList<>();
            while (rs.next()) {
                List<String> row = new java.util.ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(String.valueOf(rs.getObject(i)));
                }
                rows.add(row);
            }
            return rows;
        } catch (java.sql.SQLException e) {
            throw new AssertionError("SQL failed: " + e.getMessage(), e);
        }
    }

    @Test
    void workerKilledBetweenExportsResumesFromItsStateWithoutLosingOrDoublingAKey() throws Exception {
        broker.kafka().createTopic(TOPIC, 2);
        var example = ConfigExamples.load("snapshot-export-csv.json", dataRoot).named("export-crash")
                .with("topics", TOPIC).with("export.format", "jsonl")
                .with("export.file.name", "${topic}-${date}.${format}").with("export.file.date.format", "yyyyMMdd-HHmmss")
                .with("export.schedule", "PT3S")
                // the new worker's consumer takes the partitions over 6 s after the kill, not the default 45 s
                .with("consumer.override.session.timeout.ms", "6000")
                .with("consumer.override.heartbeat.interval.ms", "2000").createDirectories();
        Path out = example.path("export.path");
        Path checkpoint = out.resolve(".onramp-state").resolve(example.name()).resolve(TOPIC).resolve("checkpoint.json");

        try (var product = new CustomerProduct(broker.bootstrapServers(), TOPIC)) {
            for (long id = 1; id <= 2_000; id++) {
                product.upsert(customer(id, "Customer " + id, id + ".00"));
            }
            Map<Integer, Long> firstEnds = product.endOffsets();
            long first = sum(firstEnds);
            long durableAtKill;
            int partialsAtKill;
            try (var worker = WorkerProcess.builder(CLUSTER, broker).start()) {
                worker.createConnector(example.name(), example.config());
                worker.awaitRunning(example.name(), 1, TIMEOUT);
                awaitExportCovering(out, firstEnds);

                // Half of a stream of changes arrives; the worker dies once some of it is durable in its store,
                // between two exports, with the rest read or in flight.
                changes(product, 0, 4_000);
                KafkaBroker.await("the store holds changes of the stream", TIMEOUT,
                        () -> durable(checkpoint) > first + 500);
                worker.kill();
                durableAtKill = durable(checkpoint);
                partialsAtKill = partials(out).size();
            }
            // The other half arrives while no worker runs.
            changes(product, 4_000, 8_000);
            // An export cut off by a kill leaves its temporary file; the kill rarely lands in the few milliseconds an
            // export takes, so one is put there as such an export leaves it: the new task must remove it on start.
            Path planted = out.resolve("." + TOPIC + "-20240301-000000.jsonl~" + example.name() + ".partial");
            Files.writeString(planted, "{\"id\":1}\n");
            long plantedAt = modified(planted);
            Map<Integer, Long> secondEnds = product.endOffsets();
            assertThat(durableAtKill).as("the kill came in the middle of the stream").isLessThan(sum(secondEnds));

            try (var worker = WorkerProcess.builder(CLUSTER, broker).start()) {
                worker.awaitRunning(example.name(), 1, TIMEOUT);
                awaitExportCovering(out, secondEnds);
                assertThat(worker.log()).as("the new JVM resumes at the offsets its state holds, not at 0")
                        .content().containsPattern("resumes .* at the offsets its state holds: \\{.*=[1-9]");
                // Exports keep running every 3 s, so a temporary file of one in progress may be there now; none older
                // than the planted one (which is newer than anything the killed worker wrote) may remain.
                assertThat(planted).doesNotExist();
                assertThat(partials(out).stream().filter(p -> modified(p) <= plantedAt).toList())
                        .as("temporary files of exports cut off by the kill").isEmpty();

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
                                + " store at the kill, " + partialsAtKill + " temporary files left by the kill (1 planted), none"
                                + " of them left after the restart; %d exports checked, %,d rows, 0 lost, 0 doubled; last export"
                                + " %,d keys = model %,d%n", sum(thirdEnds), first, durableAtKill, exports.size(),
                        rowsChecked, last.rows().size(), product.stateAt(thirdEnds).size());
                assertThat(last.covers(thirdEnds)).isTrue();
                worker.deleteConnector(example.name());
            }
        }
    }

    /** Changes {@code from} until {@code to} of a stream over ids 1..4000: every tenth a tombstone, the rest upserts. */
    private static void changes(CustomerProduct product, int from, int to) {
        for (int i = from; i < to; i++) {
            long id = 1 + (i * 7919L) % 4_000;
            if (i % 10 == 9) {
                product.tombstone(id);
            } else {
                product.upsert(customer(id, "Changed " + i, (i % 1000) + ".25"));
            }
        }
    }

    /** When the file was last written, epoch ms; a file gone meanwhile (an export finished) counts as new. */
    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (java.io.IOException e) {
            return Long.MAX_VALUE;
        }
    }

    private static List<Path> partials(Path dir) throws java.io.IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".partial")).toList();
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
}
