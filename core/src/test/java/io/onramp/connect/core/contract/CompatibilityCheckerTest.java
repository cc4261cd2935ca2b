package io.onramp.connect.core.contract;

import static io.onramp.connect.core.contract.CompatibilityMode.BACKWARD;
import static io.onramp.connect.core.contract.CompatibilityMode.BACKWARD_TRANSITIVE;
import static io.onramp.connect.core.contract.CompatibilityMode.FORWARD;
import static io.onramp.connect.core.contract.CompatibilityMode.FULL;
import static io.onramp.connect.core.contract.CompatibilityMode.NONE;
import static io.onramp.connect.core.contract.TestContracts.contract;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CompatibilityCheckerTest {

    static final String ID = "{\"name\":\"id\",\"type\":\"long\"}";
    static final String QTY_INT = "{\"name\":\"qty\",\"type\":\"int\"}";

    /** name, v1 fields, v2 fields, backward ok, forward ok. */
    static List<Arguments> matrix() {
        return List.of(
                Arguments.of("added optional field with default", new String[] {ID},
                        new String[] {ID, "{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}"}, true, true),
                Arguments.of("added field without default", new String[] {ID},
                        new String[] {ID, "{\"name\":\"note\",\"type\":\"string\"}"}, false, true),
                Arguments.of("removed field without default", new String[] {ID, QTY_INT},
                        new String[] {ID}, true, false),
                Arguments.of("removed field with default", new String[] {ID, "{\"name\":\"qty\",\"type\":\"int\",\"default\":0}"},
                        new String[] {ID}, true, true),
                Arguments.of("type change int to string", new String[] {ID, QTY_INT},
                        new String[] {ID, "{\"name\":\"qty\",\"type\":\"string\"}"}, false, false),
                Arguments.of("promotion int to long", new String[] {ID, QTY_INT},
                        new String[] {ID, "{\"name\":\"qty\",\"type\":\"long\"}"}, true, false),
                Arguments.of("rename through alias", new String[] {ID, QTY_INT},
                        new String[] {ID, "{\"name\":\"quantity\",\"type\":\"int\",\"aliases\":[\"qty\"]}"}, true, false),
                Arguments.of("enum symbol added", new String[] {ID, enumField("A", "B")},
                        new String[] {ID, enumField("A", "B", "C")}, true, false));
    }

    static String enumField(String... symbols) {
        return "{\"name\":\"status\",\"type\":{\"type\":\"enum\",\"name\":\"Status\",\"symbols\":[\""
                + String.join("\",\"", symbols) + "\"]}}";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrix")
    void compatibilityMatrix(String name, String[] v1Fields, String[] v2Fields, boolean backwardOk, boolean forwardOk) {
        Contract v1 = contract(1, "", v1Fields);
        Contract v2 = contract(2, "", v2Fields);

        assertThat(CompatibilityChecker.check(List.of(v1, v2), BACKWARD)).as("backward").hasSize(backwardOk ? 0 : 1);
        assertThat(CompatibilityChecker.check(List.of(v1, v2), FORWARD).isEmpty()).as("forward").isEqualTo(forwardOk);
        assertThat(CompatibilityChecker.check(List.of(v1, v2), FULL).isEmpty()).as("full").isEqualTo(backwardOk && forwardOk);
        assertThat(CompatibilityChecker.check(List.of(v1, v2), NONE)).as("none").isEmpty();
    }

    @Test
    void problemNamesBothVersionsTheDirectionAndTheField() {
        Contract v1 = contract(1, "", ID, QTY_INT);
        Contract v2 = contract(2, "", ID, "{\"name\":\"qty\",\"type\":\"string\"}");

        List<CompatibilityProblem> problems = CompatibilityChecker.check(List.of(v1, v2), BACKWARD);

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("qty");
            assertThat(p.describe()).contains("sales.orders v2", "backward", "v1", "'qty'", "STRING", "INT");
        });
    }

    @Test
    void addedRequiredFieldIsNamedWithTheReadingVersion() {
        Contract v1 = contract(1, "", ID);
        Contract v2 = contract(2, "", ID, "{\"name\":\"note\",\"type\":\"string\"}");

        assertThat(CompatibilityChecker.check(List.of(v1, v2), BACKWARD)).singleElement()
                .satisfies(p -> assertThat(p.describe()).contains("'note'", "v2", "without a default"));
    }

    @Test
    void nestedAndArrayFieldsAreReportedByPath() {
        String customerV1 = "{\"name\":\"customer\",\"type\":{\"type\":\"record\",\"name\":\"C\",\"fields\":["
                + "{\"name\":\"email\",\"type\":\"string\"}]}}";
        String itemsV1 = "{\"name\":\"items\",\"type\":{\"type\":\"array\",\"items\":{\"type\":\"record\",\"name\":\"I\","
                + "\"fields\":[{\"name\":\"qty\",\"type\":\"int\"}]}}}";
        Contract v1 = contract(1, "", customerV1, itemsV1);
        Contract v2 = contract(2, "", customerV1.replace("\"string\"", "\"int\""), itemsV1.replace("\"int\"", "\"boolean\""));

        assertThat(CompatibilityChecker.check(List.of(v1, v2), BACKWARD)).extracting(CompatibilityProblem::field)
                .containsExactlyInAnyOrder("customer.email", "items.qty");
    }

    @Test
    void transitiveModeComparesWithEveryEarlierVersion() {
        Contract v1 = contract(1, "", ID, QTY_INT);
        Contract v2 = contract(2, "", ID);
        Contract v3 = contract(3, "", ID, "{\"name\":\"qty\",\"type\":\"string\",\"default\":\"\"}");
        List<Contract> versions = List.of(v1, v2, v3);

        assertThat(CompatibilityChecker.check(versions, BACKWARD)).isEmpty();
        assertThat(CompatibilityChecker.check(versions, BACKWARD_TRANSITIVE)).singleElement().satisfies(p -> {
            assertThat(p.version()).isEqualTo(3);
            assertThat(p.against()).isEqualTo(1);
            assertThat(p.field()).isEqualTo("qty");
        });
    }

    @Test
    void unionBranchProblemsPointAtTheField() {
        Contract v1 = contract(1, "", "{\"name\":\"n\",\"type\":[\"null\",\"int\"]}");
        Contract v2 = contract(2, "", "{\"name\":\"n\",\"type\":[\"null\",\"boolean\"]}");

        assertThat(CompatibilityChecker.check(List.of(v1, v2), BACKWARD)).extracting(CompatibilityProblem::field)
                .containsExactly("n");
    }
}
