package io.onramp.connect.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class JsonSchemaInferenceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonSchemaInference inference = new JsonSchemaInference();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void sameShapeInAnyPropertyOrderGivesEqualSchemas() throws Exception {
        Schema a = inference.schemaOf(json("{\"b\":1,\"a\":\"x\",\"c\":{\"z\":true,\"y\":2.5}}"));
        Schema b = inference.schemaOf(json("{\"c\":{\"y\":0.5,\"z\":false},\"a\":\"q\",\"b\":7}"));
        assertThat(a).isEqualTo(b);
        assertThat(a.fields()).extracting(Field::name).containsExactly("a", "b", "c");
        assertThat(a.field("c").schema().fields()).extracting(Field::name).containsExactly("y", "z");
    }

    @Test
    void infersTheExpectedTypesWithOptionalFieldsAndARequiredTop() throws Exception {
        Schema expected = SchemaBuilder.struct()
                .field("amount", Schema.OPTIONAL_FLOAT64_SCHEMA)
                .field("customer", SchemaBuilder.struct().field("id", Schema.OPTIONAL_INT64_SCHEMA)
                        .field("name", Schema.OPTIONAL_STRING_SCHEMA).optional().build())
                .field("paid", Schema.OPTIONAL_BOOLEAN_SCHEMA)
                .field("tags", SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).optional().build())
                .build();
        var result = inference.infer(json("{\"tags\":[\"a\",null,\"b\"],\"paid\":true,\"amount\":12.5,"
                + "\"customer\":{\"name\":\"Ann\",\"id\":42}}"));
        assertThat(result.schema()).isEqualTo(expected);
        Struct value = (Struct) result.value();
        assertThat(value.getFloat64("amount")).isEqualTo(12.5);
        assertThat(value.getStruct("customer").getInt64("id")).isEqualTo(42L);
        assertThat(value.getStruct("customer").getString("name")).isEqualTo("Ann");
        assertThat(value.getBoolean("paid")).isTrue();
        assertThat(value.getArray("tags")).containsExactly("a", null, "b");
    }

    @Test
    void nullPropertiesAreLeftOutOfTheSchema() throws Exception {
        var result = inference.infer(json("{\"a\":null,\"b\":1}"));
        assertThat(result.schema().fields()).extracting(Field::name).containsExactly("b");
        assertThat(((Struct) result.value()).getInt64("b")).isEqualTo(1L);
    }

    @Test
    void mixedNumbersInAnArrayWidenToFloat64() throws Exception {
        var result = inference.infer(json("{\"n\":[1,2.5,null,3]}"));
        assertThat(result.schema().field("n").schema().valueSchema()).isEqualTo(Schema.OPTIONAL_FLOAT64_SCHEMA);
        assertThat(((Struct) result.value()).getArray("n")).containsExactly(1.0, 2.5, null, 3.0);
    }

    @Test
    void arraysOfObjectsMergeTheirFields() throws Exception {
        var result = inference.infer(json("{\"lines\":[{\"sku\":\"A\",\"qty\":1},{\"qty\":2,\"note\":\"gift\"},null]}"));
        Schema line = result.schema().field("lines").schema().valueSchema();
        assertThat(line.isOptional()).isTrue();
        assertThat(line.fields()).extracting(Field::name).containsExactly("note", "qty", "sku");
        List<?> lines = ((Struct) result.value()).getArray("lines");
        assertThat(((Struct) lines.get(0)).getString("sku")).isEqualTo("A");
        assertThat(((Struct) lines.get(0)).getString("note")).isNull();
        assertThat(((Struct) lines.get(1)).getInt64("qty")).isEqualTo(2L);
        assertThat(lines.get(2)).isNull();
    }

    @Test
    void unmergeableArrayElementsAreKeptAsJsonText() throws Exception {
        var result = inference.infer(json("{\"x\":[\"a\",1,{\"k\":true}]}"));
        assertThat(result.schema().field("x").schema().valueSchema()).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
        assertThat(((Struct) result.value()).getArray("x")).containsExactly("a", "1", "{\"k\":true}");
    }

    @Test
    void emptyAndAllNullArraysHoldOptionalStrings() throws Exception {
        var result = inference.infer(json("{\"e\":[],\"n\":[null,null]}"));
        assertThat(result.schema().field("e").schema().valueSchema()).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
        assertThat(((Struct) result.value()).getArray("n")).containsExactly(null, null);
    }

    @Test
    void integersBeyondLongBecomeDecimalsWithEveryDigit() throws Exception {
        var result = inference.infer(json("{\"big\":123456789012345678901234567890,\"arr\":[1,123456789012345678901234567890]}"));
        Schema big = result.schema().field("big").schema();
        assertThat(big.name()).isEqualTo(Decimal.LOGICAL_NAME);
        assertThat(((Struct) result.value()).get("big")).isEqualTo(new BigDecimal("123456789012345678901234567890"));
        assertThat(((Struct) result.value()).getArray("arr"))
                .containsExactly(BigDecimal.ONE, new BigDecimal("123456789012345678901234567890"));
    }

    @Test
    void topLevelArraysAndScalarsAreInferredToo() throws Exception {
        assertThat(inference.infer(json("[1,2]")).schema().type()).isEqualTo(Schema.Type.ARRAY);
        assertThat(inference.infer(json("\"s\"")).value()).isEqualTo("s");
    }

    @Test
    void aRepeatedShapeReusesTheCachedSchemaInstance() throws Exception {
        Schema first = inference.schemaOf(json("{\"a\":1}"));
        Schema second = inference.schemaOf(json("{\"a\":99}"));
        assertThat(second).isSameAs(first);
        assertThat(inference.cachedShapes()).isEqualTo(1);
    }

    @Test
    void schemaOfAllMergesShapesAcrossDocuments() throws Exception {
        Schema merged = JsonSchemaInference.schemaOfAll(Arrays.asList(json("{\"a\":1}"), json("{\"a\":1.5,\"b\":\"x\"}")));
        assertThat(merged.field("a").schema()).isEqualTo(Schema.OPTIONAL_FLOAT64_SCHEMA);
        assertThat(merged.field("b").schema()).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
    }
}
