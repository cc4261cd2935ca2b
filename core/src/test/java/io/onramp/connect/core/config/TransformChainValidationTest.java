package io.onramp.connect.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class TransformChainValidationTest {

    /** A transform-like plugin with one cross-key rule: 'hash.key' is needed when 'mode' is hash. */
    public static class HashingTransform implements CrossKeyValidation {
        @Override
        public ConfigDef config() {
            return new ConfigDef()
                    .define("mode", ConfigDef.Type.STRING, "mask", ConfigDef.ValidString.in("mask", "hash"),
                            ConfigDef.Importance.HIGH, "mode")
                    .define("hash.key", ConfigDef.Type.PASSWORD, null, ConfigDef.Importance.HIGH, "key")
                    .define("fields", ConfigDef.Type.LIST, "", ConfigDef.Importance.HIGH, "fields");
        }

        @Override
        public void validateCrossKeys(Map<String, String> props) {
            if ("hash".equals(props.get("mode")) && props.get("hash.key") == null) {
                throw new KeyedConfigException("hash.key", "'hash.key' must be set when 'mode' is hash.");
            }
            if ("none".equals(props.get("fields"))) {
                throw new ConfigException("Nothing to do: fields names none.");
            }
        }
    }

    private static Map<String, String> connector(String... transformProps) {
        var props = new HashMap<String, String>();
        props.put("name", "c");
        props.put("transforms", "first, hashing ,insert");
        props.put("transforms.hashing.type", HashingTransform.class.getName());
        props.put("transforms.insert.type", "org.apache.kafka.connect.transforms.InsertField$Value");
        props.put("transforms.first.type", "no.such.Transform");
        for (int i = 0; i < transformProps.length; i += 2) {
            props.put("transforms.hashing." + transformProps[i], transformProps[i + 1]);
        }
        return props;
    }

    private static List<ConfigValue> errors(Map<String, String> props) {
        return TransformChainValidation.transformErrors(props, TransformChainValidationTest.class.getClassLoader());
    }

    @Test
    void reportsABrokenCrossKeyRuleOnTheTransformsOwnPrefixedKey() {
        List<ConfigValue> errors = errors(connector("mode", "hash"));

        assertThat(errors).singleElement().satisfies(value -> {
            assertThat(value.name()).isEqualTo("transforms.hashing.hash.key");
            assertThat(value.errorMessages()).containsExactly("'hash.key' must be set when 'mode' is hash.");
        });
    }

    @Test
    void anUnkeyedErrorGoesOnTheKeyItsMessageNames() {
        List<ConfigValue> errors = errors(connector("fields", "none"));

        assertThat(errors).singleElement().satisfies(value -> {
            assertThat(value.name()).isEqualTo("transforms.hashing.fields");
            assertThat(value.value()).as("typed like the key, so Connect can print it").isEqualTo(List.of("none"));
        });
    }

    @Test
    void leavesValidChainsPerKeyErrorsAndOtherPluginsTransformsToConnect() {
        assertThat(errors(connector("mode", "hash", "hash.key", "k"))).isEmpty();
        assertThat(errors(connector("mode", "sha1"))).as("a per-key error is Connect's to report").isEmpty();
        assertThat(errors(Map.of("name", "c"))).isEmpty();
    }

    @Test
    void appendsTheErrorsToTheConnectorsOwnResult() {
        var own = new ConfigValue("topic", "t", List.of(), new java.util.ArrayList<>());
        Config result = TransformChainValidation.withTransformChecks(new Config(List.of(own)), connector("mode", "hash"));

        assertThat(result.configValues()).extracting(ConfigValue::name).containsExactly("topic", "transforms.hashing.hash.key");
    }
}
