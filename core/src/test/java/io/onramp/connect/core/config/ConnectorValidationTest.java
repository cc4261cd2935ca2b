package io.onramp.connect.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class ConnectorValidationTest {

    private static final ConfigDef DEF = new ConfigDef()
            .define("mode", ConfigDef.Type.STRING, "append", ConfigDef.ValidString.in("append", "snapshot"),
                    ConfigDef.Importance.HIGH, "mode")
            .define("key.fields", ConfigDef.Type.LIST, "", ConfigDef.Importance.HIGH, "key fields")
            .define("batch.size", ConfigDef.Type.INT, 10, ConfigDef.Range.atLeast(1), ConfigDef.Importance.LOW, "batch");

    /** snapshot mode needs key fields; batch.size 7 stands for a rule the typed config throws on. */
    private static void rules(Map<String, String> props, ConnectorValidation.Errors errors) {
        if ("snapshot".equals(props.get("mode")) && props.getOrDefault("key.fields", "").isBlank()) {
            errors.add("key.fields", "'key.fields' must name the key columns in snapshot mode");
        }
        if ("7".equals(props.get("batch.size"))) {
            throw new ConfigException("batch.size", 7, "'batch.size' cannot be 7");
        }
        if ("unkeyed".equals(props.get("key.fields"))) {
            throw new ConfigException("This rule names none of the keys");
        }
        if ("topics".equals(props.get("key.fields"))) {
            errors.add("topics", "'topics' must list one topic");
        }
    }

    private static Map<String, List<String>> errors(String... props) {
        var config = new HashMap<String, String>();
        for (int i = 0; i < props.length; i += 2) {
            config.put(props[i], props[i + 1]);
        }
        return ConnectorValidation.validate(DEF, config, "mode", ConnectorValidationTest::rules).configValues().stream()
                .filter(value -> !value.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }

    @Test
    void aBrokenRuleIsReportedOnItsKey() {
        assertThat(errors("mode", "snapshot")).containsOnlyKeys("key.fields");
        assertThat(errors("mode", "snapshot", "key.fields", "id")).isEmpty();
    }

    @Test
    void aThrownConfigExceptionGoesOnTheKeyItNamesElseOnTheFallbackKey() {
        assertThat(errors("batch.size", "7")).isEqualTo(Map.of("batch.size",
                List.of("Invalid value 7 for configuration batch.size: 'batch.size' cannot be 7")));
        assertThat(errors("key.fields", "unkeyed")).isEqualTo(Map.of("mode", List.of("This rule names none of the keys")));
    }

    @Test
    void aKeyTheConnectorDoesNotDefineGetsAValueOfItsOwn() {
        assertThat(errors("key.fields", "topics")).isEqualTo(Map.of("topics", List.of("'topics' must list one topic")));
    }

    @Test
    void rulesBetweenKeysWaitUntilEveryKeyPassedItsValidator() {
        Map<String, List<String>> errors = errors("mode", "snapshot", "batch.size", "0");

        assertThat(errors).as("only the per-key error; the snapshot rule did not run").containsOnlyKeys("batch.size");
    }

    @Test
    void theOnrampTransformsOfTheChainAreChecked() {
        Map<String, List<String>> errors = errors("mode", "snapshot", "transforms", "hashing",
                "transforms.hashing.type", TransformChainValidationTest.HashingTransform.class.getName(),
                "transforms.hashing.mode", "hash");

        assertThat(errors).containsOnlyKeys("key.fields", "transforms.hashing.hash.key");
    }
}
