package io.onramp.connect.transforms.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class ChangeEventUnwrapTest {

    /** Shaped like Debezium's PostgreSQL connector output. */
    static final Schema ROW = SchemaBuilder.struct().name("db.public.customers.Value").optional()
            .field("id", Schema.INT32_SCHEMA).field("name", Schema.OPTIONAL_STRING_SCHEMA).field("region", Schema.OPTIONAL_STRING_SCHEMA).build();
    static final Schema SOURCE = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
            .field("table", Schema.STRING_SCHEMA).field("ts_ms", Schema.INT64_SCHEMA).field("lsn", Schema.OPTIONAL_INT64_SCHEMA).build();
    static final Schema ENVELOPE = SchemaBuilder.struct().name("db.public.customers.Envelope")
            .field("before", ROW).field("after", ROW).field("source", SOURCE)
            .field("op", Schema.STRING_SCHEMA).field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();
    static final Schema KEY = SchemaBuilder.struct().name("db.public.customers.Key").field("id", Schema.INT32_SCHEMA).build();

    static ChangeEventUnwrap<SourceRecord> unwrap(String... kv) {
        var props = new HashMap<String, String>();
        for (int i = 0; i < kv.length; i += 2) {
            props.put(kv[i], kv[i + 1]);
        }
        var t = new ChangeEventUnwrap<SourceRecord>();
        t.configure(props);
        return t;
    }

    static Struct row(int id, String name) {
        return new Struct(ROW).put("id", id).put("name", name).put("region", "north");
    }

    static SourceRecord change(String op, Struct before, Struct after) {
        Struct source = new Struct(SOURCE).put("table", "customers").put("ts_ms", 111L).put("lsn", 2222L);
        Struct value = new Struct(ENVELOPE).put("op", op).put("before", before).put("after", after).put("source", source)
                .put("ts_ms", 333L);
        Struct key = new Struct(KEY).put("id", (after != null ? after : before).getInt32("id"));
        return new SourceRecord(Map.of(), Map.of(), "db.public.customers", 0, KEY, key, ENVELOPE, value, 9L);
    }

    static SourceRecord tombstone() {
        return new SourceRecord(Map.of(), Map.of(), "db.public.customers", 0, KEY, new Struct(KEY).put("id", 1), null, null);
    }

    static Object header(SourceRecord r, String name) {
        Header h = r.headers().lastWithName(name);
        return h == null ? null : h.value();
    }

    @Test
    void countsWhatItDidInItsJmxBeanUntilClosed() throws Exception {
        var server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        var name = new javax.management.ObjectName(
                "io.onramp.connect:type=transform-metrics,connector=unit-unwrap,transform=ChangeEventUnwrap,instance=0");
        var t = unwrap("connector.name", "unit-unwrap", "delete.tombstone.handling.mode", "rewrite");
        t.apply(change("c", null, row(1, "Ann")));
        t.apply(change("u", row(1, "Ann"), row(1, "Bo")));
        t.apply(change("d", row(1, "Bo"), null));
        t.apply(tombstone());
        t.apply(new SourceRecord(Map.of(), Map.of(), "plain", 0, Schema.STRING_SCHEMA, "not an envelope"));

        assertThat(server.getAttribute(name, "RecordsUnwrapped")).isEqualTo(2L);
        assertThat(server.getAttribute(name, "DeletesRewritten")).isEqualTo(1L);
        assertThat(server.getAttribute(name, "TombstonesDropped")).isEqualTo(1L);
        assertThat(server.getAttribute(name, "RecordsPassedThrough")).isEqualTo(1L);
        assertThat(server.getAttribute(name, "DeletesTombstoned")).isEqualTo(0L);
        assertThat(server.getAttribute(name, "DeletesDropped")).isEqualTo(0L);
        t.close();
        assertThat(server.isRegistered(name)).isFalse();

        var drop = unwrap("connector.name", "unit-unwrap", "delete.tombstone.handling.mode", "drop");
        drop.apply(change("d", row(1, "Bo"), null));
        drop.apply(change("d", row(2, "Cy"), null));
        assertThat(server.getAttribute(name, "DeletesDropped")).as("a new bean for the new instance").isEqualTo(2L);
        assertThat(server.getAttribute(name, "RecordsUnwrapped")).isEqualTo(0L);
        drop.close();
    }

    @Test
    void insertAndUpdateBecomeTheRowAfterWithKeyAndTimestampKept() {
        var t = unwrap();
        Struct after = row(1, "Ann");
        SourceRecord out = t.apply(change("c", null, after));
        assertThat(out.value()).isSameAs(after);
        assertThat(out.valueSchema()).isSameAs(ROW);
        assertThat(((Struct) out.key()).getInt32("id")).isEqualTo(1);
        assertThat(out.timestamp()).isEqualTo(9L);
        assertThat(out.topic()).isEqualTo("db.public.customers");
        assertThat(((Struct) t.apply(change("u", row(1, "Ann"), row(1, "Bo"))).value()).getString("name")).isEqualTo("Bo");
    }

    @Test
    void tombstoneModeTurnsDeletesIntoNullValuesAndDropsIncomingTombstones() {
        var t = unwrap();
        SourceRecord out = t.apply(change("d", row(1, "Ann"), null));
        assertThat(out.value()).isNull();
        assertThat(out.valueSchema()).isSameAs(ROW);
        assertThat(((Struct) out.key()).getInt32("id")).isEqualTo(1);
        assertThat(t.apply(tombstone())).isNull();
    }

    @Test
    void dropModeDropsDeletesAndTombstones() {
        var t = unwrap("delete.tombstone.handling.mode", "drop");
        assertThat(t.apply(change("d", row(1, "Ann"), null))).isNull();
        assertThat(t.apply(tombstone())).isNull();
        assertThat(t.apply(change("c", null, row(1, "Ann")))).isNotNull();
    }

    @Test
    void rewriteModeMarksEveryRowWithDeletedAndDropsTombstones() {
        var t = unwrap("delete.tombstone.handling.mode", "rewrite");
        SourceRecord deleted = t.apply(change("d", row(1, "Ann"), null));
        assertThat(((Struct) deleted.value()).getString("__deleted")).isEqualTo("true");
        assertThat(((Struct) deleted.value()).getString("name")).isEqualTo("Ann");
        SourceRecord inserted = t.apply(change("c", null, row(2, "Bo")));
        assertThat(((Struct) inserted.value()).getString("__deleted")).isEqualTo("false");
        assertThat(inserted.valueSchema()).isSameAs(deleted.valueSchema());
        assertThat(t.apply(tombstone())).isNull();
    }

    @Test
    void rewriteWithTombstoneKeepsTombstones() {
        var t = unwrap("delete.tombstone.handling.mode", "rewrite-with-tombstone", "add.headers", "op");
        assertThat(((Struct) t.apply(change("d", row(1, "Ann"), null)).value()).getString("__deleted")).isEqualTo("true");
        SourceRecord tomb = t.apply(tombstone());
        assertThat(tomb).isNotNull();
        assertThat(tomb.value()).isNull();
        assertThat(header(tomb, "__op")).isEqualTo("d");
    }

    @Test
    void deleteToTombstoneGivesARealTombstone() {
        var t = unwrap("delete.tombstone.handling.mode", "delete-to-tombstone");
        SourceRecord out = t.apply(change("d", row(1, "Ann"), null));
        assertThat(out.value()).isNull();
        assertThat(out.valueSchema()).isNull();
        assertThat(t.apply(tombstone())).isNull();
    }

    @Test
    void addFieldsAndHeadersNameThemAsDebeziumDoes() {
        var t = unwrap("add.fields", "op,table,lsn,source.ts_ms,ts_ms:event_ts", "add.headers", "op,source.ts_ms");
        SourceRecord out = t.apply(change("u", row(1, "Ann"), row(1, "Bo")));
        Struct v = (Struct) out.value();
        assertThat(v.schema().fields()).extracting(Field::name)
                .containsExactly("id", "name", "region", "__op", "__table", "__lsn", "__source_ts_ms", "__event_ts");
        assertThat(v.getString("__op")).isEqualTo("u");
        assertThat(v.getString("__table")).isEqualTo("customers");
        assertThat(v.getInt64("__lsn")).isEqualTo(2222L);
        assertThat(v.getInt64("__source_ts_ms")).isEqualTo(111L);
        assertThat(v.getInt64("__event_ts")).isEqualTo(333L);
        assertThat(header(out, "__op")).isEqualTo("u");
        assertThat(header(out, "__source_ts_ms")).isEqualTo(111L);
        // Same envelope schema: the extended schema is built once.
        assertThat(t.apply(change("c", null, row(2, "Cy"))).valueSchema()).isSameAs(v.schema());
    }

    @Test
    void fieldsAnEnvelopeLacksAreNotAdded() {
        SourceRecord out = unwrap("add.fields", "pos,file").apply(change("c", null, row(1, "Ann")));
        assertThat(out.valueSchema().fields()).extracting(Field::name).containsExactly("id", "name", "region");
    }

    @Test
    void keyRebuiltFromChosenFieldsUsesTheRowBeforeForDeletes() {
        var t = unwrap("key.fields", "region,id", "delete.tombstone.handling.mode", "delete-to-tombstone");
        SourceRecord out = t.apply(change("c", null, row(5, "Ann")));
        Struct key = (Struct) out.key();
        assertThat(key.schema().name()).isEqualTo("db.public.customers.Key");
        assertThat(key.schema().fields()).extracting(Field::name).containsExactly("region", "id");
        assertThat(key.getInt32("id")).isEqualTo(5);
        Struct deleteKey = (Struct) t.apply(change("d", row(6, "Bo"), null)).key();
        assertThat(deleteKey.getInt32("id")).isEqualTo(6);
        assertThat(deleteKey.schema()).isSameAs(key.schema());
    }

    @Test
    void routeByFieldSetsTheTopicFromTheRow() {
        assertThat(unwrap("route.by.field", "region").apply(change("c", null, row(1, "A"))).topic()).isEqualTo("north");
    }

    @Test
    void nonEnvelopeRecordsPassUnchanged() {
        var t = unwrap("add.fields", "op");
        SourceRecord flat = new SourceRecord(Map.of(), Map.of(), "t", 0, null, null, ROW, row(1, "A"));
        assertThat(t.apply(flat)).isSameAs(flat);
        SourceRecord text = new SourceRecord(Map.of(), Map.of(), "t", 0, null, null, Schema.STRING_SCHEMA, "x");
        assertThat(t.apply(text)).isSameAs(text);
        Map<String, Object> notEnvelope = Map.of("a", 1);
        SourceRecord map = new SourceRecord(Map.of(), Map.of(), "t", 0, null, null, null, notEnvelope);
        assertThat(t.apply(map)).isSameAs(map);
    }

    @Test
    void onrampFileSnapshotEnvelopesUnwrapWithTheirSourceFields() {
        Schema row = SchemaBuilder.struct().name("crm.customers").field("id", Schema.STRING_SCHEMA).build();
        Schema source = SchemaBuilder.struct().name("io.onramp.connect.source.file.Source")
                .field("file", Schema.STRING_SCHEMA).field("snapshot_id", Schema.STRING_SCHEMA).build();
        var envelope = new io.onramp.connect.core.change.ChangeEnvelope("crm.customers.Envelope", row, source);
        Struct value = envelope.build(io.onramp.connect.core.change.ChangeEnvelope.Op.CREATE, null,
                new Struct(row).put("id", "c1"), new Struct(source).put("file", "dump-1.csv").put("snapshot_id", "s1"), 1L);
        SourceRecord out = unwrap("add.headers", "op,file").apply(
                new SourceRecord(Map.of(), Map.of(), "crm", 0, null, null, envelope.schema(), value));
        assertThat(((Struct) out.value()).getString("id")).isEqualTo("c1");
        assertThat(header(out, "__op")).isEqualTo("c");
        assertThat(header(out, "__file")).isEqualTo("dump-1.csv");
    }

    @Test
    void schemalessEnvelopesUnwrapToTheAfterMap() {
        var envelope = new LinkedHashMap<String, Object>();
        envelope.put("before", null);
        envelope.put("after", Map.of("id", 1));
        envelope.put("op", "c");
        envelope.put("source", Map.of("table", "t1"));
        SourceRecord out = unwrap("add.fields", "table").apply(new SourceRecord(Map.of(), Map.of(), "t", 0, null, null, null, envelope));
        assertThat(out.value()).isEqualTo(Map.of("id", 1, "__table", "t1"));
    }

    @Test
    void everyCheckIsAValidator() {
        Map<String, String> bad = Map.of("delete.tombstone.handling.mode", "vanish", "add.fields", "a.b.c", "add.headers", "x:");
        List<ConfigValue> values = ChangeEventUnwrap.CONFIG_DEF.validate(bad);
        for (String key : bad.keySet()) {
            assertThat(values.stream().filter(c -> c.name().equals(key)).findFirst().orElseThrow().errorMessages()).as(key).isNotEmpty();
        }
    }
}
