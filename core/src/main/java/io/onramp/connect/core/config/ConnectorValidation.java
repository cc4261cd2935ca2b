package io.onramp.connect.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;

/**
 * The {@code validate()} of every Onramp connector, in one place: the per-key validators of its {@link ConfigDef},
 * then (only when every key passed its own validator) the connector's rules that span keys, then the cross-key
 * checks of the Onramp transforms in its chain ({@link TransformChainValidation}). Each broken rule is a sentence
 * on the key at fault, so {@code PUT /connector-plugins/.../config/validate} shows it next to that key.
 *
 * <pre>{@code
 *     public Config validate(Map<String, String> connectorConfigs) {
 *         return ConnectorValidation.validate(config(), connectorConfigs, MODE, (props, errors) -> ...);
 *     }
 * }</pre>
 */
public final class ConnectorValidation {

    /** A connector's rules between keys. */
    @FunctionalInterface
    public interface CrossKeyRules {
        /**
         * Checks {@code props}, each of whose keys passed its validator, and adds an error per broken rule. A
         * {@link ConfigException} thrown here (from parsing the typed config, say) is reported on the key a
         * {@link KeyedConfigException} or its message names, else on the connector's fallback key.
         */
        void check(Map<String, String> props, Errors errors);
    }

    /** The result under construction: errors added by key, each key listed once. */
    public static final class Errors {
        private final List<ConfigValue> values;
        private final Map<String, ConfigValue> byName = new LinkedHashMap<>();

        private Errors(List<ConfigValue> values) {
            this.values = values;
            values.forEach(value -> byName.put(value.name(), value));
        }

        /**
         * Adds {@code message} to {@code key}; a key the connector's ConfigDef does not define (a sink's
         * {@code topics}, which Connect itself defines) gets a value of its own. The same sentence twice is
         * reported once.
         */
        public void add(String key, String message) {
            ConfigValue value = byName.computeIfAbsent(key, name -> {
                var added = new ConfigValue(name);
                values.add(added);
                return added;
            });
            if (!value.errorMessages().contains(message)) {
                value.addErrorMessage(message);
            }
        }

        /** Adds the failed check {@code e} on the key it names, else on {@code fallbackKey}. */
        public void add(RuntimeException e, String fallbackKey) {
            add(KeyedConfigException.keyOf(e, byName.keySet(), fallbackKey), e.getMessage());
        }

        /** Whether any key has an error so far. */
        public boolean any() {
            return byName.values().stream().anyMatch(value -> !value.errorMessages().isEmpty());
        }
    }

    private ConnectorValidation() {
    }

    /**
     * Validates {@code props} against {@code def}, the connector's {@code rules} and the Onramp transforms of its
     * chain. {@code fallbackKey} carries an error from {@code rules} that names no key of {@code def}.
     */
    public static Config validate(ConfigDef def, Map<String, String> props, String fallbackKey, CrossKeyRules rules) {
        var errors = new Errors(new ArrayList<>(def.validate(props)));
        if (!errors.any()) { // rules between keys only make sense on keys that are valid one by one
            try {
                rules.check(props, errors);
            } catch (ConfigException e) {
                errors.add(e, fallbackKey);
            }
        }
        return TransformChainValidation.withTransformChecks(new Config(errors.values), props);
    }
}
