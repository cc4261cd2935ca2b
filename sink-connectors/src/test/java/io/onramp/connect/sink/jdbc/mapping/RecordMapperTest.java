package io.onramp.connect.sink.jdbc.mapping;

import io.onramp.connect.core.jdbc.TableId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.connect.core.change.ChangeEnvelope;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class RecordMapperTest {

    static final Schema KEY = SchemaBuilder.struct().name("Key").field("id", Schema.INT64_SCHEMA).build();
    static final Schema ROW = SchemaBuilder.struct().name("Row")
            .field("id", Schema.INT64_SCHEMA)
            .field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("secret", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    static RecordMapper.Settings settings(KeyMode keyMode, List<String> keyFields) {
        return new RecordMapper.Settings(TableNameFormat.parse("${topic}"), keyMode, keyFields, WriteMode.UPSERT, true,
                new FieldFilter(List.of(), List.of()), NestedMode.JSON, "_");
    }

    static RecordMapper mapper(RecordMapper.Settings settings) {
        return new RecordMapper(settings, new SchemalessTyping(null, List.of(), table -> null));
    }

    static SinkRecord record(String topic, Schema keySchema, Object key, Schema valueSchema, Object value) {
        return new SinkRecord(topic, 0, keySchema, key, valueSchema, value, 42L);
    }

    static Struct key(long id) {
        return new Struct(KEY).put("id", id);
    }

    static Struct row(long id, String name) {
        return new Struct(ROW).put("id", id).put("name", name).put("secret", "s" + id);
    }

    static List<String> names(List<ColumnSpec> columns) {
        return columns.stream().map(ColumnSpec::name).toList();
    }

    @Test
    void flatStructBecomesAnUpsertKeyedByTheRecordKey() {
        RowChange change = mapper(settings(KeyMode.RECORD_KEY, List.of()))
                .map(record("sales.orders.v1", KEY, key(7), ROW, row(7, "Ann")));

        assertThat(change.table()).isEqualTo(new TableId(null, null, "sales_orders_v1"));
        assertThat(change.kind()).isEqualTo(RowChange.Kind.UPSERT);
        assertThat(names(change.keyColumns())).containsExactly("id");
        assertThat(change.keyValues()).containsExactly(7L);
        assertThat(names(change.valueColumns())).containsExactly("name", "secret");
        assertThat(change.values()).containsExactly("Ann", "s7");
    }

    @Test
    void tombstoneDeletesByKeyAndIsSkippedWhenDeletesAreOff() {
        RowChange change = mapper(settings(KeyMode.RECORD_KEY, List.of())).map(record("t", KEY, key(7), null, null));
        assertThat(change.kind()).isEqualTo(RowChange.Kind.DELETE);
        assertThat(change.keyValues()).containsExactly(7L);
        assertThat(change.valueColumns()).isEmpty();

        var off = new RecordMapper.Settings(TableNameFormat.parse("${topic}"), KeyMode.RECORD_KEY, List.of(),
                WriteMode.UPSERT, false, new FieldFilter(List.of(), List.of()), NestedMode.JSON, "_");
        assertThat(mapper(off).map(record("t", KEY, key(7), null, null))).isNull();
    }

    @Test
    void onrampEnvelopeWritesAfterOnCreateAndUpdateAndDeletesOnDelete() {
        var envelope = new ChangeEnvelope("crm.customers.Envelope", ROW,
                SchemaBuilder.struct().name("Source").field("file", Schema.STRING_SCHEMA).build());
        Struct source = new Struct(envelope.sourceSchema()).put("file", "dump.csv");
        RecordMapper mapper = mapper(settings(KeyMode.RECORD_KEY, List.of()));

        RowChange create = mapper.map(record("t", KEY, key(1), envelope.schema(),
                envelope.build(ChangeEnvelope.Op.CREATE, null, row(1, "Ann"), source, 1L)));
        RowChange update = mapper.map(record("t", KEY, key(1), envelope.schema(),
                envelope.build(ChangeEnvelope.Op.UPDATE, row(1, "Ann"), row(1, "Bob"), source, 2L)));
        RowChange snapshot = mapper.map(record("t", KEY, key(2), envelope.schema(),
                envelope.build(ChangeEnvelope.Op.READ, null, row(2, "Cy"), source, 3L)));
        RowChange delete = mapper.map(record("t", KEY, key(1), envelope.schema(),
                envelope.build(ChangeEnvelope.Op.DELETE, row(1, "Bob"), null, source, 4L)));

        assertThat(create.kind()).isEqualTo(RowChange.Kind.UPSERT);
        assertThat(create.values()).containsExactly("Ann", "s1");
        assertThat(update.values()).containsExactly("Bob", "s1");
        assertThat(snapshot.keyValues()).containsExactly(2L);
        assertThat(delete.kind()).isEqualTo(RowChange.Kind.DELETE);
        assertThat(delete.keyValues()).containsExactly(1L);
    }

    /** Debezium's envelope as its PostgreSQL connector writes it (names from Debezium's documentation). */
    @Test
    void debeziumEnvelopeIsReadNativelyWithItsTimeTypes() {
        Schema value = SchemaBuilder.struct().name("dbserver1.inventory.customers.Value").optional()
                .field("id", Schema.INT32_SCHEMA)
                .field("created", SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").optional().build())
                .field("seen", SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").optional().build())
                .field("born", SchemaBuilder.int32().name("io.debezium.time.Date").optional().build())
                .build();
        Schema envelope = SchemaBuilder.struct().name("dbserver1.inventory.customers.Envelope")
                .field("before", value).field("after", value)
                .field("source", SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
                        .field("db", Schema.STRING_SCHEMA).build())
                .field("op", Schema.STRING_SCHEMA)
                .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
                .build();
        Schema dbzKey = SchemaBuilder.struct().name("dbserver1.inventory.customers.Key").field("id", Schema.INT32_SCHEMA).build();
        Struct after = new Struct(value).put("id", 1001)
                .put("created", 1_700_000_000_123_456L)        // 2023-11-14T22:13:20.123456Z
                .put("seen", "2024-03-01T10:15:30+02:00")
                .put("born", 19_783);                            // 2024-03-01
        Struct event = new Struct(envelope).put("after", after)
                .put("source", new Struct(envelope.field("source").schema()).put("db", "inventory"))
                .put("op", "c").put("ts_ms", 1L);

        RowChange change = mapper(settings(KeyMode.RECORD_KEY, List.of()))
                .map(record("dbserver1.inventory.customers", dbzKey, new Struct(dbzKey).put("id", 1001), envelope, event));

        assertThat(change.table().table()).isEqualTo("dbserver1_inventory_customers");
        assertThat(change.keyValues()).containsExactly(1001);
        assertThat(names(change.valueColumns())).containsExactly("created", "seen", "born");
        assertThat(change.valueColumns()).extracting(ColumnSpec::type)
                .containsExactly(SinkType.TIMESTAMP, SinkType.TIMESTAMP, SinkType.DATE);
        assertThat(change.values()).containsExactly(LocalDateTime.parse("2023-11-14T22:13:20.123456"),
                LocalDateTime.parse("2024-03-01T08:15:30"), LocalDate.parse("2024-03-01"));

        Struct deleteEvent = new Struct(envelope).put("before", after)
                .put("source", new Struct(envelope.field("source").schema()).put("db", "inventory"))
                .put("op", "d").put("ts_ms", 2L);
        RowChange delete = mapper(settings(KeyMode.RECORD_VALUE, List.of("id")))
                .map(record("dbserver1.inventory.customers", dbzKey, new Struct(dbzKey).put("id", 1001), envelope, deleteEvent));
        assertThat(delete.kind()).isEqualTo(RowChange.Kind.DELETE);
        assertThat(delete.keyValues()).containsExactly(1001);

        Struct truncate = new Struct(envelope)
                .put("source", new Struct(envelope.field("source").schema()).put("db", "inventory"))
                .put("op", "t");
        assertThat(mapper(settings(KeyMode.RECORD_KEY, List.of()))
                .map(record("dbserver1.inventory.customers", dbzKey, new Struct(dbzKey).put("id", 1), envelope, truncate))).isNull();
    }

    @Test
    void schemalessDebeziumEnvelopeIsTypedByTheTable() {
        Schema table = SchemaBuilder.struct().optional()
                .field("id", Schema.OPTIONAL_INT64_SCHEMA)
                .field("amount", Decimal.builder(2).optional().build())
                .field("day", Date.builder().optional().build())
                .build();
        var mapper = new RecordMapper(settings(KeyMode.RECORD_KEY, List.of()),
                new SchemalessTyping(null, List.of(), t -> t.table().equals("orders") ? table : null));
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("id", 5L);
        after.put("amount", "12.50");
        after.put("day", "2024-03-01");
        after.put("ignored", true);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("before", null);
        event.put("after", after);
        event.put("op", "u");

        RowChange change = mapper.map(record("orders", null, Map.of("id", 5L), null, event));

        assertThat(change.keyValues()).containsExactly(5L);
        assertThat(names(change.valueColumns())).containsExactly("amount", "day");
        assertThat(change.values()).containsExactly(new BigDecimal("12.50"), LocalDate.parse("2024-03-01"));
    }

    @Test
    void schemalessRecordWithoutContractOrTableIsAnErrorNamingTheTableNotTheValue() {
        assertThatThrownBy(() -> mapper(settings(KeyMode.RECORD_KEY, List.of()))
                .map(record("orders", null, 5L, null, Map.of("id", 5L, "name", "Very Secret"))))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("orders").hasMessageContaining("contract")
                .hasMessageNotContaining("Very Secret");
    }

    @Test
    void schemalessValueThatDoesNotFitNamesTheFieldButNotTheValue() {
        Schema table = SchemaBuilder.struct().optional()
                .field("id", Schema.OPTIONAL_INT64_SCHEMA).field("qty", Schema.OPTIONAL_INT32_SCHEMA).build();
        var mapper = new RecordMapper(settings(KeyMode.RECORD_KEY, List.of("id")),
                new SchemalessTyping(null, List.of(), t -> table));
        assertThatThrownBy(() -> mapper.map(record("orders", null, 5L, null, Map.of("id", 5L, "qty", "Very Secret"))))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("qty").hasMessageNotContaining("Very Secret");
    }

    @Test
    void schemalessRecordIsTypedByTheContractWithItsKeyField() {
        Schema contract = SchemaBuilder.struct().name("Order")
                .field("order_id", Schema.STRING_SCHEMA)
                .field("placed", Timestamp.builder().build())
                .field("note", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        var mapper = new RecordMapper(settings(KeyMode.RECORD_KEY, List.of()),
                new SchemalessTyping(contract, List.of("order_id"), t -> null));
        Map<String, Object> value = Map.of("order_id", "A-1", "placed", "2024-03-01T10:00:00Z");

        RowChange change = mapper.map(record("orders", null, "A-1", null, value));

        assertThat(names(change.keyColumns())).containsExactly("order_id");
        assertThat(change.keyValues()).containsExactly("A-1");
        assertThat(names(change.valueColumns())).containsExactly("placed", "note");
        assertThat(change.values()).containsExactly(LocalDateTime.parse("2024-03-01T10:00:00"), null);
    }

    @Test
    void recordValueKeyTakesTheNamedFieldsAndKafkaKeyTakesCoordinates() {
        RowChange byValue = mapper(settings(KeyMode.RECORD_VALUE, List.of("id")))
                .map(record("t", null, null, ROW, row(3, "Dee")));
        assertThat(names(byValue.keyColumns())).containsExactly("id");
        assertThat(names(byValue.valueColumns())).containsExactly("name", "secret");

        var kafka = new RecordMapper.Settings(TableNameFormat.parse("${topic}"), KeyMode.KAFKA, List.of(),
                WriteMode.INSERT, false, new FieldFilter(List.of(), List.of()), NestedMode.JSON, "_");
        RowChange byCoordinates = mapper(kafka).map(record("t", null, null, ROW, row(3, "Dee")));
        assertThat(names(byCoordinates.keyColumns())).containsExactly("__connect_topic", "__connect_partition", "__connect_offset");
        assertThat(byCoordinates.keyValues()).containsExactly("t", 0, 42L);
        assertThat(byCoordinates.kind()).isEqualTo(RowChange.Kind.INSERT);
        assertThat(names(byCoordinates.valueColumns())).containsExactly("id", "name", "secret");
    }

    @Test
    void primitiveKeyBecomesOneNamedColumn() {
        RowChange change = mapper(settings(KeyMode.RECORD_KEY, List.of("order_id")))
                .map(record("t", Schema.STRING_SCHEMA, "A-1", ROW, row(3, "Dee")));
        assertThat(change.keyColumns()).containsExactly(ColumnSpec.of("order_id", SinkType.STRING, false));
        assertThat(change.keyValues()).containsExactly("A-1");
        assertThat(names(change.valueColumns())).containsExactly("id", "name", "secret");
    }

    @Test
    void missingOrNullKeyIsAnError() {
        assertThatThrownBy(() -> mapper(settings(KeyMode.RECORD_KEY, List.of())).map(record("t", null, null, ROW, row(1, "x"))))
                .isInstanceOf(DataException.class).hasMessageContaining("no key");
        Schema optionalKey = SchemaBuilder.struct().field("id", Schema.OPTIONAL_INT64_SCHEMA).build();
        assertThatThrownBy(() -> mapper(settings(KeyMode.RECORD_KEY, List.of()))
                .map(record("t", optionalKey, new Struct(optionalKey), ROW, row(1, "x"))))
                .isInstanceOf(DataException.class).hasMessageContaining("Key column 'id'").hasMessageContaining("null");
    }

    @Test
    void fieldListsFilterValueColumnsPerTopicButNeverKeys() {
        var include = new RecordMapper.Settings(TableNameFormat.parse("${topic}"), KeyMode.RECORD_KEY, List.of(),
                WriteMode.UPSERT, true, new FieldFilter(List.of("name", "id"), List.of()), NestedMode.JSON, "_");
        assertThat(names(mapper(include).map(record("t", KEY, key(1), ROW, row(1, "a"))).valueColumns()))
                .containsExactly("name");

        var exclude = new RecordMapper.Settings(TableNameFormat.parse("${topic}"), KeyMode.RECORD_KEY, List.of(),
                WriteMode.UPSERT, true, new FieldFilter(List.of(), List.of("other:name", "t:secret")), NestedMode.JSON, "_");
        RowChange change = mapper(exclude).map(record("t", KEY, key(1), ROW, row(1, "a")));
        assertThat(names(change.keyColumns())).containsExactly("id");
        assertThat(names(change.valueColumns())).containsExactly("name");
    }

    @Test
    void nestedStructIsOneJsonColumnOrFlattenedColumns() {
        Schema address = SchemaBuilder.struct().name("Address").optional()
                .field("city", Schema.STRING_SCHEMA)
                .field("zip", Schema.OPTIONAL_STRING_SCHEMA).build();
        Schema schema = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).field("address", address)
                .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build()).build();
        Struct value = new Struct(schema).put("id", 1L)
                .put("address", new Struct(address).put("city", "Lyon").put("zip", "69001"))
                .put("tags", List.of("a", "b"));

        RowChange json = mapper(settings(KeyMode.RECORD_VALUE, List.of("id"))).map(record("t", null, null, schema, value));
        assertThat(json.valueColumns()).extracting(ColumnSpec::type).containsExactly(SinkType.JSON, SinkType.JSON);
        assertThat(json.values()).containsExactly("{\"city\":\"Lyon\",\"zip\":\"69001\"}", "[\"a\",\"b\"]");

        var flatten = new RecordMapper.Settings(TableNameFormat.parse("${topic}"), KeyMode.RECORD_VALUE, List.of("id"),
                WriteMode.UPSERT, true, new FieldFilter(List.of(), List.of()), NestedMode.FLATTEN, "__");
        RowChange flat = mapper(flatten).map(record("t", null, null, schema, value));
        assertThat(names(flat.valueColumns())).containsExactly("address__city", "address__zip", "tags");
        assertThat(flat.valueColumns().get(0).optional()).as("child of an optional parent").isTrue();
        assertThat(flat.values()).containsExactly("Lyon", "69001", "[\"a\",\"b\"]");

        Struct noAddress = new Struct(schema).put("id", 2L);
        assertThat(mapper(flatten).map(record("t", null, null, schema, noAddress)).values()).containsExactly(null, null, null);
    }

    @Test
    void logicalTypesBecomeExactJavaTimeAndDecimalValues() {
        Schema schema = SchemaBuilder.struct()
                .field("id", Schema.INT8_SCHEMA)
                .field("price", Decimal.builder(3).parameter("connect.decimal.precision", "10").build())
                .field("day", Date.SCHEMA)
                .field("at", Time.SCHEMA)
                .field("ts", Timestamp.SCHEMA)
                .field("raw", Schema.BYTES_SCHEMA)
                .build();
        Struct value = new Struct(schema).put("id", (byte) 9)
                .put("price", new BigDecimal("1234567.891"))
                .put("day", new java.util.Date(19_783L * 86_400_000L))
                .put("at", new java.util.Date(37_230_500L))            // 10:20:30.500
                .put("ts", new java.util.Date(1_709_288_130_500L))      // 2024-03-01T10:15:30.500Z
                .put("raw", new byte[] {1, 2});

        RowChange change = mapper(settings(KeyMode.RECORD_VALUE, List.of("id"))).map(record("t", null, null, schema, value));

        assertThat(change.keyColumns()).containsExactly(ColumnSpec.of("id", SinkType.INT16, false));
        assertThat(change.keyValues()).containsExactly((short) 9);
        assertThat(change.valueColumns().get(0)).isEqualTo(new ColumnSpec("price", SinkType.DECIMAL, 3, 10, false));
        assertThat(change.values()).containsExactly(new BigDecimal("1234567.891"), LocalDate.parse("2024-03-01"),
                LocalTime.parse("10:20:30.500"), LocalDateTime.parse("2024-03-01T10:15:30.500"), new byte[] {1, 2});
    }

    @Test
    void tombstoneUnderRecordValueCannotFindItsRow() {
        assertThatThrownBy(() -> mapper(settings(KeyMode.RECORD_VALUE, List.of("id"))).map(record("t", KEY, key(1), null, null)))
                .isInstanceOf(DataException.class).hasMessageContaining("tombstone");
    }
}
