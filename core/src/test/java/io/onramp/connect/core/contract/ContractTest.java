package io.onramp.connect.core.contract;

import static io.onramp.connect.core.contract.TestContracts.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContractTest {

    static final String FULL = record(
            "\"doc\":\"Orders placed\",\"onramp.domain\":\"sales\",\"onramp.product\":\"orders\",\"onramp.owner\":\"team-sales\","
                    + "\"onramp.keyFields\":[\"id\"],\"onramp.compatibility\":\"full_transitive\","
                    + "\"onramp.deprecated\":true,\"onramp.sunset\":\"2027-03-31\"",
            "{\"name\":\"id\",\"type\":\"long\"}",
            "{\"name\":\"email\",\"type\":\"string\",\"onramp.classification\":\"PII\","
                    + "\"onramp.rules\":{\"required\":true,\"pattern\":\".+@.+\",\"maxLength\":80}}",
            "{\"name\":\"age\",\"type\":[\"null\",\"int\"],\"default\":null,\"onramp.rules\":{\"min\":0,\"max\":130}}",
            "{\"name\":\"status\",\"type\":\"string\",\"onramp.rules\":{\"enum\":[\"NEW\",\"PAID\"]}}",
            "{\"name\":\"customer\",\"type\":{\"type\":\"record\",\"name\":\"Customer\",\"fields\":["
                    + "{\"name\":\"phone\",\"type\":\"string\",\"onramp.classification\":[\"pii\",\"contact\"]}]}}",
            "{\"name\":\"items\",\"type\":{\"type\":\"array\",\"items\":{\"type\":\"record\",\"name\":\"Item\",\"fields\":["
                    + "{\"name\":\"sku\",\"type\":\"string\"}]}}}",
            "{\"name\":\"attrs\",\"type\":{\"type\":\"map\",\"values\":\"string\"},\"onramp.classification\":\"internal\"}");

    @Test
    void readsProductMetadataFromSchemaProperties() {
        Contract c = Contract.parse(FULL, null, null, 3, "test");

        assertThat(c.productId()).isEqualTo("sales.orders");
        assertThat(c.version()).isEqualTo(3);
        assertThat(c.owner()).contains("team-sales");
        assertThat(c.description()).contains("Orders placed");
        assertThat(c.keyFields()).containsExactly("id");
        assertThat(c.compatibility()).isEqualTo(CompatibilityMode.FULL_TRANSITIVE);
        assertThat(c.deprecated()).isTrue();
        assertThat(c.sunset()).contains(LocalDate.of(2027, 3, 31));
    }

    @Test
    void collectsNestedArrayAndMapFieldPathsWithClassificationsAndRules() {
        Contract c = Contract.parse(FULL, null, null, 1, "test");

        assertThat(c.fields()).containsKeys("id", "email", "customer", "customer.phone", "items", "items.sku", "attrs");
        assertThat(c.fieldsClassified("pii")).containsExactly("email", "customer.phone");
        assertThat(c.classifications()).containsExactly("contact", "internal", "pii");
        FieldRules email = c.fields().get("email").rules();
        assertThat(email.required()).isTrue();
        assertThat(email.pattern().pattern()).isEqualTo(".+@.+");
        assertThat(email.maxLength()).isEqualTo(80);
        assertThat(c.fields().get("age").rules().max()).isEqualByComparingTo(new BigDecimal(130));
        assertThat(c.fields().get("status").rules().allowed()).containsExactly("NEW", "PAID");
    }

    @Test
    void fingerprintIsTheCanonicalFormCrc64AndIgnoresDocAndProperties() {
        Contract c = Contract.parse(FULL, null, null, 1, "test");
        Contract sameShape = Contract.parse(FULL.replace("Orders placed", "Other doc").replace("team-sales", "x"),
                null, null, 1, "test");

        assertThat(c.fingerprint()).hasSize(16).isEqualTo(sameShape.fingerprint());
    }

    @Test
    void fingerprintEqualsACrc64AvroComputedOutsideTheCode() {
        Contract c = Contract.parse(record("\"doc\":\"Orders placed\",\"onramp.owner\":\"team-sales\"",
                "{\"name\":\"id\",\"type\":\"long\",\"doc\":\"Order number\"}",
                "{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}"), "sales", "orders", 1, "test");

        // Parsing Canonical Form written by hand from the Avro spec (names qualified, doc/default/properties
        // dropped): {"name":"sales.Order","type":"record","fields":[{"name":"id","type":"long"},
        // {"name":"note","type":["null","string"]}]}; its CRC-64-AVRO computed in Python with the spec's
        // algorithm (EMPTY = 0xc15d213aa4d7a795, the table built from it, fp = (fp >> 8) ^ table[(fp ^ b) & 0xff]),
        // which gives 7275d51a3f395c8f for "int" as the spec's test vectors do.
        assertThat(c.fingerprint()).isEqualTo("4218dcbb86072869");
    }

    @Test
    void takesDomainProductAndVersionFromTheDirectoryLayout(@TempDir Path dir) {
        Path file = TestContracts.write(dir, "sales", "orders", 7, record("", "{\"name\":\"id\",\"type\":\"long\"}"));

        Contract c = Contract.load(file, "sales", "orders");

        assertThat(c.productId()).isEqualTo("sales.orders");
        assertThat(c.version()).isEqualTo(7);
        assertThat(c.compatibility()).isEqualTo(CompatibilityMode.BACKWARD);
        assertThat(c.deprecated()).isFalse();
    }

    @Test
    void rejectsUnknownRuleNamingTheField() {
        assertThatThrownBy(() -> TestContracts.contract(1, "\"onramp.domain\":\"d\",\"onramp.product\":\"p\"",
                "{\"name\":\"a\",\"type\":\"int\",\"onramp.rules\":{\"minimum\":1}}"))
                .isInstanceOf(ContractException.class).hasMessageContaining("'a'").hasMessageContaining("minimum");
    }

    @Test
    void rejectsKeyFieldThatIsNotInTheRecord() {
        assertThatThrownBy(() -> TestContracts.contract(1, "\"onramp.keyFields\":[\"nope\"]",
                "{\"name\":\"a\",\"type\":\"int\"}"))
                .isInstanceOf(ContractException.class).hasMessageContaining("'nope'");
    }

    @Test
    void rejectsUnknownCompatibilityMode() {
        assertThatThrownBy(() -> TestContracts.contract(1, "\"onramp.compatibility\":\"SIDEWAYS\"",
                "{\"name\":\"a\",\"type\":\"int\"}"))
                .isInstanceOf(ContractException.class).hasMessageContaining("SIDEWAYS").hasMessageContaining("FULL_TRANSITIVE");
    }

    @Test
    void rejectsInvalidAvro() {
        assertThatThrownBy(() -> Contract.parse("{\"type\":\"record\"}", "d", "p", 1, "broken.avsc"))
                .isInstanceOf(ContractException.class).hasMessageContaining("broken.avsc");
    }
}
