package io.onramp.connect.it;

import static io.onramp.connect.it.ConnectJson.decimal;
import static io.onramp.connect.it.ConnectJson.envelope;
import static io.onramp.connect.it.ConnectJson.field;
import static io.onramp.connect.it.ConnectJson.logical;
import static io.onramp.connect.it.ConnectJson.object;
import static io.onramp.connect.it.ConnectJson.record;
import static io.onramp.connect.it.ConnectJson.struct;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The packaged JDBC sink in a real Connect cluster, writing to the real PostgreSQL and MariaDB servers: change
 * envelopes (Onramp's and Debezium's) and tombstones, schemaless JSON, auto-create and evolve, a poison record going
 * alone to the dead letter queue, a connection killed in the middle of a batch, and hostile names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// Restarts PostgreSQL (a server restart mid-batch), which the other test classes share while they run two at a
// time: runs alone (pom.xml).
@Tag("serial")
class JdbcSinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    private OnrampConnect connect;
    private final List<Runnable> cleanup = new ArrayList<>();

    @BeforeAll
    void start() {
        connect = OnrampConnect.start("jdbc-sink", false);
    }

    @AfterAll
    void stop() {
        cleanup.forEach(Runnable::run);
        if (connect != null) {
            connect.close();
        }
    }

    // ---------------------------------------------------------------- scenarios

    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void envelopesAndTombstonesUpsertUpdateAndDeleteThenTheTableEvolves(TestDatabases db) throws Exception {
        String table = table(db, "jdbcsinktest_env");
        String topic = topic(table);
        ObjectNode key = field(struct("Key", false), "id", "int64", false);
        ObjectNode row = struct("Row", false);
        field(row, "id", "int64", false);
        field(row, "name", "string", true);
        decimal(row, "amount", 2, true);
        logical(row, "placed", "int64", "org.apache.kafka.connect.data.Timestamp", true);
        ObjectNode source = field(struct("Source", false), "file", "string", false);
        ObjectNode env = envelope("jdbcsinktest.Envelope", row, source);

        produce(topic, List.of(
                kv(key(key, 1), change(env, "c", null, row(1, "Ann", "10.50", 1_709_288_130_500L))),
                kv(key(key, 2), change(env, "r", null, row(2, "Bob", "20.00", null))),
                kv(key(key, 3), change(env, "c", null, row(3, "Cy", "30.00", null))),
                kv(key(key, 1), change(env, "u", row(1, "Ann", "10.50", null), row(1, "Ann B", "11.25", 1_709_288_130_500L))),
                kv(key(key, 2), change(env, "d", row(2, "Bob", "20.00", null), null)),
                kv(key(key, 3), null),                                                   // tombstone
                kv(key(key, 4), change(env, "c", null, row(4, "end", "0.00", null)))));  // end marker

        connect.create(name(table), sinkConfig(db, topic, table, Map.of("auto.create", "true", "auto.evolve", "true")));
        awaitRows(db, table, "id = 4", 1);

        assertThat(rows(db, "SELECT id, name, amount, placed FROM " + db.quote(table) + " ORDER BY id")).containsExactly(
                List.of("1", "Ann B", "11.25", "2024-03-01 10:15:30.5"),
                List.of("4", "end", "0.00", "null"));

        // the schema gains a field: a nullable column is added, earlier rows keep NULL there
        ObjectNode row2 = row.deepCopy();
        field(row2, "note", "string", true);
        ObjectNode env2 = envelope("jdbcsinktest.Envelope", row2, source);
        Map<String, Object> withNote = row(5, "Eve", "5.00", null);
        withNote.put("note", "new column");
        produce(topic, List.<String[]>of(kv(key(key, 5), change(env2, "c", null, withNote))));
        awaitRows(db, table, "id = 5", 1);
        assertThat(rows(db, "SELECT id, note FROM " + db.quote(table) + " ORDER BY id")).containsExactly(
                List.of("1", "null"), List.of("4", "null"), List.of("5", "new column"));
        // c, r, c, u, c and c write rows; the d and the tombstone delete them
        assertThat(metrics(name(table))).containsEntry("RecordsReceived", 8L).containsEntry("RecordsUpserted", 6L)
                .containsEntry("RecordsDeleted", 2L).containsEntry("RecordsSkipped", 0L)
                .containsEntry("RecordsReportedToDlq", 0L).containsEntry("Retries", 0L);
        connect.delete(name(table));
    }

    /** Debezium's envelope as its PostgreSQL connector writes it: source block, MicroTimestamp, ZonedTimestamp, Date. */
    @Test
    void debeziumEnvelopesAreReadNatively() throws Exception {
        TestDatabases db = TestDatabases.POSTGRES;
        String table = table(db, "jdbcsinktest_dbz");
        String topic = "dbserver1.inventory." + table;
        connect.cluster().kafka().createTopic(topic, 1);
        ObjectNode key = field(struct("dbserver1.inventory.customers.Key", false), "id", "int32", false);
        ObjectNode value = struct("dbserver1.inventory.customers.Value", true);
        field(value, "id", "int32", false);
        field(value, "email", "string", true);
        logical(value, "created", "int64", "io.debezium.time.MicroTimestamp", true);
        logical(value, "seen", "string", "io.debezium.time.ZonedTimestamp", true);
        logical(value, "born", "int32", "io.debezium.time.Date", true);
        ObjectNode source = struct("io.debezium.connector.postgresql.Source", false);
        field(source, "version", "string", false);
        field(source, "connector", "string", false);
        field(source, "name", "string", false);
        field(source, "ts_ms", "int64", false);
        field(source, "db", "string", false);
        field(source, "schema", "string", false);
        field(source, "table", "string", false);
        field(source, "lsn", "int64", true);
        ObjectNode env = envelope("dbserver1.inventory.customers.Envelope", value, source);
        field(env, "transaction", struct("event.block", true));

        Map<String, Object> src = new LinkedHashMap<>();
        src.put("version", "3.6.1.Final");
        src.put("connector", "postgresql");
        src.put("name", "dbserver1");
        src.put("ts_ms", 1_700_000_000_000L);
        src.put("db", "inventory");
        src.put("schema", "public");
        src.put("table", "customers");
        src.put("lsn", 123L);
        Map<String, Object> a1 = new LinkedHashMap<>();
        a1.put("id", 1001);
        a1.put("email", "sally@example.com");
        a1.put("created", 1_700_000_000_123_456L);
        a1.put("seen", "2024-03-01T10:15:30+02:00");
        a1.put("born", 19_783);
        Map<String, Object> a2 = new LinkedHashMap<>(a1);
        a2.put("id", 1002);
        a2.put("email", "george@example.com");
        Map<String, Object> a1u = new LinkedHashMap<>(a1);
        a1u.put("email", "sally.t@example.com");
        Map<String, Object> end = new LinkedHashMap<>(a1);
        end.put("id", 1999);

        produce(topic, List.of(
                kv(key(key, 1001), dbz(env, "r", null, a1, src)),
                kv(key(key, 1002), dbz(env, "c", null, a2, src)),
                kv(key(key, 1001), dbz(env, "u", a1, a1u, src)),
                kv(key(key, 1002), dbz(env, "d", a2, null, src)),
                kv(key(key, 1002), null),                        // Debezium's tombstone after the delete
                kv(key(key, 1999), dbz(env, "c", null, end, src))));

        connect.create(name(table), sinkConfig(db, topic, table, Map.of("auto.create", "true")));
        awaitRows(db, table, "id = 1999", 1);

        assertThat(rows(db, "SELECT id, email, created, seen, born FROM " + db.quote(table) + " WHERE id < 1999")).containsExactly(
                List.of("1001", "sally.t@example.com", "2023-11-14 22:13:20.123456", "2024-03-01 08:15:30.0", "2024-03-01"));
        connect.delete(name(table));
    }

    /** Plain JSON (no schemas) typed by a contract: text dates and decimals land as typed columns. */
    @Test
    void schemalessJsonIsTypedByTheContract() throws Exception {
        TestDatabases db = TestDatabases.POSTGRES;
        String table = table(db, "jdbcsinktest_schemaless");
        String topic = topic(table);
        Path contract = Files.createDirectories(Paths.get("target", "jdbc-sink-contracts", "shop", "orders")).resolve("v1.avsc");
        Files.writeString(contract, """
                {"type": "record", "name": "Order", "namespace": "shop",
                 "onramp.keyFields": ["order_id"],
                 "fields": [
                   {"name": "order_id", "type": "string"},
                   {"name": "total", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
                   {"name": "day", "type": {"type": "int", "logicalType": "date"}},
                   {"name": "note", "type": ["null", "string"], "default": null}
                 ]}
                """, StandardCharsets.UTF_8);

        produce(topic, List.of(
                kv("\"A-1\"", "{\"order_id\": \"A-1\", \"total\": \"12.50\", \"day\": \"2024-03-01\"}"),
                kv("\"A-2\"", "{\"order_id\": \"A-2\", \"total\": 7, \"day\": \"2024-03-02\", \"note\": \"gift\"}"),
                kv("\"A-1\"", "{\"order_id\": \"A-1\", \"total\": \"13.00\", \"day\": \"2024-03-01\", \"extra\": 1}"),
                kv("\"A-2\"", null),
                kv("\"Z-9\"", "{\"order_id\": \"Z-9\", \"total\": 0, \"day\": \"2024-12-31\"}")));

        Map<String, String> extra = new HashMap<>();
        extra.put("auto.create", "true");
        extra.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        extra.put("value.converter.schemas.enable", "false");
        extra.put("key.converter.schemas.enable", "false");
        extra.put("contract.file", contract.toAbsolutePath().toString());
        connect.create(name(table), sinkConfig(db, topic, table, extra));
        awaitRows(db, table, "order_id = 'Z-9'", 1);

        assertThat(rows(db, "SELECT order_id, total, day, note FROM " + db.quote(table) + " ORDER BY order_id")).containsExactly(
                List.of("A-1", "13.00", "2024-03-01", "null"),
                List.of("Z-9", "0.00", "2024-12-31", "null"));
        assertThat(columnTypes(db, table)).containsEntry("total", "numeric").containsEntry("day", "date");
        connect.delete(name(table));
    }

    /** Plain JSON into an existing MariaDB table: typed by the table's own column types. */
    @Test
    void schemalessJsonIsTypedByTheExistingTable() throws Exception {
        TestDatabases db = TestDatabases.MARIADB;
        String table = table(db, "jdbcsinktest_bytable");
        db.execute("CREATE TABLE " + db.quote(table) + " (id BIGINT PRIMARY KEY, price DECIMAL(8,3), at DATETIME(3), ok BOOLEAN)");
        String topic = topic(table);
        produce(topic, List.of(
                kv("{\"id\": 1}", "{\"id\": 1, \"price\": \"1.125\", \"at\": \"2024-03-01T10:15:30.250Z\", \"ok\": true}"),
                kv("{\"id\": 2}", "{\"id\": 2, \"price\": 2, \"ok\": false, \"unknown\": \"ignored\"}")));
        Map<String, String> extra = new HashMap<>();
        extra.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        extra.put("value.converter.schemas.enable", "false");
        extra.put("key.converter.schemas.enable", "false");
        connect.create(name(table), sinkConfig(db, topic, table, extra));
        awaitRows(db, table, "id = 2", 1);
        assertThat(rows(db, "SELECT id, price, at, ok FROM " + db.quote(table) + " ORDER BY id")).containsExactly(
                List.of("1", "1.125", "2024-03-01 10:15:30.25", "true"),
                List.of("2", "2.000", "null", "false"));
        connect.delete(name(table));
    }

    /**
     * 100 records in one batch, the 50th too long for its column: it alone goes to the dead letter queue, the other
     * 99 are written, and the offsets move past all of them.
     */
    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void poisonRecordGoesAloneToTheDeadLetterQueueWhileItsBatchLands(TestDatabases db) throws Exception {
        String table = table(db, "jdbcsinktest_dlq");
        db.execute("CREATE TABLE " + db.quote(table) + " (id BIGINT PRIMARY KEY, name VARCHAR(10) NOT NULL)");
        String topic = topic(table);
        String dlq = topic + ".dlq";
        ObjectNode key = field(struct("Key", false), "id", "int64", false);
        ObjectNode row = field(field(struct("Row", false), "id", "int64", false), "name", "string", false);
        List<String[]> records = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            String name = i == 50 ? "poison-value-longer-than-ten" : "n" + i;
            records.add(kv(key(key, i), record(row, Map.of("id", i, "name", name))));
        }
        produce(topic, records);

        Map<String, String> extra = new HashMap<>();
        extra.put("errors.tolerance", "all");
        extra.put("errors.deadletterqueue.topic.name", dlq);
        extra.put("errors.deadletterqueue.topic.replication.factor", "1");
        extra.put("errors.deadletterqueue.context.headers.enable", "true");
        connect.create(name(table), sinkConfig(db, topic, table, extra));
        awaitRows(db, table, "id = 100", 1);
        produce(topic, List.<String[]>of(kv(key(key, 101), record(row, Map.of("id", 101, "name", "end")))));
        awaitRows(db, table, "id = 101", 1);
        awaitCommittedOffset(name(table), topic, 101);

        assertThat(count(db, table, "1 = 1")).isEqualTo(100);
        assertThat(count(db, table, "id = 50")).isZero();
        assertThat(connect.endOffset(dlq)).isEqualTo(1);
        var dead = connect.read(dlq, 1, DEADLINE, false);
        assertThat(dead).hasSize(1);
        assertThat(JSON.readTree(dead.get(0).key()).path("payload").path("id").asInt()).isEqualTo(50);
        String reason = Records.header(dead.get(0), "__connect.errors.exception.message");
        assertThat(reason).contains(table).contains("SQLSTATE 22001").doesNotContain("poison-value");
        var metrics = metrics(name(table));
        assertThat(metrics).containsEntry("RecordsReceived", 101L).containsEntry("RecordsUpserted", 100L)
                .containsEntry("RecordsReportedToDlq", 1L).containsEntry("RecordsDeleted", 0L)
                .containsEntry("RecordsSkipped", 0L).containsEntry("Retries", 0L);
        assertThat((Long) metrics.get("BatchesWritten")).isBetween(2L, 101L);
        connect.delete(name(table));
        awaitBeanGone(name(table));
    }

    /** Without a dead letter queue the task fails with the reason, and none of the batch is committed. */
    @Test
    void withoutDeadLetterQueueTheTaskFailsWithTheReasonAndWritesNothing() throws Exception {
        TestDatabases db = TestDatabases.POSTGRES;
        String table = table(db, "jdbcsinktest_fail");
        db.execute("CREATE TABLE " + db.quote(table) + " (id BIGINT PRIMARY KEY, name VARCHAR(10) NOT NULL)");
        String topic = topic(table);
        ObjectNode key = field(struct("Key", false), "id", "int64", false);
        ObjectNode row = field(field(struct("Row", false), "id", "int64", false), "name", "string", false);
        List<String[]> records = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            records.add(kv(key(key, i), record(row, Map.of("id", i, "name", i == 1 ? "secret-value-too-long" : "n" + i))));
        }
        produce(topic, records);
        connect.create(name(table), sinkConfig(db, topic, table, Map.of()));
        connect.awaitTaskFailed(name(table));

        String trace = connect.taskTrace(name(table), 0);
        assertThat(trace).contains(table).contains("SQLSTATE 22001").contains("errors.tolerance")
                .doesNotContain("secret-value");
        assertThat(count(db, table, "1 = 1")).isZero();
        connect.delete(name(table));
    }

    /**
     * The task's database connection is killed (pg_terminate_backend) while a batch is in the database: the batch
     * is rolled back and retried, and every record is in the table exactly once. The table has no key and the sink
     * plain-inserts, so a batch written twice, or half of one, would show.
     */
    @Test
    void connectionKilledMidBatchLosesAndDoublesNoRow() throws Exception {
        var sink = stalledSink("jdbcsinktest_kill");
        // pg_terminate_backend in the select list runs only for the rows the WHERE kept: the task's connection alone
        assertThat(rows(sink.db, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                + sink.app + "'")).containsExactly(List.of("true"));

        sink.finish();
        assertThat(rows(sink.db, "SELECT last_value FROM " + sink.db.quote(sink.table + "_hits")))
                .as("row 500 was written again after the kill").containsExactly(List.of("2"));
        var metrics = metrics(name(sink.table));
        assertThat(metrics.get("Retries")).as("the one batch rolled back and retried").isEqualTo(1L);
        assertThat(metrics.get("RecordsUpserted")).as("rows count once, when committed").isEqualTo(1001L);
        assertThat(metrics.get("RecordsDeleted")).isEqualTo(0L);
        assertThat(metrics.get("RecordsReportedToDlq")).isEqualTo(0L);
        assertThat((Long) metrics.get("RecordsReceived")).as("1,001 records plus the retried batch delivered again")
                .isGreaterThan(1001L);
        connect.delete(name(sink.table));
        awaitBeanGone(name(sink.table));
    }

    /**
     * The PostgreSQL server itself restarted (pg_ctlcluster, fast mode: every session ends, nothing listens for a
     * moment) while the task's transaction is in the middle of a batch: the task retries with backoff until the
     * server is back, does not fail, and every record is in the table exactly once. The server is up again after the
     * test whatever happens.
     */
    @Test
    void postgresRestartedMidBatchLosesAndDoublesNoRowAndTheTaskRetries() throws Exception {
        try {
            var sink = stalledSink("jdbcsinktest_restart");
            String startedBefore = rows(sink.db, "SELECT pg_postmaster_start_time()").get(0).get(0);
            PostgresServer.restart();
            assertThat(rows(sink.db, "SELECT pg_postmaster_start_time()").get(0).get(0))
                    .as("the server process started again").isNotEqualTo(startedBefore);

            sink.finish();
            assertThat(Long.parseLong(rows(sink.db, "SELECT last_value FROM " + sink.db.quote(sink.table + "_hits"))
                    .get(0).get(0))).as("row 500 was written again after the restart").isGreaterThanOrEqualTo(2);
            var metrics = metrics(name(sink.table));
            System.out.printf("JDBC SINK POSTGRES RESTART: 1,001 rows = 1,001 distinct ids, task RUNNING; metrics %s%n", metrics);
            assertThat((Long) metrics.get("Retries")).as("retried while the server was away").isBetween(1L, 10L);
            assertThat(metrics.get("RecordsUpserted")).as("rows count once, when committed").isEqualTo(1001L);
            assertThat(metrics.get("RecordsReportedToDlq")).isEqualTo(0L);
            connect.delete(name(sink.table));
        } finally {
            PostgresServer.ensureUp();
        }
    }

    /**
     * A sink plain-inserting 1,000 records (ids 1..1000, no key) into a PostgreSQL table whose trigger stalls the
     * first insert of id 500 for 60 s (a sequence counts the attempts, outside every transaction): returned once
     * the task's transaction is stalled there, in the middle of its batch.
     */
    private StalledSink stalledSink(String prefix) throws Exception {
        TestDatabases db = TestDatabases.POSTGRES;
        String table = table(db, prefix);
        String app = "onramp-" + table;
        String q = db.quote(table);
        db.execute("CREATE TABLE " + q + " (id BIGINT NOT NULL, name TEXT)",
                "CREATE SEQUENCE " + db.quote(table + "_hits"),
                "CREATE FUNCTION " + db.quote(table + "_stall") + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                        + "IF NEW.id = 500 AND nextval('" + table + "_hits') = 1 THEN PERFORM pg_sleep(60); END IF; "
                        + "RETURN NEW; END $$",
                "CREATE TRIGGER stall BEFORE INSERT ON " + q + " FOR EACH ROW EXECUTE FUNCTION " + db.quote(table + "_stall") + "()");
        cleanup.add(() -> db.execute("DROP FUNCTION IF EXISTS " + db.quote(table + "_stall") + "() CASCADE",
                "DROP SEQUENCE IF EXISTS " + db.quote(table + "_hits")));
        String topic = topic(table);
        ObjectNode row = field(field(struct("Row", false), "id", "int64", false), "name", "string", true);
        List<String[]> records = new ArrayList<>();
        for (int i = 1; i <= 1000; i++) {
            records.add(kv(null, record(row, Map.of("id", i, "name", "row " + i))));
        }
        produce(topic, records);

        Map<String, String> extra = new HashMap<>();
        extra.put("connection.url", db.url() + (db.url().contains("?") ? "&" : "?") + "ApplicationName=" + app);
        extra.put("insert.mode", "insert");
        extra.put("primary.key.mode", "none");
        extra.put("delete.enabled", "false");
        extra.put("retry.backoff.ms", "500");
        // while the server restarts, a new connection is tried every 500 ms (the default waits 10 s)
        extra.put("connection.attempts", "20");
        extra.put("connection.backoff.ms", "500");
        connect.create(name(table), sinkConfig(db, topic, table, extra));

        Awaitility.await("the task's transaction stalls on row 500").atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> count(db, "pg_stat_activity", "application_name = '" + app + "' AND wait_event = 'PgSleep'") == 1);
        return new StalledSink(db, table, topic, app, row);
    }

    private final class StalledSink {
        final TestDatabases db;
        final String table;
        final String topic;
        final String app;
        final ObjectNode row;

        StalledSink(TestDatabases db, String table, String topic, String app, ObjectNode row) {
            this.db = db;
            this.table = table;
            this.topic = topic;
            this.app = app;
            this.row = row;
        }

        /** Sends id 1001 as the end marker, waits for it, and checks every id is in the table exactly once. */
        void finish() throws Exception {
            produce(topic, List.<String[]>of(kv(null, record(row, Map.of("id", 1001, "name", "end")))));
            awaitRows(db, table, "id = 1001", 1);
            assertThat(count(db, table, "1 = 1")).isEqualTo(1001);
            assertThat(rows(db, "SELECT count(DISTINCT id), min(id), max(id) FROM " + db.quote(table)))
                    .containsExactly(List.of("1001", "1", "1001"));
            assertThat(connect.cluster().connectorStatus(name(table)).tasks().get(0).state()).isEqualTo("RUNNING");
        }
    }

    /** Table and column names with quotes, spaces, semicolons, comment markers and non-ASCII letters. */
    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void hostileTableAndColumnNamesAreQuoted(TestDatabases db) throws Exception {
        String suffix = TestDatabases.uniqueName("h").substring(2);
        String table = "Rob\"'`; DROP TABLE x;-- " + suffix;
        cleanup.add(() -> db.dropTable(table));
        String topic = "jdbcsinktest-hostile-" + db.name().toLowerCase() + "-" + suffix;
        connect.cluster().kafka().createTopic(topic, 1);
        ObjectNode key = field(struct("Key", false), "sel ect", "int64", false);
        ObjectNode row = struct("Row", false);
        field(row, "sel ect", "int64", false);
        field(row, "we\"ird`col", "string", true);
        field(row, "a;b--", "string", true);
        field(row, "Ünïcödé", "string", true);
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("sel ect", 1);
        value.put("we\"ird`col", "'); DROP TABLE y; --");
        value.put("a;b--", "x");
        value.put("Ünïcödé", "ü");
        produce(topic, List.<String[]>of(kv(record(key, Map.of("sel ect", 1)), record(row, value))));

        Map<String, String> extra = new HashMap<>();
        extra.put("auto.create", "true");
        extra.put("table.name.format", table);
        connect.create("hostile-" + db.name().toLowerCase(), sinkConfig(db, topic, table, extra));
        awaitRows(db, table, db.quote("sel ect") + " = 1", 1);
        assertThat(rows(db, "SELECT " + db.quote("we\"ird`col") + ", " + db.quote("a;b--") + ", " + db.quote("Ünïcödé")
                + " FROM " + db.quote(table))).containsExactly(List.of("'); DROP TABLE y; --", "x", "ü"));
        connect.delete("hostile-" + db.name().toLowerCase());
    }

    // ---------------------------------------------------------------- helpers

    /** Every attribute of the task's JMX bean, read from the platform MBeanServer the embedded worker runs in. */
    private static Map<String, Object> metrics(String connector) throws Exception {
        ObjectName bean = bean(connector);
        Awaitility.await("the metrics bean of " + connector).atMost(DEADLINE).until(() -> JMX.isRegistered(bean));
        Map<String, Object> values = new TreeMap<>();
        for (MBeanAttributeInfo attribute : JMX.getMBeanInfo(bean).getAttributes()) {
            values.put(attribute.getName(), JMX.getAttribute(bean, attribute.getName()));
        }
        return values;
    }

    private static void awaitBeanGone(String connector) {
        Awaitility.await("the metrics bean of " + connector + " unregistered").atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(100)).until(() -> !JMX.isRegistered(bean(connector)));
    }

    private static ObjectName bean(String connector) throws Exception {
        return new ObjectName("io.onramp.connect:type=jdbc-sink-task-metrics,connector=" + connector + ",task=0");
    }

    private Map<String, String> sinkConfig(TestDatabases db, String topic, String table, Map<String, String> extra) {
        var example = ConfigExamples.load(db == TestDatabases.POSTGRES ? "jdbc-sink-postgresql.json" : "jdbc-sink-mariadb.json",
                Paths.get("target", "jdbc-sink-examples"));
        Map<String, String> config = new LinkedHashMap<>(example.config());
        config.keySet().removeIf(k -> k.startsWith("errors.") || k.startsWith("contract.") || k.startsWith("fields.")
                || k.equals("primary.key.fields"));
        config.putAll(db.connectionProps());
        config.put("tasks.max", "1");
        config.put("topics", topic);
        config.put("table.name.format", table);
        config.put("auto.create", "false");
        config.put("auto.evolve", "false");
        config.put("retry.backoff.ms", "500");
        config.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("key.converter.schemas.enable", "true");
        config.putAll(extra);
        return config;
    }

    private String table(TestDatabases db, String prefix) {
        String table = TestDatabases.uniqueName(prefix + "_" + (db == TestDatabases.POSTGRES ? "pg" : "maria"));
        cleanup.add(() -> db.dropTable(table));
        return table;
    }

    private String topic(String table) {
        connect.cluster().kafka().createTopic(table, 1);
        return table;
    }

    private static String name(String table) {
        return "sink-" + table;
    }

    private static String[] kv(String key, String value) {
        return new String[] {key, value};
    }

    private static String key(ObjectNode schema, long id) {
        return record(schema, Map.of(schema.get("fields").get(0).get("field").asText(), id));
    }

    private static Map<String, Object> row(long id, String name, String amount, Long placed) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("name", name);
        row.put("amount", amount == null ? null : new java.math.BigDecimal(amount));
        row.put("placed", placed);
        return row;
    }

    private static String change(ObjectNode schema, String op, Map<String, Object> before, Map<String, Object> after) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("before", before);
        payload.put("after", after);
        payload.put("source", Map.of("file", "dump.csv"));
        payload.put("op", op);
        payload.put("ts_ms", 1L);
        return record(schema, payload);
    }

    private static String dbz(ObjectNode schema, String op, Map<String, Object> before, Map<String, Object> after,
            Map<String, Object> source) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("before", before);
        payload.put("after", after);
        payload.put("source", source);
        payload.put("op", op);
        payload.put("ts_ms", 1_700_000_000_500L);
        payload.put("transaction", null);
        return record(schema, payload);
    }

    private void produce(String topic, List<String[]> records) throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put("linger.ms", "20");
        try (KafkaProducer<byte[], byte[]> producer = connect.cluster().kafka().createProducer(props)) {
            for (String[] kv : records) {
                producer.send(new ProducerRecord<>(topic, 0, bytes(kv[0]), bytes(kv[1])));
            }
            producer.flush();
        }
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    private void awaitRows(TestDatabases db, String table, String where, long expected) {
        Awaitility.await("rows of " + table + " where " + where).atMost(DEADLINE).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    failIfTaskFailed();
                    try {
                        return count(db, table, where) == expected;
                    } catch (SQLException e) {
                        return false; // auto.create has not created the table yet
                    }
                });
    }

    private void failIfTaskFailed() {
        for (String name : connect.cluster().connectors()) {
            var status = connect.cluster().connectorStatus(name);
            status.tasks().forEach(task -> {
                if ("FAILED".equals(task.state()) && !name.contains("jdbcsinktest_fail")) {
                    throw new AssertionError("task of " + name + " failed: " + task.trace());
                }
            });
        }
    }

    private void awaitCommittedOffset(String connector, String topic, long offset) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", connect.cluster().kafka().bootstrapServers()))) {
            Awaitility.await("committed offset of " + connector).atMost(DEADLINE).pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("connect-" + connector)
                                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                        OffsetAndMetadata committed = offsets.get(new TopicPartition(topic, 0));
                        return committed != null && committed.offset() == offset;
                    });
        }
    }

    private static long count(TestDatabases db, String table, String where) throws SQLException {
        String from = table.equals("pg_stat_activity") ? table : db.quote(table);
        return Long.parseLong(rows(db, "SELECT count(*) FROM " + from + " WHERE " + where).get(0).get(0));
    }

    private static List<List<String>> rows(TestDatabases db, String sql) throws SQLException {
        try (Connection c = db.open(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<List<String>> rows = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.add(String.valueOf(rs.getObject(i)));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private static Map<String, String> columnTypes(TestDatabases db, String table) throws SQLException {
        Map<String, String> types = new TreeMap<>();
        for (List<String> row : rows(db, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '"
                + table + "'")) {
            types.put(row.get(0), row.get(1));
        }
        return types;
    }
}
