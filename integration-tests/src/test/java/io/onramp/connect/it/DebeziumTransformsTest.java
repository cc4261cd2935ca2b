package io.onramp.connect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Debezium's real PostgreSQL connector, loaded from its own plugin directory, runs in the same Connect cluster as
 * the packaged Onramp plugin, with Onramp's transforms in its config: row changes arrive unwrapped by
 * ChangeEventUnwrap, outbox inserts arrive routed by OutboxRouter with the payload typed by the contract. Debezium's
 * MySQL connector against the local MariaDB 10.11 is refused by Debezium itself (pinned below). One cluster for all,
 * to keep CI short.
 */
class DebeziumTransformsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private static OnrampConnect connect;
    private static final List<String> slots = new ArrayList<>();

    @BeforeAll
    static void startConnect() {
        connect = OnrampConnect.start("debezium", false, DebeziumPlugins.workerProps());
    }

    @AfterAll
    static void stop() {
        try {
            if (connect != null) {
                connect.close();
            }
        } finally {
            for (String slot : slots) {
                dropSlot(slot);
            }
        }
    }

    /** Debezium's connector config for a table list, with its own slot, publication and topic prefix. */
    private static Map<String, String> postgresConnector(String prefix, String tables) {
        var config = new HashMap<String, String>();
        config.put("connector.class", DebeziumPlugins.POSTGRES_CONNECTOR);
        config.put("tasks.max", "1");
        config.put("plugin.name", "pgoutput");
        config.put("slot.name", prefix);
        config.put("publication.name", prefix + "_pub");
        config.put("publication.autocreate.mode", "filtered");
        config.put("database.hostname", "127.0.0.1");
        config.put("database.port", "5432");
        config.put("database.user", TestDatabases.user());
        config.put("database.password", TestDatabases.password());
        config.put("database.dbname", "test");
        config.put("topic.prefix", prefix);
        config.put("table.include.list", tables);
        config.put("topic.creation.default.replication.factor", "1");
        config.put("topic.creation.default.partitions", "1");
        slots.add(prefix);
        return config;
    }

    @Test
    void insertUpdateDeleteArriveAsStateRecordsThroughChangeEventUnwrap() throws Exception {
        String prefix = TestDatabases.uniqueName("dbzunwrap");
        try (var table = TestDatabases.POSTGRES.createTable("debeziumtransforms_customers",
                "id INT PRIMARY KEY, name TEXT, region TEXT")) {
            TestDatabases.POSTGRES.execute("INSERT INTO " + table.quoted() + " VALUES (1, 'Ann', 'north')");
            var config = postgresConnector(prefix, "public." + table.name());
            config.put("transforms", "unwrap");
            config.put("transforms.unwrap.type", "io.onramp.connect.transforms.cdc.ChangeEventUnwrap");
            config.put("transforms.unwrap.add.fields", "table");
            config.put("transforms.unwrap.add.headers", "op,source.lsn");
            config.put("transforms.unwrap.connector.name", prefix);
            connect.create(prefix, config);
            connect.awaitRunning(prefix, 1);
            String topic = prefix + ".public." + table.name();
            // The snapshot's row proves the slot exists: every later change is streamed.
            assertThat(connect.read(topic, 1, DEADLINE, false)).as("snapshot of %s", topic).hasSize(1);

            TestDatabases.POSTGRES.execute(
                    "UPDATE " + table.quoted() + " SET name = 'Bo' WHERE id = 1",
                    "INSERT INTO " + table.quoted() + " VALUES (2, 'Cy', 'south')",
                    "DELETE FROM " + table.quoted() + " WHERE id = 1",
                    "INSERT INTO " + table.quoted() + " VALUES (99, 'end', 'marker')");
            List<ConsumerRecord<byte[], byte[]>> records = untilMarker(topic, 99, "id");
            try {
                assertThat(records).hasSize(5); // r 1, u 1, c 2, d 1 (a null value; Debezium's tombstone dropped), c 99
                assertThat(ops(records)).containsExactly("r", "u", "c", "d", "c");
                assertThat(Records.payload(records.get(0)).path("name").asText()).isEqualTo("Ann");
                assertThat(Records.payload(records.get(1)).path("name").asText()).isEqualTo("Bo");
                assertThat(Records.payload(records.get(1)).path("__table").asText()).isEqualTo(table.name());
                assertThat(Records.payload(records.get(1)).has("before")).isFalse();
                assertThat(Records.payload(records.get(2)).path("region").asText()).isEqualTo("south");
                // 'tombstone' mode, as Debezium's: the delete is a null value that keeps the row schema, so a converter
                // with schemas writes a null payload (delete-to-tombstone gives a Kafka tombstone instead).
                assertThat(Records.value(records.get(3)).path("payload").isNull()).as("the delete is a null value").isTrue();
                assertThat(new String(records.get(3).key())).contains("\"id\":1");
                assertThat(Records.header(records.get(4), "__source_lsn")).isNotBlank();

                // The transform's bean in the worker's JVM: the marker came out after everything before it went through.
                ObjectName bean = onlyBean(prefix, "ChangeEventUnwrap");
                assertThat(JMX.getAttribute(bean, "RecordsUnwrapped")).as("r 1, u 1, c 2, c 99").isEqualTo(4L);
                assertThat(JMX.getAttribute(bean, "DeletesTombstoned")).isEqualTo(1L);
                assertThat(JMX.getAttribute(bean, "TombstonesDropped")).as("Debezium's tombstone after the delete").isEqualTo(1L);
                assertThat(JMX.getAttribute(bean, "DeletesDropped")).isEqualTo(0L);
                assertThat(JMX.getAttribute(bean, "DeletesRewritten")).isEqualTo(0L);
            } finally {
                connect.delete(prefix);
            }
            awaitNoBean(prefix);
        }
    }

    @Test
    void outboxInsertsArriveRoutedWithThePayloadTypedByTheContract() throws Exception {
        String prefix = TestDatabases.uniqueName("dbzoutbox");
        Path contracts = Files.createTempDirectory("debezium-outbox-contracts");
        Files.createDirectories(contracts.resolve("sales/order"));
        Files.writeString(contracts.resolve("sales/order/v1.avsc"), """
                {"type": "record", "name": "Order", "namespace": "sales",
                 "fields": [
                   {"name": "orderId", "type": "long"},
                   {"name": "qty", "type": "int", "onramp.rules": {"min": 1}},
                   {"name": "status", "type": "string", "onramp.rules": {"enum": ["NEW", "PAID"]}},
                   {"name": "note", "type": ["null", "string"], "default": null}
                 ]}""");
        try (var outbox = TestDatabases.POSTGRES.createTable("debeziumtransforms_outbox",
                "id TEXT PRIMARY KEY, aggregatetype TEXT NOT NULL, aggregateid TEXT NOT NULL, type TEXT NOT NULL,"
                        + " payload JSONB, created_at TIMESTAMPTZ NOT NULL")) {
            var config = postgresConnector(prefix, "public." + outbox.name());
            config.put("transforms", "outbox");
            config.put("transforms.outbox.type", "io.onramp.connect.transforms.outbox.OutboxRouter");
            config.put("transforms.outbox.contract.dir", contracts.toString());
            config.put("transforms.outbox.contract.domain", "sales");
            config.put("transforms.outbox.route.topic.pattern", prefix + ".${domain}.${aggregate}.events");
            config.put("transforms.outbox.table.field.event.timestamp", "created_at");
            config.put("transforms.outbox.table.fields.additional.placement", "type:header:eventType");
            config.put("transforms.outbox.on.invalid", "quarantine");
            config.put("transforms.outbox.connector.name", prefix);
            connect.create(prefix, config);
            connect.awaitRunning(prefix, 1);
            String topic = prefix + ".sales.order.events";
            insertOutbox(outbox, "e-0", "0", "{\"orderId\": 0, \"qty\": 1, \"status\": \"NEW\"}");
            assertThat(connect.read(topic, 1, DEADLINE, false)).as("first routed event").hasSize(1);

            // The application's usual pattern: insert, then delete the row. Then one that breaks the contract, then
            // the end marker.
            insertOutbox(outbox, "e-1", "41", "{\"status\": \"PAID\", \"qty\": 3, \"orderId\": 41, \"extra\": true}");
            TestDatabases.POSTGRES.execute("DELETE FROM " + outbox.quoted() + " WHERE id = 'e-1'");
            insertOutbox(outbox, "e-2", "42", "{\"orderId\": 42, \"qty\": 0, \"status\": \"NEW\"}");
            insertOutbox(outbox, "e-9", "99", "{\"orderId\": 99, \"qty\": 1, \"status\": \"NEW\"}");
            List<ConsumerRecord<byte[], byte[]>> records = untilMarker(topic, 99, "orderId");
            try {
                assertThat(records).hasSize(3); // e-0, e-1, e-9: the delete dropped, e-2 quarantined
                assertThat(records).extracting(r -> Records.header(r, "id")).containsExactly("e-0", "e-1", "e-9");
                ConsumerRecord<byte[], byte[]> e1 = records.get(1);
                assertThat(new String(e1.key())).isEqualTo("\"41\"");
                assertThat(Records.header(e1, "eventType")).isEqualTo("OrderPaid");
                assertThat(e1.timestamp()).isEqualTo(1_767_225_600_000L + 41_000L);
                JsonNode payload = Records.payload(e1);
                assertThat(payload.path("orderId").asLong()).isEqualTo(41L);
                assertThat(payload.has("extra")).as("fields outside the contract are not published").isFalse();
                assertThat(Records.fieldSchema(e1, "qty").path("type").asText()).as("typed by the contract").isEqualTo("int32");
                assertThat(Records.fieldSchema(e1, "orderId").path("type").asText()).isEqualTo("int64");
                assertThat(Records.value(e1).path("schema").path("name").asText()).isEqualTo("sales.Order");

                List<ConsumerRecord<byte[], byte[]>> quarantined = connect.read(topic + ".quarantine", 1, DEADLINE, false);
                assertThat(quarantined).hasSize(1);
                assertThat(Records.header(quarantined.get(0), "onramp.quarantine.rule")).isEqualTo("min");
                assertThat(Records.header(quarantined.get(0), "id")).isEqualTo("e-2");

                ObjectName bean = onlyBean(prefix, "OutboxRouter");
                assertThat(JMX.getAttribute(bean, "RecordsRouted")).as("e-0, e-1, e-2 (then quarantined), e-9").isEqualTo(4L);
                assertThat(JMX.getAttribute(bean, "OutboxOperationsDropped")).as("the DELETE of e-1").isEqualTo(1L);
                assertThat(JMX.getAttribute(bean, "RecordsQuarantined")).isEqualTo(1L);
                assertThat(JMX.getAttribute(bean, "RecordsDropped")).isEqualTo(0L);
            } finally {
                connect.delete(prefix);
            }
            awaitNoBean(prefix);
        }
    }

    /**
     * Debezium 3.6.1's MySQL connector cannot read MariaDB 10.11: it takes the server's version (10.11) for a MySQL
     * version of at least 8.2 and asks for {@code SHOW BINARY LOG STATUS}, which MariaDB does not know (it has
     * {@code SHOW MASTER STATUS} / {@code SHOW BINLOG STATUS}); the connector's own validation refuses the config, so
     * no task ever starts. Debezium's separate MariaDB connector is not served by the registry here. MariaDB is
     * covered by Onramp's outbox source instead. This test pins the refusal, so that a Debezium that fixes it shows up.
     */
    @Test
    void debeziumsMySqlConnectorRefusesMariaDb1011OnBinaryLogStatus() {
        String prefix = TestDatabases.uniqueName("dbzmaria");
        try (var table = TestDatabases.MARIADB.createTable("debeziumtransforms_items", "id INT PRIMARY KEY, name VARCHAR(40)")) {
            var config = new HashMap<String, String>();
            config.put("name", prefix);
            config.put("connector.class", DebeziumPlugins.MYSQL_CONNECTOR);
            config.put("tasks.max", "1");
            config.put("database.hostname", "127.0.0.1");
            config.put("database.port", "3306");
            config.put("database.user", TestDatabases.user());
            config.put("database.password", TestDatabases.password());
            config.put("database.server.id", Long.toString(10_000 + (System.nanoTime() & 0xffff)));
            config.put("topic.prefix", prefix);
            config.put("database.include.list", "test");
            config.put("table.include.list", "test." + table.name());
            config.put("snapshot.locking.mode", "none");
            config.put("schema.history.internal.kafka.bootstrap.servers", connect.cluster().kafka().bootstrapServers());
            config.put("schema.history.internal.kafka.topic", prefix + "-history");
            config.put("transforms", "unwrap");
            config.put("transforms.unwrap.type", "io.onramp.connect.transforms.cdc.ChangeEventUnwrap");
            List<String> errors = errors(connect.cluster().validateConnectorConfig(DebeziumPlugins.MYSQL_CONNECTOR, config));
            assertThat(String.join("\n", errors)).contains("SHOW BINARY LOG STATUS").contains("MariaDB");
        }
    }

    @Test
    void theDebeziumConfigExamplesValidateAgainstTheRealWorker() {
        for (String file : List.of("debezium-postgres-outbox.json", "debezium-postgres-unwrap.json")) {
            var example = ConfigExamples.load(file, Path.of("target"));
            ConfigInfos result = connect.cluster().validateConnectorConfig(example.connectorClass(),
                    example.with("name", example.name()).config());
            assertThat(errors(result)).as(file).isEmpty();
        }
    }

    @Test
    void debeziumJarsNeverEnterOnrampsPluginArchive() throws Exception {
        try (Stream<Path> files = Files.walk(OnrampConnect.pluginPath())) {
            assertThat(files.filter(DebeziumPlugins::isDebeziumJar).toList()).isEmpty();
        }
        try (Stream<Path> files = Files.walk(DebeziumPlugins.directory())) {
            assertThat(files.filter(DebeziumPlugins::isDebeziumJar).count()).isGreaterThan(3);
        }
    }

    /** The errors of a validate answer; keys the connector's validate() left without a value have none. */
    private static List<String> errors(ConfigInfos result) {
        var errors = new ArrayList<String>();
        for (ConfigInfo info : result.configs()) {
            if (info.configValue() != null) {
                info.configValue().errors().forEach(e -> errors.add(info.configValue().name() + ": " + e));
            }
        }
        return errors;
    }

    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    /** The one transform bean of a connector's single task, in this JVM (the embedded worker's). */
    private static ObjectName onlyBean(String connector, String transform) throws Exception {
        Set<ObjectName> beans = JMX.queryNames(new ObjectName("io.onramp.connect:type=transform-metrics,connector="
                + connector + ",transform=" + transform + ",*"), null);
        assertThat(beans).as("%s beans of %s", transform, connector).hasSize(1);
        return beans.iterator().next();
    }

    /** Deleting the connector closes its transforms, which unregister their beans. */
    private static void awaitNoBean(String connector) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(
                JMX.queryNames(new ObjectName("io.onramp.connect:connector=" + connector + ",*"), null)).isEmpty());
    }

    private static void insertOutbox(TestDatabases.Table outbox, String id, String aggregateId, String payload) {
        String type = payload.contains("PAID") ? "OrderPaid" : "OrderCreated";
        // created_at: 2026-01-01T00:00:00Z plus the aggregate id in seconds, so each timestamp is known
        TestDatabases.POSTGRES.execute("INSERT INTO " + outbox.quoted() + " VALUES ('" + id + "', 'order', '" + aggregateId
                + "', '" + type + "', '" + payload + "'::jsonb, TIMESTAMPTZ '2026-01-01 00:00:00+00' + INTERVAL '"
                + aggregateId + " seconds')");
    }

    /** Reads the topic until a record whose value has {@code field} = {@code marker}; fails at the deadline. */
    static List<ConsumerRecord<byte[], byte[]>> untilMarker(String topic, long marker, String field) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        List<ConsumerRecord<byte[], byte[]>> records = List.of();
        while (System.nanoTime() < deadline) {
            records = connect.read(topic, Integer.MAX_VALUE, Duration.ofSeconds(3), false);
            if (records.stream().anyMatch(r -> r.value() != null && Records.payload(r).path(field).asLong(-1) == marker)) {
                return records;
            }
        }
        throw new AssertionError("no end marker on " + topic + " within " + DEADLINE + "; read " + records.size());
    }

    private static List<String> ops(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> Records.header(r, "__op")).toList();
    }

    /** Drops the slot once its connector let go of it (a stopped task releases it within seconds). */
    private static void dropSlot(String slot) {
        try (Connection c = TestDatabases.POSTGRES.open()) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .alias("replication slot " + slot + " released by its stopped connector")
                    .until(() -> !slotActive(c, slot));
            try (var s = c.prepareStatement("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                    + " WHERE slot_name = ?")) {
                s.setString(1, slot);
                s.execute();
            }
            try (var s = c.createStatement()) {
                s.execute("DROP PUBLICATION IF EXISTS " + TestDatabases.POSTGRES.quote(slot + "_pub"));
            }
        } catch (SQLException e) {
            throw new AssertionError("could not drop replication slot " + slot + ": " + e.getMessage(), e);
        }
    }

    private static boolean slotActive(Connection c, String slot) throws SQLException {
        try (var s = c.prepareStatement("SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
            s.setString(1, slot);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
