package io.onramp.connect.sink.jdbc;

import io.onramp.connect.core.OnrampVersion;
import io.onramp.connect.core.config.ConnectorValidation;
import io.onramp.connect.core.contract.ContractConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
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

    /** Adds the rules that span keys, loading the contract, and the transform chain's checks to the per-key validation. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        return ConnectorValidation.validate(config(), connectorConfigs, JdbcSinkConfig.PK_MODE, (props, errors) -> {
            var parsed = new JdbcSinkConfig(props);
            if (parsed.contractConfigured()) {
                try {
                    ContractConfig.load(parsed);
                } catch (ConfigException e) {
                    String key = parsed.getString(ContractConfig.FILE) != null ? ContractConfig.FILE : ContractConfig.DIR;
                    errors.add(key, "'" + key + "' cannot be used: " + e.getMessage());
                }
            }
        });
    }
}
