package io.onramp.connect.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class JsonTypingTest {

    private static final String DOC = "{\"name\":\"doc\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Doc\",\"fields\":["
            + "{\"name\":\"email\",\"type\":\"string\",\"onramp.rules\":{\"pattern\":\"[^@]+@[^@]+\"}},"
            + "{\"name\":\"qty\",\"type\":\"int\",\"onramp.rules\":{\"min\":1}}]}]}";
    private static final Contract ROW = TestContracts.contract(1, "",
            "{\"name\":\"id\",\"type\":\"long\"}", DOC, "{\"name\":\"note\",\"type\":[\"null\",\"string\"]}",
            "{\"name\":\"strict\",\"type\":{\"type\":\"record\",\"name\":\"Strict\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}}");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRecordFieldTypesAJsonObjectAsAStructOfThatRecord() throws Exception {
        JsonTyping doc = JsonTyping.ofField(ROW, "doc").orElseThrow();
        assertThat(doc.schema().type()).isEqualTo(Schema.Type.STRUCT);
        assertThat(doc.schema().isOptional()).as("the contract field is nullable").isTrue();

        JsonTyping.Result r = doc.type(JSON.readTree("{\"email\":\"a@b.example\",\"qty\":3}"));

        assertThat(r.violation()).isNull();
        Struct value = r.value();
        assertThat(value.getString("email")).isEqualTo("a@b.example");
        assertThat(value.getInt32("qty")).isEqualTo(3);
    }

    @Test
    void aBrokenRuleNamesTheNestedFieldAndRuleButNotTheValue() throws Exception {
        JsonTyping doc = JsonTyping.ofField(ROW, "doc").orElseThrow();

        Violation bad = doc.type(JSON.readTree("{\"email\":\"secret-not-an-address\",\"qty\":3}")).violation();
        Violation low = doc.type(JSON.readTree("{\"email\":\"a@b.example\",\"qty\":0}")).violation();
        Violation typed = doc.type(JSON.readTree("{\"email\":\"a@b.example\",\"qty\":\"many\"}")).violation();

        assertThat(bad.field()).isEqualTo("doc.email");
        assertThat(bad.rule()).isEqualTo("pattern");
        assertThat(bad.reason()).doesNotContain("secret-not-an-address");
        assertThat(low.field()).isEqualTo("doc.qty");
        assertThat(low.rule()).isEqualTo("min");
        assertThat(typed.field()).isEqualTo("doc.qty");
        assertThat(typed.rule()).isEqualTo("type");
        assertThat(typed.reason()).doesNotContain("many");
    }

    @Test
    void nullIsAllowedOnlyWhereTheContractFieldIsNullable() throws Exception {
        assertThat(JsonTyping.ofField(ROW, "doc").orElseThrow().type(null)).isEqualTo(new JsonTyping.Result(null, null));
        Violation v = JsonTyping.ofField(ROW, "strict").orElseThrow().type(JSON.readTree("null")).violation();
        assertThat(v.field()).isEqualTo("strict");
        assertThat(v.rule()).isEqualTo("type");
    }

    @Test
    void aJsonArrayWhereTheContractWantsARecordIsATypeViolation() throws Exception {
        Violation v = JsonTyping.ofField(ROW, "strict").orElseThrow().type(JSON.readTree("[1,2]")).violation();
        assertThat(v.field()).isEqualTo("strict");
        assertThat(v.rule()).isEqualTo("type");
    }

    @Test
    void onlyRecordFieldsTypeJson() {
        assertThat(JsonTyping.ofField(ROW, "note")).as("a string field").isEmpty();
        assertThat(JsonTyping.ofField(ROW, "missing")).isEmpty();
    }

    @Test
    void theWholeContractTypesAnObjectAsTheRecord() throws Exception {
        JsonTyping.Result r = JsonTyping.of(ROW).type(JSON.readTree("{\"id\":7,\"doc\":null,\"strict\":{\"a\":1}}"));
        assertThat(r.violation()).isNull();
        assertThat(r.value().getInt64("id")).isEqualTo(7L);
        assertThat(r.value().getStruct("strict").getInt32("a")).isEqualTo(1);
    }
}
