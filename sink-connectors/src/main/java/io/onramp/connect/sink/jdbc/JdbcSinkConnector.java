package io.onramp.connect.sink.jdbc;

import io.onramp.connect.core.OnrampVersion;
import io.onramp.connect.core.contract.ContractConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * JDBC sink: writes records to PostgreSQL (INSERT ... ON CONFLICT), MariaDB/MySQL (INSERT ... ON DUPLICATE KEY
 * UPDATE) or any JDBC database, one transaction per batch, reading change envelopes and tombstones natively.
 */
public class JdbcSinkConnector extends SinkConnector {

    private Map<String, String> props;

    @Override
    public String version() {
        return OnrampVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        this.props = Map.copyOf(props);
        new JdbcSinkConfig(props); // fail fast on a config that validate would have refused
    }

    @Override
    public Class<? extends Task> taskClass() {
        return JdbcSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        var configs = new ArrayList<Map<String, String>>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            var config = new HashMap<>(props);
            config.put(JdbcSinkTask.TASK_INDEX, Integer.toString(i));
            configs.add(config);
        }
        return configs;
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return JdbcSinkConfig.CONFIG_DEF;
    }

    /** Adds the rules that span keys, and loading the contract, to the per-key validation. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        Map<String, ConfigValue> byName = new HashMap<>();
        config.configValues().forEach(value -> byName.put(value.name(), value));
        if (byName.values().stream().anyMatch(value -> !value.errorMessages().isEmpty())) {
            return config; // cross-key checks only make sense on keys that are valid one by one
        }
        JdbcSinkConfig parsed;
        try {
            parsed = new JdbcSinkConfig(connectorConfigs);
        } catch (ConfigException e) {
            addError(byName, e, JdbcSinkConfig.PK_MODE);
            return config;
        }
        if (parsed.contractConfigured()) {
            try {
                ContractConfig.load(parsed);
            } catch (ConfigException e) {
                String key = parsed.getString(ContractConfig.FILE) != null ? ContractConfig.FILE : ContractConfig.DIR;
                byName.get(key).addErrorMessage("'" + key + "' cannot be used: " + e.getMessage());
            }
        }
        return config;
    }

    private static void addError(Map<String, ConfigValue> byName, ConfigException e, String fallbackKey) {
        String message = e.getMessage();
        // ConfigException(name, value, message) reads "Invalid value ... for configuration <name>: ..."
        String key = byName.keySet().stream().filter(name -> message.contains("for configuration " + name + ":"))
                .findFirst().orElse(fallbackKey);
        byName.get(key).addErrorMessage(message);
    }
}
