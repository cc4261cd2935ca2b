package io.onramp.connect.core.connector;

import io.onramp.connect.core.OnrampVersion;
import io.onramp.connect.core.config.ConnectorValidation;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * What every Onramp sink connector shares: the build version, its {@link ConfigDef}, and a {@code validate()}
 * that is {@link ConnectorValidation}'s (per-key validators, the connector's rules between keys, and the cross-key
 * checks of the Onramp transforms in its chain). Final, so that no connector can skip the transform checks.
 */
public abstract class OnrampSinkConnector extends SinkConnector {

    private final ConfigDef configDef;
    private final String fallbackKey;

    /** @param fallbackKey where an error of {@link #checkCrossKeys} that names no key of {@code configDef} goes */
    protected OnrampSinkConnector(ConfigDef configDef, String fallbackKey) {
        this.configDef = configDef;
        this.fallbackKey = fallbackKey;
    }

    /**
     * The connector's rules between keys, and what needs more than the config (a contract file, the database);
     * called only when every key passed its own validator. See {@link ConnectorValidation.CrossKeyRules}.
     */
    protected abstract void checkCrossKeys(Map<String, String> props, ConnectorValidation.Errors errors);

    @Override
    public final String version() {
        return OnrampVersion.get();
    }

    @Override
    public final ConfigDef config() {
        return configDef;
    }

    @Override
    public final Config validate(Map<String, String> connectorConfigs) {
        return ConnectorValidation.validate(configDef, connectorConfigs, fallbackKey, this::checkCrossKeys);
    }

    @Override
    public void stop() {
    }
}
