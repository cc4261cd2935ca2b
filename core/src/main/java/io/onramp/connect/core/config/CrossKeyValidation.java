package io.onramp.connect.core.config;

import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Implemented by an Onramp transform (or predicate) whose config has rules that span keys, or that need more
 * than one key's value (a contract found from {@code contract.dir} plus {@code contract.domain}).
 *
 * <p>Connect validates a transform's keys one by one with the {@link ConfigDef.Validator}s of its
 * {@link #config()}, and never calls its {@code configure()} before the connector runs. So a rule between keys
 * is invisible at {@code PUT /connector-plugins/.../config/validate} unless the connector checks it:
 * Onramp's connectors do, through {@link TransformChainValidation}, for every Onramp transform named in
 * their {@code transforms} key. Implementations must have a public no-argument constructor and
 * {@link #validateCrossKeys} must have no side effects (no metrics, no threads): it runs on each validate call.
 */
public interface CrossKeyValidation {

    /** The transform's own ConfigDef (the same as {@code Transformation.config()}). */
    ConfigDef config();

    /**
     * Checks the rules that span keys of {@code props} (the transform's keys, without the
     * {@code transforms.<alias>.} prefix), which each passed their own validator.
     *
     * @throws org.apache.kafka.common.config.ConfigException when a rule is broken; a
     *         {@link KeyedConfigException} names the key it is reported on
     */
    void validateCrossKeys(Map<String, String> props);
}
