package io.onramp.connect.transforms.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.connect.core.InvalidRecordHandler;
import io.onramp.connect.core.contract.Contract;
import io.onramp.connect.core.schema.AvroSchemaMapper;
import io.onramp.connect.transforms.TestContracts;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaProjectTest {

    @TempDir
    Path root;

    @BeforeEach
    void contracts() {
        TestContracts.ordersDirectory(root, true);
    }

    SchemaProject<SourceRecord> configured(Map<String, String> extra) {
        var props = new HashMap<String, String>(Map.of("contract.dir", root.toString(), "contract.domain", "sales",
                "contract.product", "orders"));
        props.putAll(extra);
        var t = new SchemaProject<SourceRecord>();
        t.configure(props);
        return t;
    }

    Schema schema(int version) {
        return AvroSchemaMapper.toConnectSchema(Contract.load(root.resolve("sales/orders/v" + version + ".avsc")).schema());
    }

    Struct v1Order() {
        return new Struct(schema(1)).put("id", 1L).put("email", "a@b.org").put("qty", 5).put("status", "NEW")
                .put("note", "gift");
    }

    static SourceRecord record(Schema schema, Object value) {
        return new SourceRecord(Map.of(), Map.of(), "orders-raw", null, null, null, schema, value);
    }

    @Test
    void projectsV1StructOntoV2WithAliasPromotionDefaultAndDroppedField() {
        SourceRecord out = configured(Map.of("contract.version", "2", "source.version", "1"))
                .apply(record(schema(1), v1Order()));

        Struct v2 = (Struct) out.value();
        assertThat(out.valueSchema().fields()).extracting(f -> f.name())
                .containsExactly("id", "contact", "qty", "status", "channel");
        assertThat(v2.getString("contact")).isEqualTo("a@b.org");
        assertThat(v2.getInt64("qty")).isEqualTo(5L);
        assertThat(v2.getString("channel")).isEqualTo("web");
        assertThat(out.topic()).isEqualTo("orders-raw");
    }

    @Test
    void projectsSchemalessMaps() {
        var v1 = new HashMap<String, Object>(Map.of("id", 1L, "email", "a@b.org", "qty", 5, "status", "NEW", "extra", true));

        @SuppressWarnings("unchecked")
        Map<String, Object> v2 = (Map<String, Object>) configured(Map.of("contract.version", "2"))
                .apply(record(null, v1)).value();

        assertThat(v2).containsExactly(Map.entry("id", 1L), Map.entry("contact", "a@b.org"), Map.entry("qty", 5L),
                Map.entry("status", "NEW"), Map.entry("channel", "web"));
    }

    @Test
    void recordMissingATargetFieldWithoutDefaultFollowsOnInvalid() {
        Struct v2 = new Struct(schema(2)).put("id", 1L).put("contact", "a@b.org").put("qty", 5L).put("status", "NEW")
                .put("channel", "shop");

        assertThatThrownBy(() -> configured(Map.of("contract.version", "1")).apply(record(schema(2), v2)))
                .isInstanceOf(DataException.class).hasMessageContaining("'email'").hasMessageContaining("no default");

        SourceRecord quarantined = configured(Map.of("contract.version", "1", "on.invalid", "quarantine"))
                .apply(record(schema(2), v2));
        assertThat(quarantined.topic()).isEqualTo("orders-raw.quarantine");
        Header field = quarantined.headers().lastWithName(InvalidRecordHandler.HEADER_FIELD);
        assertThat(field.value()).isEqualTo("email");

        assertThat(configured(Map.of("contract.version", "1", "on.invalid", "drop")).apply(record(schema(2), v2))).isNull();
    }

    @Test
    void narrowingIsNotAPromotion() {
        Schema wide = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).field("email", Schema.STRING_SCHEMA)
                .field("qty", Schema.INT64_SCHEMA).field("status", Schema.STRING_SCHEMA).build();
        Struct value = new Struct(wide).put("id", 1L).put("email", "a@b.org").put("qty", 5L).put("status", "NEW");

        assertThatThrownBy(() -> configured(Map.of("contract.version", "1")).apply(record(wide, value)))
                .isInstanceOf(DataException.class).hasMessageContaining("'qty'").hasMessageContaining("INT64");
    }

    @Test
    void sourceVersionTheTargetCannotReadIsAConfigError() {
        assertThatThrownBy(() -> configured(Map.of("contract.version", "1", "source.version", "2")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("source.version")
                .hasMessageContaining("sales.orders v1 cannot read records of sales.orders v2").hasMessageContaining("email");
    }

    @Test
    void outputSchemaIsTheTargetContractsAndIsBuiltOnce() {
        SchemaProject<SourceRecord> t = configured(Map.of("contract.version", "2"));

        Schema first = t.apply(record(schema(1), v1Order())).valueSchema();
        Schema second = t.apply(record(schema(1), v1Order())).valueSchema();

        assertThat(second).isSameAs(first);
        assertThat(first).isEqualTo(schema(2));
    }

    @Test
    void arraysAndNestedRecordsAreProjectedElementWise() {
        TestContracts.write(root, "shop", "carts", 1, "{\"type\":\"record\",\"name\":\"Cart\",\"fields\":["
                + "{\"name\":\"items\",\"type\":{\"type\":\"array\",\"items\":{\"type\":\"record\",\"name\":\"Item\","
                + "\"fields\":[{\"name\":\"sku\",\"type\":\"string\"},{\"name\":\"qty\",\"type\":\"double\"}]}}}]}");
        Schema item = SchemaBuilder.struct().field("sku", Schema.STRING_SCHEMA).field("qty", Schema.INT32_SCHEMA)
                .field("gone", Schema.STRING_SCHEMA).build();
        Schema cart = SchemaBuilder.struct().field("items", SchemaBuilder.array(item).build()).build();
        Struct value = new Struct(cart).put("items", List.of(new Struct(item).put("sku", "A").put("qty", 2).put("gone", "x")));
        var t = new SchemaProject<SourceRecord>();
        t.configure(Map.of("contract.dir", root.toString(), "contract.domain", "shop", "contract.product", "carts"));

        Struct out = (Struct) t.apply(record(cart, value)).value();

        Struct projected = out.<Struct>getArray("items").get(0);
        assertThat(projected.getFloat64("qty")).isEqualTo(2.0);
        assertThat(projected.schema().field("gone")).isNull();
    }

    @Test
    void everyConfigKeyIsDocumented() {
        assertThat(new SchemaProject<SourceRecord>().config().configKeys().values())
                .allSatisfy(k -> assertThat(k.documentation).isNotBlank());
    }
}
