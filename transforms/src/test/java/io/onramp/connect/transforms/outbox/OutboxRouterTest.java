package io.onramp.connect.transforms.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.connect.core.InvalidRecordHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxRouterTest {

    /** The after row of Debezium's MySQL connector for an outbox table (JSON column as io.debezium.data.Json). */
    static final Schema ROW = SchemaBuilder.struct().name("dbserver.inventory.outbox.Value").optional()
            .field("id", Schema.STRING_SCHEMA)
            .field("aggregatetype", Schema.STRING_SCHEMA)
            .field("aggregateid", Schema.STRING_SCHEMA)
            .field("type", Schema.STRING_SCHEMA)
            .field("payload", SchemaBuilder.string().name("io.debezium.data.Json").optional().build())
            .build();
    static final Schema SOURCE = SchemaBuilder.struct().name("io.debezium.connector.mysql.Source")
            .field("table", Schema.STRING_SCHEMA).field("file", Schema.STRING_SCHEMA).field("pos", Schema.INT64_SCHEMA).build();
    static final Schema ENVELOPE = SchemaBuilder.struct().name("dbserver.inventory.outbox.Envelope")
            .field("before", ROW).field("after", ROW).field("source", SOURCE)
            .field("op", Schema.STRING_SCHEMA).field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();

    @TempDir
    Path dir;

    static OutboxRouter<SourceRecord> router(String... kv) {
        var props = new HashMap<String, String>();
        for (int i = 0; i < kv.length; i += 2) {
            props.put(kv[i], kv[i + 1]);
        }
        var t = new OutboxRouter<SourceRecord>();
        t.configure(props);
        return t;
    }

    static Struct row(String id, String payload) {
        return new Struct(ROW).put("id", id).put("aggregatetype", "Order").put("aggregateid", "o-1")
                .put("type", "OrderCreated").put("payload", payload);
    }

    static SourceRecord change(String op, Struct before, Struct after) {
        Struct source = new Struct(SOURCE).put("table", "outbox").put("file", "binlog.000003").put("pos", 4711L);
        Struct value = new Struct(ENVELOPE).put("op", op).put("before", before).put("after", after).put("source", source)
                .put("ts_ms", 1_700_000_000_000L);
        return new SourceRecord(Map.of("server", "db"), Map.of("pos", 4711L), "dbserver.inventory.outbox", null,
                Schema.STRING_SCHEMA, "pk", ENVELOPE, value, 5L);
    }

    static Object header(SourceRecord r, String name) {
        Header h = r.headers().lastWithName(name);
        return h == null ? null : h.value();
    }

    @Test
    void routesADebeziumInsertToTheAggregateTopicWithKeyTimestampAndEventIdHeader() {
        SourceRecord out = router("table.expand.json.payload", "true").apply(change("c", null, row("e-1", "{\"qty\":2,\"sku\":\"A\"}")));
        assertThat(out.topic()).isEqualTo("outbox.event.Order");
        assertThat(out.key()).isEqualTo("o-1");
        assertThat(out.timestamp()).isEqualTo(1_700_000_000_000L);
        assertThat(header(out, "id")).isEqualTo("e-1");
        Struct value = (Struct) out.value();
        assertThat(value.getInt64("qty")).isEqualTo(2L);
        assertThat(value.getString("sku")).isEqualTo("A");
        assertThat(out.sourceOffset()).isEqualTo(Map.of("pos", 4711L));
    }

    @Test
    void snapshotReadsAreRoutedLikeInserts() {
        assertThat(router().apply(change("r", null, row("e-1", "{}"))).topic()).isEqualTo("outbox.event.Order");
    }

    @Test
    void sameShapeInAnyOrderGivesTheSameSchemaAcrossRecords() {
        var t = router("table.expand.json.payload", "true");
        SourceRecord a = t.apply(change("c", null, row("1", "{\"a\":1,\"b\":{\"y\":null,\"x\":[1,2.5]}}")));
        SourceRecord b = t.apply(change("c", null, row("2", "{\"b\":{\"x\":[3.5],\"y\":null},\"a\":7}")));
        assertThat(a.valueSchema()).isEqualTo(b.valueSchema());
    }

    @Test
    void outboxUpdatesAndDeletesAndTombstonesAreDroppedByDefault() {
        var t = router();
        assertThat(t.apply(change("u", row("1", "{}"), row("1", "{}")))).isNull();
        assertThat(t.apply(change("d", row("1", "{}"), null))).isNull();
        SourceRecord tombstone = new SourceRecord(Map.of(), Map.of(), "dbserver.inventory.outbox", null,
                Schema.STRING_SCHEMA, "pk", null, null);
        assertThat(t.apply(tombstone)).isNull();
        assertThat(t.droppedOperations()).isEqualTo(2);
    }

    @Test
    void fatalOperationBehaviorFailsNamingTheKey() {
        assertThatThrownBy(() -> router("table.op.invalid.behavior", "fatal").apply(change("u", row("1", "{}"), row("1", "{}"))))
                .isInstanceOf(DataException.class).hasMessageContaining("table.op.invalid.behavior");
        assertThatThrownBy(() -> router("table.op.delete.behavior", "fatal").apply(change("d", row("1", "{}"), null)))
                .hasMessageContaining("table.op.delete.behavior");
        assertThat(router("table.op.invalid.behavior", "warn").apply(change("u", row("1", "{}"), row("1", "{}")))).isNull();
    }

    @Test
    void anUnparsablePayloadFailsByDefaultWithoutItsText() {
        assertThatThrownBy(() -> router("table.expand.json.payload", "true").apply(change("c", null, row("1", "not json: secret"))))
                .isInstanceOf(DataException.class).hasMessageContaining("outbox.event.Order").hasMessageContaining("rule json")
                .hasMessageNotContaining("secret");
    }

    @Test
    void anUnparsablePayloadCanBeQuarantinedAsItsRawText() {
        var t = router("table.expand.json.payload", "true", "on.invalid", "quarantine");
        SourceRecord out = t.apply(change("c", null, row("1", "{broken")));
        assertThat(out.topic()).isEqualTo("outbox.event.Order.quarantine");
        assertThat(out.value()).isEqualTo("{broken");
        assertThat(header(out, InvalidRecordHandler.HEADER_RULE)).isEqualTo("json");
        assertThat(header(out, "id")).isEqualTo("1");
        assertThat(t.quarantined()).isEqualTo(1);
    }

    @Test
    void emptyPayloadBecomesATombstoneWhenAsked() {
        SourceRecord out = router("route.tombstone.on.empty.payload", "true").apply(change("c", null, row("1", null)));
        assertThat(out.value()).isNull();
        assertThat(out.valueSchema()).isNull();
        assertThat(out.key()).isEqualTo("o-1");
    }

    @Test
    void contractTypesThePayloadAndDropsBreakingOnesWhenAsked() throws Exception {
        Path contract = Files.createDirectories(dir.resolve("sales/Order")).resolve("v1.avsc");
        Files.writeString(contract, "{\"type\":\"record\",\"name\":\"Order\",\"fields\":[{\"name\":\"qty\",\"type\":\"int\","
                + "\"onramp.rules\":{\"min\":1}},{\"name\":\"sku\",\"type\":[\"null\",\"string\"],\"default\":null}]}");
        var t = router("contract.file", contract.toString(), "on.invalid", "drop",
                "route.topic.pattern", "${domain}.${aggregate}.v${version}");
        SourceRecord ok = t.apply(change("c", null, row("1", "{\"qty\":3}")));
        assertThat(ok.topic()).isEqualTo("sales.Order.v1");
        assertThat(((Struct) ok.value()).getInt32("qty")).isEqualTo(3);
        assertThat(ok.valueSchema().field("qty").schema().type()).isEqualTo(Schema.Type.INT32);
        assertThat(t.apply(change("c", null, row("2", "{\"qty\":0}")))).isNull();
        assertThat(t.droppedInvalid()).isEqualTo(1);
    }

    @Test
    void flatRowsStructOrMapAreRoutedToo() {
        var t = router("table.expand.json.payload", "true", "table.fields.additional.placement", "type:header:eventType");
        SourceRecord flat = new SourceRecord(Map.of(), Map.of(), "jdbc-outbox", null, null, null, ROW, row("9", "[1,2]"), 3L);
        SourceRecord out = t.apply(flat);
        assertThat(out.topic()).isEqualTo("outbox.event.Order");
        assertThat(out.timestamp()).isEqualTo(3L);
        assertThat(out.value()).isEqualTo(List.of(1L, 2L));
        assertThat(header(out, "eventType")).isEqualTo("OrderCreated");

        var map = new LinkedHashMap<String, Object>();
        map.put("id", "m-1");
        map.put("aggregatetype", "Customer");
        map.put("aggregateid", "c-4");
        map.put("type", "Moved");
        map.put("payload", "{\"city\":\"Oslo\"}");
        SourceRecord schemaless = t.apply(new SourceRecord(Map.of(), Map.of(), "rows", null, null, null, null, map, 4L));
        assertThat(schemaless.topic()).isEqualTo("outbox.event.Customer");
        assertThat(((Struct) schemaless.value()).getString("city")).isEqualTo("Oslo");
    }

    @Test
    void debeziumHeartbeatsPassUnchanged() {
        Schema heartbeat = SchemaBuilder.struct().name("io.debezium.connector.common.Heartbeat").field("ts_ms", Schema.INT64_SCHEMA).build();
        SourceRecord in = new SourceRecord(Map.of(), Map.of(), "__debezium-heartbeat.db", null, null, null, heartbeat,
                new Struct(heartbeat).put("ts_ms", 1L));
        assertThat(router().apply(in)).isSameAs(in);
    }

    @Test
    void crossKeyChecksRunWithoutConfiguring() {
        var t = new OutboxRouter<SourceRecord>();
        assertThatThrownBy(() -> t.validateCrossKeys(Map.of("contract.dir", dir.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("contract.domain");
        assertThatThrownBy(() -> t.validateCrossKeys(Map.of("contract.file", dir.resolve("missing.avsc").toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("missing.avsc");
        t.validateCrossKeys(Map.of("table.expand.json.payload", "true"));
    }

    @Test
    void aReplacementNamingAGroupTheRegexLacksFailsNamingBothKeys() {
        var t = router("route.topic.regex", "(?<kind>.*)", "route.topic.replacement", "x.${routedByValue}");
        assertThatThrownBy(() -> t.apply(change("c", null, row("1", "{}"))))
                .isInstanceOf(DataException.class).hasMessageContaining("route.topic.replacement")
                .hasMessageContaining("route.topic.regex");
    }

    @Test
    void everyCheckIsAValidatorSoConnectsValidateReportsIt() {
        Map<String, String> bad = Map.of("table.op.invalid.behavior", "explode", "table.fields.additional.placement", "x:nowhere",
                "route.topic.pattern", "${nope}", "route.topic.regex", "(", "on.invalid", "shrug");
        List<ConfigValue> values = OutboxRouter.CONFIG_DEF.validate(bad);
        for (String key : bad.keySet()) {
            ConfigValue v = values.stream().filter(c -> c.name().equals(key)).findFirst().orElseThrow();
            assertThat(v.errorMessages()).as(key).isNotEmpty();
        }
        assertThatThrownBy(() -> router("table.op.delete.behavior", "explode")).isInstanceOf(ConfigException.class);
    }
}
