package io.onramp.connect.sink.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class ChangeReaderTest {

    private static final Schema ROW = SchemaBuilder.struct().name("server1.inventory.customers.Value").optional()
            .field("id", Schema.INT32_SCHEMA).field("email", Schema.OPTIONAL_STRING_SCHEMA)
            .field("balance", Decimal.builder(2).optional().build())
            .field("seen", Timestamp.builder().optional().build()).build();
    private static final Schema KEY = SchemaBuilder.struct().name("server1.inventory.customers.Key")
            .field("id", Schema.INT32_SCHEMA).build();
    /** Debezium's envelope as its connectors declare it. */
    private static final Schema DEBEZIUM = SchemaBuilder.struct().name("server1.inventory.customers.Envelope")
            .field("before", ROW).field("after", ROW)
            .field("source", SchemaBuilder.struct().field("connector", Schema.STRING_SCHEMA).build())
            .field("op", Schema.STRING_SCHEMA).field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();

    private final ChangeReader byField = new ChangeReader(List.of("id"));

    private static Struct row(int id, String email) {
        return new Struct(ROW).put("id", id).put("email", email).put("balance", new BigDecimal("10.50"))
                .put("seen", new java.util.Date(1_700_000_000_123L));
    }

    private static SinkRecord debezium(String op, Struct before, Struct after) {
        var value = new Struct(DEBEZIUM).put("before", before).put("after", after).put("op", op)
                .put("source", new Struct(DEBEZIUM.field("source").schema()).put("connector", "postgresql"));
        Struct row = before != null ? before : after;
        return new SinkRecord("t", 0, KEY, row == null ? null : new Struct(KEY).put("id", row.get("id")), DEBEZIUM, value, 7);
    }

    @Test
    void debeziumCreateUpdateAndDeleteBecomeUpsertsAndADeleteOfOneKey() {
        var create = byField.read(debezium("c", null, row(7, "a@x")));
        var update = byField.read(debezium("u", row(7, "a@x"), row(7, "b@x")));
        var delete = byField.read(debezium("d", row(7, "b@x"), null));
        assertThat(create.key()).isEqualTo("[7]");
        assertThat(update.key()).isEqualTo("[7]");
        assertThat(delete.key()).isEqualTo("[7]");
        assertThat(delete.isDelete()).isTrue();
        assertThat(ValueJson.write(update.row(), update.rowSchema()))
                .isEqualTo("{\"id\":7,\"email\":\"b@x\",\"balance\":10.50,\"seen\":\"2023-11-14T22:13:20.123Z\"}");
        assertThat(byField.read(debezium("t", null, null))).isNull();
    }

    @Test
    void aTombstoneDeletesTheKeyOfItsRecordKeyWhateverItsShape() {
        var struct = byField.read(new SinkRecord("t", 0, KEY, new Struct(KEY).put("id", 7), null, null, 1));
        var map = byField.read(new SinkRecord("t", 0, null, Map.of("id", 7L), null, null, 2));
        var primitive = byField.read(new SinkRecord("t", 0, Schema.INT64_SCHEMA, 7L, null, null, 3));
        assertThat(List.of(struct.key(), map.key(), primitive.key())).containsOnly("[7]");
        assertThat(struct.isDelete() && map.isDelete() && primitive.isDelete()).isTrue();
    }

    @Test
    void schemalessStateRecordsAndEnvelopesAreRowsToo() {
        var state = new LinkedHashMap<String, Object>();
        state.put("id", 7L);
        state.put("email", "a@x");
        var change = byField.read(new SinkRecord("t", 0, null, null, null, state, 1));
        assertThat(change.key()).isEqualTo("[7]");
        var envelope = new LinkedHashMap<String, Object>();
        envelope.put("before", state);
        envelope.put("after", null);
        envelope.put("op", "d");
        assertThat(byField.read(new SinkRecord("t", 0, null, null, null, envelope, 2)).isDelete()).isTrue();
    }

    @Test
    void withoutKeyFieldsTheWholeRecordKeyIsTheKey() {
        var byRecordKey = new ChangeReader(List.of());
        var upsert = byRecordKey.read(debezium("c", null, row(7, "a@x")));
        var tombstone = byRecordKey.read(new SinkRecord("t", 0, KEY, new Struct(KEY).put("id", 7), null, null, 9));
        assertThat(upsert.key()).isEqualTo(tombstone.key()).isEqualTo("{\"id\":7}");
        assertThatThrownBy(() -> byRecordKey.read(new SinkRecord("t", 3, null, null, ROW, row(1, "secret@x"), 12)))
                .isInstanceOf(DataException.class).hasMessageContaining("t-3@12").hasMessageContaining("no record key")
                .hasMessageNotContaining("secret");
    }

    @Test
    void aMissingOrNullKeyFieldFailsNamingTheRecordAndField() {
        var reader = new ChangeReader(List.of("email"));
        assertThatThrownBy(() -> reader.read(new SinkRecord("t", 0, null, null, ROW, row(1, null), 5)))
                .hasMessageContaining("t-0@5").hasMessageContaining("null key field 'email'");
        assertThatThrownBy(() -> new ChangeReader(List.of("nope")).read(new SinkRecord("t", 0, null, null, ROW, row(1, "x"), 6)))
                .hasMessageContaining("no key field 'nope'");
    }
}
