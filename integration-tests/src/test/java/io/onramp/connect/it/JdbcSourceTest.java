package io.onramp.connect.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The JDBC source in a real Connect cluster (an exactly-once worker) on the real PostgreSQL and MariaDB: types,
 * validation, hostile identifiers, custom queries, tables over tasks, schema changes, a dropped table, and mode
 * bulk-diff.
 */
class JdbcSourceTest {

    private static final String CONNECTOR = "io.onramp.connect.source.jdbc.JdbcSourceConnector";
    private static final String SECRET = "Sup3r-S3cret-pw!";
    private static OnrampConnect connect;

    @BeforeAll
    static void startConnect() {
        // Exactly-once on: mode bulk-diff's runs are one transaction each; the other modes run as on any worker.
        connect = OnrampConnect.start("jdbc-source", true);
    }

    @AfterAll
    static void stopConnect() {
        connect.close();
    }

    static Map<String, String> config(TestDatabases db, String mode, String prefix) {
        Map<String, String> config = new HashMap<>(db.connectionProps());
        config.put("connector.class", CONNECTOR);
        config.put("tasks.max", "1");
        config.put("mode", mode);
        config.put("topic.prefix", prefix);
        config.put("poll.interval.ms", "200");
        config.put("topic.creation.default.replication.factor", "1");
        config.put("topic.creation.default.partitions", "1");
        return config;
    }

    private static List<JsonNode> payloads(String topic, int count) {
        List<ConsumerRecord<byte[], byte[]>> records = connect.read(topic, count, Duration.ofSeconds(120), false);
        // the statuses only on failure: a connector just created has none yet
        assertThat(records).as(() -> "records on " + topic + "; connectors: " + statuses()).hasSizeGreaterThanOrEqualTo(count);
        return records.stream().map(Records::payload).toList();
    }

    private static String statuses() {
        var out = new StringBuilder();
        for (String name : connect.cluster().connectors()) {
            org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo status;
            try {
                status = connect.cluster().connectorStatus(name);
            } catch (org.apache.kafka.connect.runtime.rest.errors.ConnectRestException e) {
                out.append(name).append("=no status yet; ");
                continue;
            }
            out.append(name).append('=').append(status.connector().state());
            status.tasks().forEach(t -> out.append(" task ").append(t.id()).append(' ').append(t.state())
                    .append(t.trace() == null ? "" : ": " + t.trace().lines().limit(12).toList()));
            out.append("; ");
        }
        return out.toString();
    }

    private static Map<String, JsonNode> schemas(String topic) {
        var record = connect.read(topic, 1, Duration.ofSeconds(60), false).get(0);
        Map<String, JsonNode> out = new TreeMap<>();
        Records.value(record).path("schema").path("fields").forEach(f -> out.put(f.path("field").asText(), f));
        return out;
    }

    private static long epochMs(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    // ---------------------------------------------------------------- types

    @Test
    void postgresTypesArriveAsTheReadmeTableSays() {
        var db = TestDatabases.POSTGRES;
        try (var table = db.createTable("jdbcsourcetest_types", "id INT PRIMARY KEY, c_smallint SMALLINT, c_int INT, c_bigint BIGINT, "
                + "c_numeric NUMERIC(12,3), c_numeric_free NUMERIC, c_real REAL, c_double DOUBLE PRECISION, c_bool BOOLEAN, "
                + "c_char CHAR(3), c_varchar VARCHAR(20), c_text TEXT, c_date DATE, c_time TIME(3), c_ts TIMESTAMP(3), "
                + "c_tstz TIMESTAMPTZ(3), c_uuid UUID, c_json JSON, c_jsonb JSONB, c_int_array INT[], c_text_array TEXT[], c_bytea BYTEA")) {
            db.execute("INSERT INTO " + table.quoted() + " VALUES (1, -32768, 2147483647, 9223372036854775807, 12345.678, "
                    + "0.000000000000000000001, 1.5, 2.25, true, 'ab', 'vär', 'long text', DATE '2024-02-29', TIME '13:45:30.123', "
                    + "TIMESTAMP '2024-02-29 13:45:30.123', TIMESTAMPTZ '2024-02-29 13:45:30.123+05:00', "
                    + "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"a\": [1, 2]}', '{\"b\":  true}', '{1,2,NULL}', '{x,\"y z\"}', "
                    + "'\\xDEADBEEF')",
                    "INSERT INTO " + table.quoted() + " (id) VALUES (2)");
            var config = config(db, "bulk", "types.");
            config.put("table.include.list", table.name());
            config.put("db.timezone", "Europe/Berlin");
            connect.create("pg-types", config);
            String topic = "types." + table.name();
            List<JsonNode> rows = payloads(topic, 2);
            JsonNode row = rows.stream().filter(r -> r.path("id").asInt() == 1).findFirst().orElseThrow();
            JsonNode nulls = rows.stream().filter(r -> r.path("id").asInt() == 2).findFirst().orElseThrow();
            assertThat(row.path("c_smallint").asInt()).isEqualTo(-32768);
            assertThat(row.path("c_int").asInt()).isEqualTo(2147483647);
            assertThat(row.path("c_bigint").asLong()).isEqualTo(9223372036854775807L);
            assertThat(row.path("c_numeric").decimalValue()).isEqualByComparingTo("12345.678");
            assertThat(row.path("c_numeric_free").asText()).isEqualTo("0.000000000000000000001");
            assertThat(row.path("c_real").asDouble()).isEqualTo(1.5);
            assertThat(row.path("c_double").asDouble()).isEqualTo(2.25);
            assertThat(row.path("c_bool").asBoolean()).isTrue();
            assertThat(row.path("c_char").asText()).isEqualTo("ab ");
            assertThat(row.path("c_varchar").asText()).isEqualTo("vär");
            assertThat(row.path("c_text").asText()).isEqualTo("long text");
            assertThat(row.path("c_date").asInt()).isEqualTo((int) LocalDate.parse("2024-02-29").toEpochDay());
            assertThat(row.path("c_time").asLong()).isEqualTo(LocalTime.parse("13:45:30.123").toNanoOfDay() / 1_000_000);
            assertThat(row.path("c_ts").asLong()).as("wall clock read in db.timezone Europe/Berlin (UTC+1 in February)")
                    .isEqualTo(epochMs("2024-02-29T12:45:30.123Z"));
            assertThat(row.path("c_tstz").asLong()).isEqualTo(epochMs("2024-02-29T08:45:30.123Z"));
            assertThat(row.path("c_uuid").asText()).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
            assertThat(row.path("c_json").asText()).isEqualTo("{\"a\": [1, 2]}");
            assertThat(row.path("c_jsonb").asText()).isEqualTo("{\"b\": true}");
            assertThat(row.path("c_int_array").toString()).isEqualTo("[1,2,null]");
            assertThat(row.path("c_text_array").toString()).isEqualTo("[\"x\",\"y z\"]");
            assertThat(row.path("c_bytea").asText()).isEqualTo(Base64.getEncoder().encodeToString(new byte[] {(byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF}));
            nulls.fields().forEachRemaining(f -> {
                if (!f.getKey().equals("id")) {
                    assertThat(f.getValue().isNull()).as("NULL in %s", f.getKey()).isTrue();
                }
            });
            Map<String, JsonNode> schema = schemas(topic);
            assertThat(schema.get("c_smallint").path("type").asText()).isEqualTo("int16");
            assertThat(schema.get("c_numeric").path("name").asText()).isEqualTo("org.apache.kafka.connect.data.Decimal");
            assertThat(schema.get("c_numeric").path("parameters").path("scale").asText()).isEqualTo("3");
            assertThat(schema.get("c_numeric_free").path("type").asText()).isEqualTo("string");
            assertThat(schema.get("c_real").path("type").asText()).isEqualTo("float");
            assertThat(schema.get("c_date").path("name").asText()).isEqualTo("org.apache.kafka.connect.data.Date");
            assertThat(schema.get("c_time").path("name").asText()).isEqualTo("org.apache.kafka.connect.data.Time");
            assertThat(schema.get("c_tstz").path("name").asText()).isEqualTo("org.apache.kafka.connect.data.Timestamp");
            assertThat(schema.get("c_int_array").path("type").asText()).isEqualTo("array");
            assertThat(schema.get("c_int_array").path("items").path("type").asText()).isEqualTo("int32");
            assertThat(schema.get("c_bytea").path("type").asText()).isEqualTo("bytes");
            assertThat(schema.get("id").path("optional").asBoolean()).isFalse();
            assertThat(schema.get("c_int").path("optional").asBoolean()).isTrue();
            connect.delete("pg-types");
        }
    }

    @Test
    void mariadbTypesArriveAsTheReadmeTableSays() {
        var db = TestDatabases.MARIADB;
        try (var table = db.createTable("jdbcsourcetest_types", "id INT PRIMARY KEY, c_tinyint TINYINT, c_tinyint_u TINYINT UNSIGNED, "
                + "c_smallint_u SMALLINT UNSIGNED, c_int_u INT UNSIGNED, c_bigint BIGINT, c_bigint_u BIGINT UNSIGNED, "
                + "c_decimal DECIMAL(12,3), c_float FLOAT, c_double DOUBLE, c_bool BOOLEAN, c_char CHAR(3), c_varchar VARCHAR(20), "
                + "c_text TEXT, c_date DATE, c_time TIME(3), c_datetime DATETIME(3), c_timestamp TIMESTAMP(3) NULL, c_json JSON, "
                + "c_uuid UUID, c_blob BLOB")) {
            try (var c = db.open(); var s = c.createStatement()) {
                s.execute("SET time_zone = '+05:00'"); // TIMESTAMP literals below are +05:00 wall-clock times
                s.execute("INSERT INTO " + table.quoted() + " VALUES (1, -128, 255, 65535, 4294967295, -9223372036854775808, "
                        + "18446744073709551615, 12345.678, 1.5, 2.25, true, 'ab', 'vär', 'long text', '2024-02-29', '13:45:30.123', "
                        + "'2024-02-29 13:45:30.123', '2024-02-29 13:45:30.123', '{\"a\": [1, 2]}', "
                        + "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', x'DEADBEEF')");
                s.execute("INSERT INTO " + table.quoted() + " (id) VALUES (2)");
            } catch (java.sql.SQLException e) {
                throw new AssertionError(e);
            }
            var config = config(db, "bulk", "types.");
            config.put("table.include.list", table.name());
            config.put("db.timezone", "Europe/Berlin");
            connect.create("maria-types", config);
            String topic = "types." + table.name();
            List<JsonNode> rows = payloads(topic, 2);
            JsonNode row = rows.stream().filter(r -> r.path("id").asInt() == 1).findFirst().orElseThrow();
            JsonNode nulls = rows.stream().filter(r -> r.path("id").asInt() == 2).findFirst().orElseThrow();
            assertThat(row.path("c_tinyint").asInt()).isEqualTo(-128);
            assertThat(row.path("c_tinyint_u").asInt()).isEqualTo(255);
            assertThat(row.path("c_smallint_u").asInt()).isEqualTo(65535);
            assertThat(row.path("c_int_u").asLong()).isEqualTo(4294967295L);
            assertThat(row.path("c_bigint").asLong()).isEqualTo(Long.MIN_VALUE);
            assertThat(row.path("c_bigint_u").bigIntegerValue()).isEqualTo(new java.math.BigInteger("18446744073709551615"));
            assertThat(row.path("c_decimal").decimalValue()).isEqualByComparingTo("12345.678");
            assertThat(row.path("c_float").asDouble()).isEqualTo(1.5);
            assertThat(row.path("c_double").asDouble()).isEqualTo(2.25);
            assertThat(row.path("c_bool").asBoolean()).isTrue();
            assertThat(row.path("c_char").asText()).isEqualTo("ab");
            assertThat(row.path("c_varchar").asText()).isEqualTo("vär");
            assertThat(row.path("c_text").asText()).isEqualTo("long text");
            assertThat(row.path("c_date").asInt()).isEqualTo((int) LocalDate.parse("2024-02-29").toEpochDay());
            assertThat(row.path("c_time").asLong()).isEqualTo(LocalTime.parse("13:45:30.123").toNanoOfDay() / 1_000_000);
            assertThat(row.path("c_datetime").asLong()).as("DATETIME: wall clock read in db.timezone Europe/Berlin")
                    .isEqualTo(epochMs("2024-02-29T12:45:30.123Z"));
            assertThat(row.path("c_timestamp").asLong()).as("TIMESTAMP: the instant stored (written at +05:00)")
                    .isEqualTo(epochMs("2024-02-29T08:45:30.123Z"));
            assertThat(row.path("c_json").asText()).isEqualTo("{\"a\": [1, 2]}");
            assertThat(row.path("c_uuid").asText()).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
            assertThat(row.path("c_blob").asText()).isEqualTo(Base64.getEncoder().encodeToString(new byte[] {(byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF}));
            nulls.fields().forEachRemaining(f -> {
                if (!f.getKey().equals("id")) {
                    assertThat(f.getValue().isNull()).as("NULL in %s", f.getKey()).isTrue();
                }
            });
            Map<String, JsonNode> schema = schemas(topic);
            assertThat(schema.get("c_tinyint").path("type").asText()).isEqualTo("int8");
            assertThat(schema.get("c_tinyint_u").path("type").asText()).isEqualTo("int16");
            assertThat(schema.get("c_int_u").path("type").asText()).isEqualTo("int64");
            assertThat(schema.get("c_bigint_u").path("name").asText()).isEqualTo("org.apache.kafka.connect.data.Decimal");
            assertThat(schema.get("c_float").path("type").asText()).isEqualTo("float");
            assertThat(schema.get("c_bool").path("type").asText()).isEqualTo("boolean");
            assertThat(schema.get("c_datetime").path("name").asText()).isEqualTo("org.apache.kafka.connect.data.Timestamp");
            assertThat(schema.get("c_blob").path("type").asText()).isEqualTo("bytes");
            connect.delete("maria-types");
        }
    }

    // ---------------------------------------------------------------- bulk

    /**
     * Mode bulk reads its next batch on a thread of its own while the worker sends the last one: each round still
     * delivers every row exactly once, in the order the database returns them, across many batches (the last one
     * partial), and the next round starts again from the first row.
     */
    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void bulkRoundsDeliverEveryRowOnceInTheDatabasesOrderAcrossManyBatches(TestDatabases db) throws Exception {
        int rows = 10_000;
        try (var table = db.createTable("jdbcsourcetest_bulkbatches", "id BIGINT PRIMARY KEY, note VARCHAR(40)")) {
            List<Long> expected = new ArrayList<>();
            try (var c = db.open()) {
                c.setAutoCommit(false);
                try (var insert = c.prepareStatement("INSERT INTO " + table.quoted() + " VALUES (?, ?)")) {
                    for (long id = 1; id <= rows; id++) {
                        insert.setLong(1, id);
                        insert.setString(2, "row " + id);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                c.commit();
                try (var s = c.createStatement(); var rs = s.executeQuery("SELECT id FROM " + table.quoted())) {
                    while (rs.next()) {
                        expected.add(rs.getLong(1)); // the order a plain read of the table returns, as the task reads it
                    }
                }
                c.commit();
            }
            assertThat(expected).hasSize(rows);
            var config = config(db, "bulk", "bulkbatches.");
            config.put("table.include.list", table.name());
            config.put("batch.max.rows", "700"); // 15 batches a round, the last one of 200 rows
            config.put("poll.interval.ms", "2000");
            String name = "bulk-batches-" + db.name().toLowerCase(java.util.Locale.ROOT);
            connect.create(name, config);
            List<ConsumerRecord<byte[], byte[]>> records = connect.read("bulkbatches." + table.name(), 2 * rows,
                    Duration.ofSeconds(180), false);
            connect.delete(name);
            assertThat(records).as("two rounds; connectors: %s", statuses()).hasSizeGreaterThanOrEqualTo(2 * rows);
            List<Long> ids = records.stream().map(r -> Records.payload(r).path("id").asLong()).toList();
            assertThat(ids.subList(0, rows)).as("the first round").containsExactlyElementsOf(expected);
            assertThat(ids.subList(rows, 2 * rows)).as("the second round").containsExactlyElementsOf(expected);
            assertThat(Records.payload(records.get(rows - 1)).path("note").asText()).isEqualTo("row " + expected.get(rows - 1));
        }
    }

    // ---------------------------------------------------------------- validation

    private static Map<String, List<String>> validate(Map<String, String> config) {
        var named = new HashMap<>(config);
        named.put("name", "validate-me");
        ConfigInfos result = connect.cluster().validateConnectorConfig(CONNECTOR, named);
        Map<String, List<String>> errors = new TreeMap<>();
        result.configs().forEach(info -> {
            if (!info.configValue().errors().isEmpty()) {
                errors.put(info.configValue().name(), info.configValue().errors());
            }
        });
        assertThat(errors.toString()).as("no error text holds the password").doesNotContain(SECRET);
        return errors;
    }

    @Test
    void validateNamesTheKeyOfEveryDatabaseProblemWithoutThePassword() {
        try (var pgTable = TestDatabases.POSTGRES.createTable("jdbcsourcetest_validate", "id BIGINT PRIMARY KEY, ts TIMESTAMP, note TEXT");
                var mariaTable = TestDatabases.MARIADB.createTable("jdbcsourcetest_validate", "id BIGINT PRIMARY KEY, ts DATETIME, note TEXT")) {
            var good = config(TestDatabases.MARIADB, "incrementing", "v.");
            good.put("table.include.list", mariaTable.name());
            good.put("incrementing.column.name", "id");
            assertThat(validate(good)).isEmpty();

            var wrongPassword = new HashMap<>(good);
            wrongPassword.put("connection.password", SECRET);
            assertThat(validate(wrongPassword)).containsKeys("connection.password", "connection.user")
                    .extractingByKey("connection.password").asString().contains("refused the login");

            var wrongUser = config(TestDatabases.POSTGRES, "incrementing", "v.");
            wrongUser.put("table.include.list", pgTable.name());
            wrongUser.put("incrementing.column.name", "id");
            wrongUser.put("connection.user", "no_such_user_onramp");
            wrongUser.put("connection.password", SECRET);
            assertThat(validate(wrongUser)).containsKey("connection.user");

            var unreachable = new HashMap<>(good);
            unreachable.put("connection.url", "jdbc:mariadb://127.0.0.1:1/test?connectTimeout=2000");
            unreachable.put("connection.password", SECRET);
            assertThat(validate(unreachable)).containsOnlyKeys("connection.url");

            var missingTable = new HashMap<>(good);
            missingTable.put("table.include.list", "no_such_table_onramp");
            assertThat(validate(missingTable)).containsOnlyKeys("table.include.list");

            var missingColumn = new HashMap<>(good);
            missingColumn.put("incrementing.column.name", "nope");
            assertThat(validate(missingColumn)).containsOnlyKeys("incrementing.column.name")
                    .extractingByKey("incrementing.column.name").asString().contains("nope").contains(mariaTable.name());

            var wrongType = config(TestDatabases.POSTGRES, "timestamp", "v.");
            wrongType.put("table.include.list", pgTable.name());
            wrongType.put("timestamp.column.name", "note");
            assertThat(validate(wrongType)).containsOnlyKeys("timestamp.column.name")
                    .extractingByKey("timestamp.column.name").asString().contains("timestamp or date");

            var badQuery = config(TestDatabases.POSTGRES, "incrementing", "v.q");
            badQuery.put("query", "SELECT id FROM " + pgTable.quoted() + " WHERE nonsense_column > 0");
            badQuery.put("incrementing.column.name", "id");
            assertThat(validate(badQuery)).containsOnlyKeys("query");

            var queryWithoutColumn = config(TestDatabases.POSTGRES, "incrementing", "v.q");
            queryWithoutColumn.put("query", "SELECT note FROM " + pgTable.quoted());
            queryWithoutColumn.put("incrementing.column.name", "id");
            assertThat(validate(queryWithoutColumn)).containsOnlyKeys("incrementing.column.name");

            var modeWithoutColumn = config(TestDatabases.POSTGRES, "timestamp+incrementing", "v.");
            modeWithoutColumn.put("table.include.list", pgTable.name());
            modeWithoutColumn.put("incrementing.column.name", "id");
            assertThat(validate(modeWithoutColumn)).containsOnlyKeys("timestamp.column.name");
        }
    }

    /**
     * numeric.mapping on the real databases: the expected Connect type of each column is derived from the column's
     * precision and scale as the database's own catalog (information_schema) reports them, by the mapping Confluent
     * documents (scale 0 and precision up to 18: INT8 below 3, INT16 below 5, INT32 below 10, else INT64;
     * best_fit also precision up to 18 with a fraction: FLOAT64; anything else Decimal), and PostgreSQL's numeric
     * without precision as README says (STRING, FLOAT64 under best_fit). The values must arrive unchanged.
     */
    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void numericMappingGivesConfluentsTypesForTheColumnsTheDatabaseDescribes(TestDatabases db) throws Exception {
        boolean pg = db == TestDatabases.POSTGRES;
        Map<String, String> values = new java.util.LinkedHashMap<>();
        values.put("n2_0", "NUMERIC(2,0)=-99");
        values.put("n4_0", "NUMERIC(4,0)=9999");
        values.put("n9_0", "NUMERIC(9,0)=-999999999");
        values.put("n18_0", "NUMERIC(18,0)=999999999999999999");
        values.put("n19_0", "NUMERIC(19,0)=9999999999999999999");
        values.put("n10_2", "DECIMAL(10,2)=12345678.91");
        values.put("n18_6", "NUMERIC(18,6)=-123456789012.345678");
        values.put("n30_4", "DECIMAL(30,4)=12345678901234567890123456.7891");
        if (pg) {
            values.put("n_free", "NUMERIC=123.456");
        }
        StringBuilder columns = new StringBuilder("id INT PRIMARY KEY");
        StringBuilder row = new StringBuilder("1");
        values.forEach((column, typeAndValue) -> {
            columns.append(", ").append(column).append(' ').append(typeAndValue.split("=")[0]);
            row.append(", ").append(typeAndValue.split("=")[1]);
        });
        try (var table = db.createTable("jt_numeric", columns.toString())) {
            db.execute("INSERT INTO " + table.quoted() + " VALUES (" + row + ")");
            Map<String, int[]> catalog = new TreeMap<>(); // column -> {precision, scale}, or null precision as -1
            try (var c = db.open(); var ps = c.prepareStatement("SELECT column_name, numeric_precision, numeric_scale "
                    + "FROM information_schema.columns WHERE table_name = ? AND column_name <> 'id'")) {
                ps.setString(1, table.name());
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int precision = rs.getInt(2);
                        precision = rs.wasNull() ? -1 : precision;
                        catalog.put(rs.getString(1).toLowerCase(java.util.Locale.ROOT), new int[] {precision, rs.getInt(3)});
                    }
                }
            }
            assertThat(catalog).containsOnlyKeys(values.keySet());
            for (String mapping : List.of("none", "precision_only", "best_fit")) {
                String prefix = "jt_num_" + mapping + ".";
                var config = config(db, "bulk", prefix);
                config.put("table.include.list", table.name());
                config.put("numeric.mapping", mapping);
                config.put("poll.interval.ms", "60000");
                String name = "jt-numeric-" + mapping.replace('_', '-') + "-" + db.name().toLowerCase();
                connect.create(name, config);
                String topic = prefix + table.name();
                Map<String, JsonNode> schemas = schemas(topic);
                // decimals parsed exactly (a plain ObjectMapper would round them to doubles)
                JsonNode payload = new com.fasterxml.jackson.databind.ObjectMapper()
                        .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                        .readTree(connect.read(topic, 1, Duration.ofSeconds(60), false).get(0).value()).path("payload");
                for (var column : catalog.entrySet()) {
                    String expected = confluentType(mapping, column.getValue()[0], column.getValue()[1]);
                    JsonNode schema = schemas.get(column.getKey());
                    String actual = schema.has("name") ? schema.path("name").asText() : schema.path("type").asText();
                    assertThat(actual).as("%s %s (precision %d, scale %d) under %s", db, column.getKey(), column.getValue()[0],
                            column.getValue()[1], mapping).isEqualTo(expected);
                    String inserted = values.get(column.getKey()).split("=")[1];
                    JsonNode value = payload.path(column.getKey());
                    if (expected.equals("double")) {
                        assertThat(value.asDouble()).as("%s %s under %s", db, column.getKey(), mapping)
                                .isEqualTo(Double.parseDouble(inserted));
                    } else {
                        assertThat(new java.math.BigDecimal(value.asText())).as("%s %s under %s", db, column.getKey(), mapping)
                                .isEqualByComparingTo(inserted);
                    }
                }
                connect.delete(name);
            }
        }
    }

    /** Confluent's documented numeric.mapping, from a column's catalog precision and scale (-1: no precision). */
    private static String confluentType(String mapping, int precision, int scale) {
        if (precision < 0) {
            return mapping.equals("best_fit") ? "double" : "string"; // PostgreSQL numeric: README's choice
        }
        if (!mapping.equals("none") && precision <= 18) {
            if (scale == 0) {
                return precision < 3 ? "int8" : precision < 5 ? "int16" : precision < 10 ? "int32" : "int64";
            }
            if (mapping.equals("best_fit")) {
                return "double";
            }
        }
        return "org.apache.kafka.connect.data.Decimal";
    }

    // ---------------------------------------------------------------- identifiers, queries, tasks, schema, drop

    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void hostileTableAndColumnNamesAreReadAndNothingElseRuns(TestDatabases db) throws Exception {
        String canary = TestDatabases.uniqueName("canary");
        // A line break and a tab too: quoted identifiers may hold them, and the task config must carry them intact.
        String hostile = TestDatabases.uniqueName("ev") + "\"`; DROP TABLE " + canary + ";\n\t--";
        String idColumn = "i\"d`; DROP TABLE " + canary + ";";
        try (var canaryTable = db.createNamedTable(canary, "x INT");
                var table = db.createNamedTable(hostile, db.quote(idColumn) + " BIGINT PRIMARY KEY, " + db.quote("v'al;ue") + " TEXT")) {
            db.execute("INSERT INTO " + table.quoted() + " VALUES (1, 'one'), (2, 'two')");
            var config = config(db, "incrementing", "hostile.");
            config.put("table.include.list", java.util.regex.Pattern.quote(hostile));
            config.put("incrementing.column.name", idColumn);
            assertThat(validate(config)).isEmpty();
            String name = "hostile-" + db.name().toLowerCase();
            connect.create(name, config);
            String topic = ("hostile." + hostile).replaceAll("[^a-zA-Z0-9._-]", "_");
            db.execute("INSERT INTO " + table.quoted() + " VALUES (3, 'three')");
            List<JsonNode> rows = payloads(topic, 3);
            assertThat(rows).extracting(r -> r.path("v'al;ue").asText()).containsExactly("one", "two", "three");
            try (var c = db.open(); var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + canaryTable.quoted())) {
                assertThat(rs.next()).as("the canary table still exists").isTrue();
            }
            connect.delete(name);
        }
    }

    /**
     * The other SQL paths with hostile names: timestamp mode over two timestamp columns (the COALESCE expression),
     * bulk-diff (ordered by the primary key, diffed), and a custom query wrapped as a subquery whose incrementing
     * column is hostile. Each reads the rows right, and the canary table named in the identifiers still exists.
     */
    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void hostileNamesInTimestampBulkDiffAndQueryPathsAreReadAndNothingElseRuns(TestDatabases db) throws Exception {
        String canary = TestDatabases.uniqueName("jt_canary");
        String hostile = TestDatabases.uniqueName("jt_ev") + "\"`; DROP TABLE " + canary + "; --";
        String id = "i\"d`; DROP TABLE " + canary + ";";
        String ts1 = "t\"s1'); DROP TABLE " + canary;
        String ts2 = "t`s2; --";
        String value = "v'al;ue";
        String timestamp = db == TestDatabases.POSTGRES ? "TIMESTAMP(3)" : "DATETIME(3)";
        try (var canaryTable = db.createNamedTable(canary, "x INT");
                var table = db.createNamedTable(hostile, db.quote(id) + " BIGINT PRIMARY KEY, " + db.quote(ts1) + " " + timestamp
                        + " NULL, " + db.quote(ts2) + " " + timestamp + " NULL, " + db.quote(value) + " VARCHAR(40)")) {
            String columns = " (" + db.quote(id) + ", " + db.quote(ts1) + ", " + db.quote(ts2) + ", " + db.quote(value) + ")";
            db.execute("INSERT INTO " + table.quoted() + columns + " VALUES (1, NULL, '2024-01-01 00:00:00', 'one'), "
                    + "(2, '2024-01-02 00:00:00', NULL, 'two'), (3, '2024-01-03 00:00:00', '2024-01-03 00:00:00', 'three')");
            String suffix = db.name().toLowerCase();

            var timestampMode = config(db, "timestamp", "jt_hts.");
            timestampMode.put("table.include.list", java.util.regex.Pattern.quote(hostile));
            timestampMode.put("timestamp.column.name", ts1 + "," + ts2);
            assertThat(validate(timestampMode)).isEmpty();
            connect.create("jt-hostile-ts-" + suffix, timestampMode);

            var bulkDiff = config(db, "bulk-diff", "jt_hbd.");
            bulkDiff.put("table.include.list", java.util.regex.Pattern.quote(hostile));
            bulkDiff.put("snapshot.archive.path", OnrampConnect.createDirectories(archives.resolve("jt-hostile-" + suffix)).toString());
            bulkDiff.put("transaction.boundary", "connector");
            bulkDiff.put("poll.interval.ms", "500");
            assertThat(validate(bulkDiff)).isEmpty();
            connect.create("jt-hostile-bd-" + suffix, bulkDiff);

            var query = config(db, "incrementing", "jt_hq." + suffix);
            query.put("query", "SELECT * FROM " + table.quoted() + " WHERE " + db.quote(value) + " <> 'x''; DROP TABLE " + canary + "; --'");
            query.put("incrementing.column.name", id);
            assertThat(validate(query)).isEmpty();
            connect.create("jt-hostile-q-" + suffix, query);

            String tableTopic = hostile.replaceAll("[^a-zA-Z0-9._-]", "_");
            assertThat(payloads("jt_hts." + tableTopic, 3)).extracting(r -> r.path(value).asText())
                    .as("timestamp mode, in COALESCE(ts1, ts2) order").containsExactly("one", "two", "three");
            assertThat(payloads("jt_hq." + suffix, 3)).extracting(r -> r.path(id).asLong() + " " + r.path(value).asText())
                    .as("custom query").containsExactly("1 one", "2 two", "3 three");
            assertThat(payloads("jt_hbd." + tableTopic, 3)).extracting(r -> r.path("op").asText() + " "
                    + r.path("after").path(id).asLong() + " " + r.path("after").path(value).asText())
                    .as("bulk-diff's first run").containsExactlyInAnyOrder("r 1 one", "r 2 two", "r 3 three");

            db.execute("INSERT INTO " + table.quoted() + columns + " VALUES (4, '2024-01-04 00:00:00', NULL, 'four')",
                    "UPDATE " + table.quoted() + " SET " + db.quote(value) + " = 'TWO' WHERE " + db.quote(id) + " = 2");
            assertThat(payloads("jt_hq." + suffix, 4)).extracting(r -> r.path(id).asLong()).containsExactly(1L, 2L, 3L, 4L);
            assertThat(payloads("jt_hbd." + tableTopic, 5)).extracting(r -> r.path("op").asText() + " "
                    + r.path("after").path(id).asLong() + " " + r.path("after").path(value).asText())
                    .as("bulk-diff's second run").containsExactlyInAnyOrder("r 1 one", "r 2 two", "r 3 three", "u 2 TWO", "c 4 four");
            // PostgreSQL reads a row again in the window of the transaction that updated it (README); MariaDB's
            // timestamp mode sees only the timestamp, which the update left as it was.
            List<String> timestamps = db == TestDatabases.POSTGRES ? List.of("one", "two", "three", "TWO", "four")
                    : List.of("one", "two", "three", "four");
            List<String> read = payloads("jt_hts." + tableTopic, timestamps.size()).stream().map(r -> r.path(value).asText()).toList();
            assertThat(read).as("timestamp mode after an insert and an update").containsExactlyInAnyOrderElementsOf(timestamps);
            assertThat(read.subList(0, 3)).containsExactly("one", "two", "three");
            try (var c = db.open(); var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + canaryTable.quoted())) {
                assertThat(rs.next()).as("the canary table still exists").isTrue();
            }
            for (String name : List.of("jt-hostile-ts-", "jt-hostile-bd-", "jt-hostile-q-")) {
                connect.delete(name + suffix);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void aCustomQueryWithCteUnionWhereAndOrderByIsWrappedAndWorksIncrementally(TestDatabases db) {
        try (var table = db.createTable("jdbcsourcetest_query", "id BIGINT PRIMARY KEY, name VARCHAR(20), hidden INT")) {
            db.execute(inserts(table, 1, 10));
            String t = table.quoted();
            var config = config(db, "incrementing", "");
            String topic = "query." + table.name();
            config.put("topic.prefix", topic);
            config.put("query", "WITH even AS (SELECT id, name FROM " + t + " WHERE MOD(id, 2) = 0 AND hidden = 0) "
                    + "SELECT id, name FROM even UNION ALL SELECT id, name FROM " + t + " WHERE MOD(id, 2) = 1 AND hidden = 0 "
                    + "ORDER BY id DESC;");
            config.put("incrementing.column.name", "id");
            assertThat(validate(config)).isEmpty();
            String name = "query-" + db.name().toLowerCase();
            connect.create(name, config);
            List<JsonNode> first = payloads(topic, 10);
            db.execute(inserts(table, 11, 15));
            db.execute("INSERT INTO " + t + " VALUES (16, 'hidden', 1)", "INSERT INTO " + t + " VALUES (17, 'end', 0)");
            List<JsonNode> all = payloads(topic, 16);
            assertThat(first).hasSizeGreaterThanOrEqualTo(10);
            assertThat(all).extracting(r -> r.path("id").asLong())
                    .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L, 17L);
            assertThat(all.get(0).has("hidden")).as("only the query's columns").isFalse();
            connect.delete(name);
        }
    }

    /**
     * The custom query's source partition is fixed ({"query": "query"}, as Confluent's): a query edited in place
     * (here: a column added) goes on after the last row the old one sent, as README says, re-reading nothing.
     */
    @Test
    void anEditedCustomQueryKeepsItsOffsetAndResumesAfterTheLastRowSent() throws Exception {
        var db = TestDatabases.POSTGRES;
        try (var table = db.createTable("jt_query_edit", "id BIGINT PRIMARY KEY, name VARCHAR(20), hidden INT")) {
            db.execute(inserts(table, 1, 3));
            String topic = "jt_query_edit." + table.name();
            var config = config(db, "incrementing", topic);
            config.put("query", "SELECT id, name FROM " + table.quoted());
            config.put("incrementing.column.name", "id");
            String name = "jt-query-edit";
            connect.create(name, config);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> connect.countCommitted(topic) >= 3);

            // Stopped while it is edited, so that no task of the old query reads the rows inserted meanwhile
            connect.cluster().stopConnector(name);
            connect.cluster().assertions().assertConnectorIsStopped(name, "connector " + name + " did not stop");
            config.put("query", "SELECT id, name, 'edited' AS version FROM " + table.quoted() + " WHERE hidden = 0");
            connect.create(name, config); // PUT: the edited query, the same connector
            db.execute(inserts(table, 4, 5));
            connect.cluster().resumeConnector(name);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> connect.countCommitted(topic) >= 5);
            List<String> read = connect.readToEnd(topic, Duration.ofSeconds(30), true).stream()
                    .map(r -> Records.payload(r).path("id").asLong() + " " + Records.payload(r).path("version").asText("-")).toList();
            assertThat(read).as("rows 1-3 once from the old query, then only the new rows from the edited one")
                    .containsExactly("1 -", "2 -", "3 -", "4 edited", "5 edited");
            connect.delete(name);
        }
    }

    private static String[] inserts(TestDatabases.Table table, int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add("INSERT INTO " + table.quoted() + " VALUES (" + i + ", 'n" + i + "', 0)");
        }
        return out.toArray(String[]::new);
    }

    /**
     * Three tables with 3, 5 and 7 rows over tasks.max 2: each topic gets exactly its table's rows, the tasks'
     * shares (their configs through REST) are disjoint and cover the three, and what each task polled (Connect's own
     * source-record-poll-total per task, over JMX) is exactly the rows of its share.
     */
    @Test
    void tablesAreSpreadOverTasksAndExcludedTablesAreNotRead() throws Exception {
        var db = TestDatabases.MARIADB;
        String prefix = TestDatabases.uniqueName("jt_spread");
        try (var a = db.createNamedTable(prefix + "_a", "id BIGINT PRIMARY KEY, name VARCHAR(20), hidden INT");
                var b = db.createNamedTable(prefix + "_b", "id BIGINT PRIMARY KEY, name VARCHAR(20), hidden INT");
                var c = db.createNamedTable(prefix + "_c", "id BIGINT PRIMARY KEY, name VARCHAR(20), hidden INT");
                var skipped = db.createNamedTable(prefix + "_skip", "id BIGINT PRIMARY KEY, name VARCHAR(20), hidden INT")) {
            Map<String, Integer> rows = Map.of(a.name(), 3, b.name(), 5, c.name(), 7);
            for (var table : List.of(a, b, c)) {
                db.execute(inserts(table, 1, rows.get(table.name())));
            }
            db.execute(inserts(skipped, 1, 2));
            var config = config(db, "incrementing", "spread.");
            config.put("tasks.max", "2");
            config.put("table.include.list", prefix + "_.*");
            config.put("table.exclude.list", ".*_skip");
            config.put("incrementing.column.name", "id");
            String connector = "jt-spread";
            connect.create(connector, config);
            connect.awaitRunning(connector, 2);
            for (var table : List.of(a, b, c)) {
                String topic = "spread." + table.name();
                long expected = rows.get(table.name());
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(120))
                        .until(() -> connect.countCommitted(topic) >= expected);
                assertThat(connect.readToEnd(topic, Duration.ofSeconds(30), true)).extracting(r -> Records.payload(r).path("id").asLong())
                        .as("%s: its rows, each once", table.name())
                        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, expected).boxed().toList());
            }
            assertThat(connect.topicExists("spread." + skipped.name())).isFalse();

            Map<Integer, Set<String>> shares = taskShares(connector);
            assertThat(shares).as("one share per task").hasSize(2);
            assertThat(shares.values().stream().flatMap(Set::stream).toList()).as("disjoint shares of the three tables")
                    .containsExactlyInAnyOrderElementsOf(rows.keySet());
            for (var share : shares.entrySet()) {
                long expected = share.getValue().stream().mapToLong(rows::get).sum();
                var metrics = new javax.management.ObjectName("kafka.connect:type=source-task-metrics,connector=" + connector
                        + ",task=" + share.getKey());
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                        .until(() -> polled(metrics) >= expected);
                assertThat(polled(metrics)).as("task %d polled exactly the rows of %s", share.getKey(), share.getValue())
                        .isEqualTo(expected);
            }
            connect.delete(connector);
        }
    }

    /** Each task's tables, from the task configs the connector handed out (GET /connectors/{name}/tasks). */
    private static Map<Integer, Set<String>> taskShares(String connector) throws Exception {
        Map<Integer, Set<String>> shares = new TreeMap<>();
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (JsonNode task : json.readTree(connect.get("connectors/" + connector + "/tasks"))) {
            Set<String> tables = new java.util.TreeSet<>();
            // The share is a JSON array of "<kind>\t<table>" entries.
            for (JsonNode entry : json.readTree(task.path("config").path("onramp.task.tables").asText())) {
                String qualified = entry.asText().split("\t", 2)[1];
                tables.add(qualified.substring(qualified.lastIndexOf('.') + 1));
            }
            shares.put(task.path("id").path("task").asInt(), tables);
        }
        return shares;
    }

    /** Connect's count of the records a source task's poll() returned. */
    private static long polled(javax.management.ObjectName metrics) throws Exception {
        var value = java.lang.management.ManagementFactory.getPlatformMBeanServer().getAttribute(metrics, "source-record-poll-total");
        return ((Number) value).longValue();
    }

    @Test
    void aNullableColumnAddedLaterAppearsInTheSchema() {
        var db = TestDatabases.POSTGRES;
        try (var table = db.createTable("jdbcsourcetest_evolve", "id BIGINT PRIMARY KEY, ts TIMESTAMP NOT NULL")) {
            db.execute("INSERT INTO " + table.quoted() + " VALUES (1, TIMESTAMP '2024-01-01 00:00:00')");
            var config = config(db, "timestamp+incrementing", "evolve.");
            config.put("table.include.list", table.name());
            config.put("incrementing.column.name", "id");
            config.put("timestamp.column.name", "ts");
            connect.create("evolve", config);
            String topic = "evolve." + table.name();
            payloads(topic, 1);
            db.execute("ALTER TABLE " + table.quoted() + " ADD COLUMN note TEXT",
                    "INSERT INTO " + table.quoted() + " VALUES (2, TIMESTAMP '2024-01-02 00:00:00', 'added')");
            List<ConsumerRecord<byte[], byte[]>> records = connect.read(topic, 2, Duration.ofSeconds(120), false);
            assertThat(records).as("connectors: %s", statuses()).hasSize(2);
            assertThat(Records.payload(records.get(1)).path("note").asText()).isEqualTo("added");
            assertThat(Records.fieldSchema(records.get(1), "note").path("optional").asBoolean()).isTrue();
            assertThat(Records.payload(records.get(0)).has("note")).isFalse();
            connect.delete("evolve");
        }
    }

    @Test
    void aTableCreatedAfterStartThatTheIncludeListSelectsIsReadWithoutARestart() throws Exception {
        var db = TestDatabases.POSTGRES;
        String prefix = TestDatabases.uniqueName("jdbcsourcetest_later");
        try (var first = db.createNamedTable(prefix + "_a", "id BIGINT PRIMARY KEY, name VARCHAR(20), hidden INT")) {
            db.execute(inserts(first, 1, 2));
            var config = config(db, "incrementing", "later.");
            config.put("table.include.list", prefix + "_.*");
            config.put("incrementing.column.name", "id");
            config.put("table.poll.interval.ms", "500");
            connect.create("later", config);
            assertThat(payloads("later." + first.name(), 2)).extracting(r -> r.path("id").asLong()).containsExactly(1L, 2L);
            try (var created = db.createNamedTable(prefix + "_b", "id BIGINT PRIMARY KEY, name VARCHAR(20), hidden INT")) {
                db.execute(inserts(created, 1, 3));
                assertThat(payloads("later." + created.name(), 3)).extracting(r -> r.path("id").asLong())
                        .containsExactly(1L, 2L, 3L);
                db.execute(inserts(first, 3, 3));
                assertThat(payloads("later." + first.name(), 3)).extracting(r -> r.path("id").asLong())
                        .as("the first table is still read after the reconfiguration").containsExactly(1L, 2L, 3L);
            }
            connect.delete("later");
        }
    }

    // ---------------------------------------------------------------- json typed by a contract

    private static final String ROW_CONTRACT = "{\"type\":\"record\",\"name\":\"Row\",\"namespace\":\"shop\","
            + "\"onramp.domain\":\"shop\",\"onramp.product\":\"rows\",\"onramp.version\":1,\"fields\":["
            + "{\"name\":\"id\",\"type\":\"long\"},"
            + "{\"name\":\"doc\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Doc\",\"fields\":["
            + "{\"name\":\"email\",\"type\":\"string\",\"onramp.rules\":{\"pattern\":\"[^@]+@[^@]+\"}},"
            + "{\"name\":\"qty\",\"type\":\"int\",\"onramp.rules\":{\"min\":1}}]}]},"
            + "{\"name\":\"raw\",\"type\":[\"null\",\"string\"]}]}";

    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void aJsonColumnTypedByTheContractArrivesAsAStructAndABreachStopsTheTaskNamingTheRule(TestDatabases db) throws Exception {
        String json = db == TestDatabases.POSTGRES ? "jsonb" : "JSON";
        Path contract = Files.createTempDirectory("jdbc-contract").resolve("row.avsc");
        Files.writeString(contract, ROW_CONTRACT);
        try (var table = db.createTable("jdbcsourcetest_json", "id BIGINT PRIMARY KEY, doc " + json + ", raw " + json)) {
            db.execute("INSERT INTO " + table.quoted() + " VALUES (1, '{\"email\":\"a@b.example\",\"qty\":2}', '{\"k\":1}')",
                    "INSERT INTO " + table.quoted() + " VALUES (2, NULL, NULL)");
            var config = config(db, "incrementing", "json.");
            config.put("table.include.list", table.name());
            config.put("incrementing.column.name", "id");
            Path idAsRecord = Files.writeString(contract.resolveSibling("id-as-record.avsc"), ROW_CONTRACT.replace(
                    "{\"name\":\"id\",\"type\":\"long\"}",
                    "{\"name\":\"id\",\"type\":{\"type\":\"record\",\"name\":\"Id\",\"fields\":[]}}"));
            config.put("contract.file", idAsRecord.toString());
            assertThat(validate(config)).containsOnlyKeys("contract.file");
            assertThat(String.join(" ", validate(config).get("contract.file"))).contains("column 'id' of table")
                    .contains(table.name()).contains("only a JSON or text column");
            config.put("contract.file", contract.toString());
            assertThat(validate(config)).isEmpty();
            String name = "json-" + db.name().toLowerCase();
            connect.create(name, config);
            String topic = "json." + table.name();
            List<ConsumerRecord<byte[], byte[]>> records = connect.read(topic, 2, Duration.ofSeconds(120), false);
            assertThat(records).as("connectors: %s", statuses()).hasSize(2);
            JsonNode doc = Records.payload(records.get(0)).path("doc");
            assertThat(doc.path("email").asText()).isEqualTo("a@b.example");
            assertThat(doc.path("qty").asInt()).isEqualTo(2);
            assertThat(Records.fieldSchema(records.get(0), "doc").path("type").asText()).isEqualTo("struct");
            assertThat(Records.fieldSchema(records.get(0), "raw").path("type").asText())
                    .as("a JSON column whose contract field is a string stays a string").isEqualTo("string");
            assertThat(Records.payload(records.get(1)).path("doc").isNull()).isTrue();

            db.execute("INSERT INTO " + table.quoted() + " VALUES (3, '{\"email\":\"private-value\",\"qty\":2}', NULL)");
            connect.awaitTaskFailed(name);
            assertThat(connect.taskTrace(name, 0)).contains(table.name()).contains("column 'doc'").contains("field 'doc.email'")
                    .contains("rule 'pattern'").doesNotContain("private-value");
            assertThat(connect.readToEnd(topic, Duration.ofSeconds(60), false)).as("the breaching row is not delivered").hasSize(2);
            connect.delete(name);
        }
    }

    @Test
    void aDroppedTableFailsTheTaskWithAnErrorNamingIt() throws Exception {
        var db = TestDatabases.POSTGRES;
        var table = db.createTable("jdbcsourcetest_dropped", "id BIGINT PRIMARY KEY");
        db.execute("INSERT INTO " + table.quoted() + " VALUES (1)");
        var config = config(db, "incrementing", "dropped.");
        config.put("table.include.list", table.name());
        config.put("incrementing.column.name", "id");
        connect.create("dropped", config);
        payloads("dropped." + table.name(), 1);
        table.close();
        connect.awaitTaskFailed("dropped");
        assertThat(connect.taskTrace("dropped", 0)).contains(table.name()).contains("does not exist");
        connect.delete("dropped");
    }

    // ---------------------------------------------------------------- bulk-diff

    @TempDir
    static Path archives;

    private static Map<String, String> bulkDiff(TestDatabases db, TestDatabases.Table table, String prefix, String archive) {
        var config = config(db, "bulk-diff", prefix);
        config.put("table.include.list", table.name());
        config.put("snapshot.archive.path", OnrampConnect.createDirectories(archives.resolve(archive)).toString());
        config.put("transaction.boundary", "connector");
        config.put("poll.interval.ms", "500");
        config.put("batch.max.rows", "50");
        return config;
    }

    /** The change events of a bulk-diff topic as "op id before.name->after.name", with their offsets. */
    private static String change(ConsumerRecord<byte[], byte[]> record) {
        JsonNode value = Records.payload(record);
        JsonNode before = value.path("before");
        JsonNode after = value.path("after");
        return value.path("op").asText() + " " + (after.isObject() ? after : before).path("id").asLong() + " "
                + (before.isObject() ? before.path("name").asText() : "null") + "->"
                + (after.isObject() ? after.path("name").asText() : "null");
    }

    private static void inOneTransaction(TestDatabases db, String... statements) throws Exception {
        try (var c = db.open()) {
            c.setAutoCommit(false);
            try (var s = c.createStatement()) {
                for (String statement : statements) {
                    s.execute(statement);
                }
            }
            c.commit();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void bulkDiffEmitsTheExactChangesBetweenRunsEachRunOneTransaction(TestDatabases db) throws Exception {
        try (var table = db.createTable("jdbcsourcetest_bulkdiff", "id INT PRIMARY KEY, name VARCHAR(20), note VARCHAR(20)");
                var keyless = db.createTable("jdbcsourcetest_keyless", "code VARCHAR(10), label VARCHAR(20)")) {
            var rows = new ArrayList<String>();
            for (int i = 1; i <= 120; i++) {
                rows.add("(" + i + ", 'n" + i + "', 'x')");
            }
            db.execute("INSERT INTO " + table.quoted() + " VALUES " + String.join(", ", rows));
            var noKey = bulkDiff(db, keyless, "bulkdiff.", "keyless-" + db.name());
            assertThat(validate(noKey)).containsOnlyKeys("snapshot.key.fields");
            assertThat(validate(noKey).get("snapshot.key.fields").get(0)).contains(keyless.name()).contains("no primary key");

            String name = "bulkdiff-" + db.name().toLowerCase();
            var config = bulkDiff(db, table, "bulkdiff.", name);
            config.put("snapshot.ignore.fields", "note");
            assertThat(validate(config)).isEmpty();
            String topic = "bulkdiff." + table.name();
            var watcher = ReadCommittedWatcher.start(() -> connect.countCommitted(topic));
            connect.create(name, config);
            List<ConsumerRecord<byte[], byte[]>> first = connect.read(topic, 120, Duration.ofSeconds(120), true);
            Set<Integer> seen = watcher.stop();
            assertThat(first).as("connectors: %s", statuses()).hasSize(120);
            assertThat(first).extracting(r -> Records.payload(r).path("op").asText()).containsOnly("r");
            assertThat(seen).as("a read_committed consumer saw the first run whole or not at all").contains(120)
                    .isSubsetOf(0, 120);
            assertThat(first.get(119).offset() - first.get(0).offset()).as("120 records in 3 polls, no commit marker between")
                    .isEqualTo(119);

            inOneTransaction(db, "INSERT INTO " + table.quoted() + " VALUES (121, 'new', 'x')",
                    "UPDATE " + table.quoted() + " SET name = 'renamed' WHERE id = 7",
                    "UPDATE " + table.quoted() + " SET note = 'ignored' WHERE id = 8",
                    "DELETE FROM " + table.quoted() + " WHERE id = 9");
            List<ConsumerRecord<byte[], byte[]>> all = connect.read(topic, 123, Duration.ofSeconds(120), true);
            List<ConsumerRecord<byte[], byte[]>> changes = all.subList(120, all.size());
            assertThat(changes).extracting(JdbcSourceTest::change).as("key order is the text order of the id")
                    .containsExactly("c 121 null->new", "u 7 n7->renamed", "d 9 n9->null");
            assertThat(changes.get(2).offset() - changes.get(0).offset()).as("one transaction").isEqualTo(2);
            assertThat(Records.payload(changes.get(0)).path("source").path("connector").asText()).isEqualTo("jdbc");
            assertThat(Records.payload(changes.get(0)).path("source").path("snapshot").asText()).isEqualTo("false");

            inOneTransaction(db, "DELETE FROM " + table.quoted() + " WHERE id = 1");
            List<ConsumerRecord<byte[], byte[]>> later = connect.read(topic, 124, Duration.ofSeconds(120), true);
            assertThat(later.subList(123, later.size())).extracting(JdbcSourceTest::change)
                    .as("runs without changes emitted nothing in between").containsExactly("d 1 n1->null");
            connect.delete(name);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void bulkDiffStateOutputHasTombstonesAndALostArchiveGivesReadsNotDeletes(TestDatabases db) throws Exception {
        try (var table = db.createTable("jdbcsourcetest_bdstate", "id INT PRIMARY KEY, name VARCHAR(20)")) {
            db.execute("INSERT INTO " + table.quoted() + " VALUES (1, 'a'), (2, 'b'), (3, 'c')");
            String name = "bdstate-" + db.name().toLowerCase();
            var config = bulkDiff(db, table, "bdstate.", name);
            config.put("output.format", "state");
            String topic = "bdstate." + table.name();
            connect.create(name, config);
            assertThat(connect.read(topic, 3, Duration.ofSeconds(120), true)).as("connectors: %s", statuses()).hasSize(3);

            inOneTransaction(db, "UPDATE " + table.quoted() + " SET name = 'bb' WHERE id = 2",
                    "DELETE FROM " + table.quoted() + " WHERE id = 1", "INSERT INTO " + table.quoted() + " VALUES (4, 'd')");
            List<ConsumerRecord<byte[], byte[]>> changes = connect.read(topic, 6, Duration.ofSeconds(120), true).subList(3, 6);
            assertThat(changes).extracting(r -> new String(r.key(), java.nio.charset.StandardCharsets.UTF_8))
                    .containsExactly("{\"id\":1}", "{\"id\":2}", "{\"id\":4}");
            assertThat(changes.get(0).value()).as("a tombstone for the deleted row").isNull();
            assertThat(Records.payload(changes.get(1)).path("name").asText()).isEqualTo("bb");
            assertThat(Records.payload(changes.get(2)).path("name").asText()).isEqualTo("d");

            // The archive is lost while the connector is stopped (its task shut down); the rows deleted meanwhile never
            // become tombstones.
            connect.cluster().stopConnector(name);
            connect.cluster().assertions().assertConnectorIsStopped(name, "connector " + name + " did not stop");
            try (var files = Files.list(Path.of(config.get("snapshot.archive.path")))) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            db.execute("DELETE FROM " + table.quoted() + " WHERE id = 3");
            connect.cluster().resumeConnector(name);
            List<ConsumerRecord<byte[], byte[]>> again = connect.read(topic, 8, Duration.ofSeconds(120), true).subList(6, 8);
            assertThat(again).extracting(r -> Records.payload(r).path("name").asText()).containsExactly("bb", "d");
            assertThat(again).allSatisfy(r -> assertThat(r.value()).isNotNull());
            assertThat(connect.readToEnd(topic, Duration.ofSeconds(60), true)).as("nothing else, no tombstone for id 3")
                    .hasSize(8);
            connect.delete(name);
        }
    }
}
