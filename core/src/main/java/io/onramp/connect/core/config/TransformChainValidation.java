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
 * Runs the cross-key checks of the Onramp transforms named in a connector config, and reports each broken rule
 * on the transform's own key ({@code transforms.<alias>.<key>}) in the result of the connector's
 * {@code validate()}.
 *
 * <p>Why: Connect's validate runs only the per-key validators of a transform, never its {@code configure()},
 * so a transform rule that spans keys (a contract that must exist in a directory, a hash key that a hashed
 * field needs) would first show up when the task fails. Every Onramp connector's {@code validate()} goes through
 * {@link ConnectorValidation}, which ends with these checks.
 * Connect merges the connector's result over its own by key name, so the value returned here for
 * {@code transforms.<alias>.<key>} replaces the framework's (which had no error, since the checks only run
 * when every key of the transform passed its own validator).
 *
 * <p>Limit: other vendors' connectors do not call this, so under them an Onramp transform's cross-key rules
 * are checked only when the task starts (the task fails with the same sentence).
 */
public final class TransformChainValidation {

    private static final String TRANSFORMS = "transforms";
    /** Keys Connect itself defines for every transform alias. */
    private static final List<String> FRAMEWORK_KEYS = List.of("type", "negate", "predicate");

    private TransformChainValidation() {
    }

    /**
     * {@code connectorResult} plus an error on {@code transforms.<alias>.<key>} for every cross-key rule an Onramp
     * transform of {@code connectorConfig} breaks. Transforms of other plugins, and aliases whose class does not
     * load, are left to Connect.
     */
    static Config withTransformChecks(Config connectorResult, Map<String, String> connectorConfig) {
        var values = new ArrayList<>(connectorResult.configValues());
        values.addAll(transformErrors(connectorConfig, TransformChainValidation.class.getClassLoader()));
        return new Config(values);
    }

    /** The errors of the cross-key checks, one {@link ConfigValue} per key at fault, named with its full prefix. */
    static List<ConfigValue> transformErrors(Map<String, String> connectorConfig, ClassLoader loader) {
        var errors = new ArrayList<ConfigValue>();
        String aliases = connectorConfig.get(TRANSFORMS);
        if (aliases == null || aliases.isBlank()) {
            return errors;
        }
        for (String raw : aliases.split(",")) {
            String alias = raw.trim();
            if (alias.isEmpty()) {
                continue;
            }
            String prefix = TRANSFORMS + "." + alias + ".";
            CrossKeyValidation transform = instantiate(connectorConfig.get(prefix + "type"), loader);
            if (transform != null) {
                ConfigValue error = check(transform, prefix, connectorConfig);
                if (error != null) {
                    errors.add(error);
                }
            }
        }
        return errors;
    }

    private static ConfigValue check(CrossKeyValidation transform, String prefix, Map<String, String> connectorConfig) {
        Map<String, String> props = new LinkedHashMap<>();
        connectorConfig.forEach((key, value) -> {
            if (key.startsWith(prefix) && !FRAMEWORK_KEYS.contains(key.substring(prefix.length()))) {
                props.put(key.substring(prefix.length()), value);
            }
        });
        ConfigDef def = transform.config();
        Map<String, ConfigValue> perKey = new LinkedHashMap<>();
        def.validate(props).forEach(value -> perKey.put(value.name(), value));
        if (perKey.values().stream().anyMatch(value -> !value.errorMessages().isEmpty())) {
            return null; // Connect reports those itself; the rules between keys need valid keys
        }
        try {
            transform.validateCrossKeys(props);
            return null;
        } catch (RuntimeException e) { // ConfigException, or what a contract or parser threw
            String key = KeyedConfigException.keyOf(e, def.configKeys().keySet(), def.configKeys().keySet().iterator().next());
            ConfigValue own = perKey.get(key);
            var error = new ConfigValue(prefix + key, own == null ? null : own.value(), List.of(), new ArrayList<>());
            error.addErrorMessage(e instanceof ConfigException ? e.getMessage()
                    : "'" + prefix + key + "': " + e.getMessage());
            return error;
        }
    }

    private static CrossKeyValidation instantiate(String type, ClassLoader loader) {
        if (type == null || type.isBlank()) {
            return null;
        }
        try {
            Class<?> type0 = Class.forName(type.trim(), false, loader);
            if (!CrossKeyValidation.class.isAssignableFrom(type0)) {
                return null;
            }
            return (CrossKeyValidation) type0.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return null; // not an Onramp transform, or it does not load: Connect reports the latter on 'type'
        }
    }
}
