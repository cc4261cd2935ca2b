package io.onramp.connect.core.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class JsonValueConverterTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final JsonValueConverter converter = new JsonValueConverter();

    private static final Schema ORDER = AvroSchemaMapper.toConnectSchema(new org.apache.avro.Schema.Parser().parse("""
            {"type":"record","name":"Order","namespace":"shop","fields":[
              {"name":"id","type":"long"},
              {"name":"qty","type":"int","default":1},
              {"name":"note","type":["null","string"]},
              {"name":"status","type":{"type":"enum","name":"Status","symbols":["NEW","PAID"]}},
              {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}},
              {"name":"placed","type":{"type":"long","logicalType":"timestamp-millis"}},
              {"name":"customer","type":{"type":"record","name":"Customer","fields":[
                 {"name":"name","type":"string"},
                 {"name":"address","type":["null",{"type":"record","name":"Address","fields":[{"name":"city","type":"string"}]}]}]}},
              {"name":"lines","type":{"type":"array","items":{"type":"record","name":"Line","fields":[
                 {"name":"sku","type":"string"},{"name":"price","type":"double"}]}}},
              {"name":"extras","type":{"type":"map","values":"Line"}, "default":{}},
              {"name":"tags","type":{"type":"map","values":"long"},"default":{}}]}"""));

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Struct order(String body) {
        return converter.toStruct(json("{\"id\":1,\"status\":\"NEW\",\"amount\":1.5,\"placed\":\"2024-05-01T10:00:00Z\","
                + "\"customer\":{\"name\":\"Ann\"},\"lines\":[]" + body + "}"), ORDER);
    }

    @Test
    void convertsNestedStructsArraysOfStructsAndMapsOfStructs() {
        Struct struct = order(",\"customer\":{\"name\":\"Ann\",\"address\":{\"city\":\"Oslo\"}},"
                + "\"lines\":[{\"sku\":\"A\",\"price\":2},{\"sku\":\"B\",\"price\":3.25}],"
                + "\"extras\":{\"gift\":{\"sku\":\"G\",\"price\":0}},\"tags\":{\"x\":7}");

        struct.validate();
        assertThat(struct.getStruct("customer").getStruct("address").getString("city")).isEqualTo("Oslo");
        List<Struct> lines = struct.getArray("lines");
        assertThat(lines).extracting(l -> l.getString("sku")).containsExactly("A", "B");
        assertThat(lines.get(1).getFloat64("price")).isEqualTo(3.25);
        Map<String, Struct> extras = struct.getMap("extras");
        assertThat(extras.get("gift").getString("sku")).isEqualTo("G");
        assertThat(struct.getMap("tags")).isEqualTo(Map.of("x", 7L));
    }

    @Test
    void appliesDefaultsAndOptionalNullsForMissingFields() {
        Struct struct = order(",\"note\":null,\"unknown\":{\"ignored\":true}");

        assertThat(struct.getInt32("qty")).isEqualTo(1);
        assertThat(struct.getString("note")).isNull();
        assertThat(struct.getStruct("customer").getStruct("address")).isNull();
        assertThat(struct.getMap("tags")).isEmpty();
    }

    @Test
    void convertsLogicalTypesFromStringsAndNumbers() {
        Struct struct = order(",\"amount\":\"12.5\"");
        assertThat(struct.get("amount")).isEqualTo(new BigDecimal("12.50"));
        assertThat(struct.get("placed")).isEqualTo(java.util.Date.from(Instant.parse("2024-05-01T10:00:00Z")));

        assertThat(order(",\"amount\":0.10,\"placed\":86400000").get("amount")).isEqualTo(new BigDecimal("0.10"));
        assertThat(order(",\"placed\":86400000").get("placed")).isEqualTo(new java.util.Date(86_400_000L));
        assertThatThrownBy(() -> order(",\"amount\":0.125"))
                .isInstanceOf(DataException.class).hasMessageContaining("'amount'");
    }

    @Test
    void reportsFieldPathOfMissingRequiredNestedField() {
        assertThatThrownBy(() -> order(",\"lines\":[{\"sku\":\"A\",\"price\":1},{\"sku\":\"B\",\"price\":1},{\"price\":1}]"))
                .isInstanceOf(DataException.class).hasMessage("Field 'lines[2].sku' is required");
        assertThatThrownBy(() -> order(",\"customer\":{\"name\":\"Ann\",\"address\":{}}"))
                .hasMessage("Field 'customer.address.city' is required");
        assertThatThrownBy(() -> order(",\"extras\":{\"k\":{\"sku\":null,\"price\":1}}"))
                .hasMessage("Field 'extras[\"k\"].sku' is required");
    }

    @Test
    void rejectsIntegersOutOfRangeOrWithFractions() {
        Schema schema = AvroSchemaMapper.toConnectSchema(new org.apache.avro.Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"N\",\"fields\":[{\"name\":\"i\",\"type\":[\"null\",\"int\"]},"
                        + "{\"name\":\"l\",\"type\":[\"null\",\"long\"]},{\"name\":\"f\",\"type\":[\"null\",\"float\"]}]}"));

        assertThat(converter.toStruct(json("{\"i\":2147483647,\"l\":2.0,\"f\":1.5}"), schema).getInt64("l")).isEqualTo(2L);
        assertThatThrownBy(() -> converter.toStruct(json("{\"i\":3000000000}"), schema))
                .isInstanceOf(DataException.class).hasMessageContaining("'i'").hasMessageNotContaining("3000000000");
        assertThatThrownBy(() -> converter.toStruct(json("{\"l\":1.5}"), schema))
                .isInstanceOf(DataException.class).hasMessageContaining("'l'");
        assertThatThrownBy(() -> converter.toStruct(json("{\"l\":1e30}"), schema)).isInstanceOf(DataException.class);
        assertThatThrownBy(() -> converter.toStruct(json("{\"f\":1e300}"), schema)).isInstanceOf(DataException.class);
        assertThat(converter.toStruct(json("{\"i\":\"42\"}"), schema).getInt32("i")).isEqualTo(42);
    }

    @Test
    void rejectsWrongJsonTypesAndUnknownEnumSymbols() {
        assertThatThrownBy(() -> order(",\"customer\":\"Ann\""))
                .isInstanceOf(DataException.class).hasMessageContaining("'customer'").hasMessageContaining("string");
        assertThatThrownBy(() -> order(",\"lines\":{}")).hasMessageContaining("'lines'");
        assertThatThrownBy(() -> order(",\"customer\":{\"name\":5}")).hasMessageContaining("'customer.name'");
        assertThatThrownBy(() -> order(",\"status\":\"LOST\"")).hasMessageContaining("'status'").hasMessageNotContaining("LOST");
        assertThatThrownBy(() -> converter.toStruct(json("[1]"), ORDER)).isInstanceOf(DataException.class);
    }

    @Test
    void convertsToPlainJavaValuesWithoutSchema() throws Exception {
        Object value = JsonValueConverter.toSchemaless(json(
                "{\"s\":\"x\",\"n\":1,\"big\":123456789012345678901234,\"d\":1.5,\"b\":true,\"z\":null,\"a\":[1,{\"k\":\"v\"}]}"));

        assertThat(value).isInstanceOf(Map.class);
        var map = (Map<?, ?>) value;
        assertThat(map.get("s")).isEqualTo("x");
        assertThat(map.get("n")).isEqualTo(1L);
        assertThat(map.get("big")).isEqualTo(new BigDecimal("123456789012345678901234"));
        assertThat(map.get("d")).isEqualTo(new BigDecimal("1.5"));
        assertThat(map.get("b")).isEqualTo(true);
        assertThat(map.containsKey("z")).isTrue();
        assertThat(map.get("z")).isNull();
        assertThat(map.get("a")).isEqualTo(List.of(1L, Map.of("k", "v")));
        assertThat(JsonValueConverter.toSchemaless(new ObjectMapper().readTree("2.5")))
                .isEqualTo(2.5);
    }
}
