package io.onramp.connect.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class RecordValidatorTest {

    final RecordValidator validator = new RecordValidator(Contract.parse(ContractTest.FULL, null, null, 1, "test"));

    static final Schema CUSTOMER = SchemaBuilder.struct().name("Customer").field("phone", Schema.STRING_SCHEMA).build();
    static final Schema ITEM = SchemaBuilder.struct().name("Item").field("sku", Schema.STRING_SCHEMA).build();
    static final Schema ORDER = SchemaBuilder.struct().name("Order")
            .field("id", Schema.INT64_SCHEMA)
            .field("email", Schema.STRING_SCHEMA)
            .field("age", Schema.OPTIONAL_INT32_SCHEMA)
            .field("status", Schema.STRING_SCHEMA)
            .field("customer", CUSTOMER)
            .field("items", SchemaBuilder.array(ITEM).build())
            .field("attrs", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).build())
            .build();

    static Struct validStruct() {
        return new Struct(ORDER).put("id", 1L).put("email", "a@b.c").put("age", 42).put("status", "NEW")
                .put("customer", new Struct(CUSTOMER).put("phone", "555"))
                .put("items", List.of(new Struct(ITEM).put("sku", "X1")))
                .put("attrs", Map.of("k", "v"));
    }

    static Map<String, Object> validMap() {
        var m = new HashMap<String, Object>();
        m.put("id", 1L);
        m.put("email", "a@b.c");
        m.put("status", "PAID");
        m.put("customer", Map.of("phone", "555"));
        m.put("items", List.of(Map.of("sku", "X1")));
        m.put("attrs", Map.of());
        return m;
    }

    @Test
    void acceptsValidStructAndMap() {
        assertThat(validator.validate(validStruct())).isNull();
        assertThat(validator.validate(validMap())).isNull();
    }

    @Test
    void reportsMinAndMaxWithoutTheValue() {
        assertThat(validator.validate(validStruct().put("age", -1)))
                .isEqualTo(new Violation("age", "min", "Field 'age' is below the minimum 0."));
        Map<String, Object> m = validMap();
        m.put("age", 131);
        assertThat(validator.validate(m)).extracting(Violation::rule, Violation::field).containsExactly("max", "age");
    }

    @Test
    void reportsPatternMaxLengthRequiredAndEnum() {
        assertThat(validator.validate(validStruct().put("email", "nope"))).extracting(Violation::rule).isEqualTo("pattern");
        assertThat(validator.validate(validStruct().put("email", "a@" + "x".repeat(80)))).extracting(Violation::rule)
                .isEqualTo("maxLength");
        assertThat(validator.validate(validStruct().put("email", ""))).extracting(Violation::rule).isEqualTo("required");
        assertThat(validator.validate(validStruct().put("status", "LOST")))
                .satisfies(v -> assertThat(v.reason()).contains("NEW", "PAID").doesNotContain("LOST"));
    }

    @Test
    void reportsMissingNonOptionalFieldAndWrongTypeInSchemalessMap() {
        Map<String, Object> missing = validMap();
        missing.remove("id");
        assertThat(validator.validate(missing)).extracting(Violation::field, Violation::rule).containsExactly("id", "type");

        Map<String, Object> wrong = validMap();
        wrong.put("id", "one");
        assertThat(validator.validate(wrong)).satisfies(v -> {
            assertThat(v.rule()).isEqualTo("type");
            assertThat(v.reason()).contains("'id'", "long", "String");
        });
    }

    @Test
    void optionalFieldWithDefaultMayBeAbsentOrNull() {
        Map<String, Object> m = validMap();
        m.put("age", null);
        assertThat(validator.validate(m)).isNull();
    }

    @Test
    void nullInNonNullableFieldIsATypeViolation() {
        Map<String, Object> m = validMap();
        m.put("status", null);
        assertThat(validator.validate(m)).extracting(Violation::field, Violation::rule).containsExactly("status", "type");
    }

    @Test
    void checksNestedRecordsAndArrayElements() {
        Map<String, Object> m = validMap();
        m.put("items", List.of(Map.of("sku", "X"), Map.of("sku", 7)));
        assertThat(validator.validate(m)).extracting(Violation::field).isEqualTo("items.sku");

        m = validMap();
        m.put("customer", Map.of());
        assertThat(validator.validate(m)).extracting(Violation::field).isEqualTo("customer.phone");
    }

    @Test
    void checksMapValuesAndRootType() {
        Map<String, Object> m = validMap();
        m.put("attrs", Map.of("k", 1));
        assertThat(validator.validate(m)).extracting(Violation::field).isEqualTo("attrs");
        assertThat(validator.validate("text")).extracting(Violation::rule).isEqualTo("type");
    }

    @Test
    void requiredRuleRejectsNullInANullableField() {
        RecordValidator v = new RecordValidator(TestContracts.contract(1, "",
                "{\"name\":\"ref\",\"type\":[\"null\",\"string\"],\"default\":null,\"onramp.rules\":{\"required\":true}}"));
        var m = new HashMap<String, Object>();
        m.put("ref", null);

        assertThat(v.validate(m)).extracting(Violation::field, Violation::rule).containsExactly("ref", "required");
        assertThat(v.validate(Map.of("ref", "R-1"))).isNull();
    }

    @Test
    void avroEnumExpectsOneOfItsSymbols() {
        Contract c = TestContracts.contract(1, "", "{\"name\":\"s\",\"type\":{\"type\":\"enum\",\"name\":\"S\",\"symbols\":[\"A\",\"B\"]}}");
        RecordValidator v = new RecordValidator(c);

        assertThat(v.validate(Map.of("s", "A"))).isNull();
        assertThat(v.validate(Map.of("s", "C"))).extracting(Violation::rule).isEqualTo("type");
    }
}
