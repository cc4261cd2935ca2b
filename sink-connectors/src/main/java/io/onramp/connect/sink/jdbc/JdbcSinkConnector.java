package io.onramp.connect.sink.jdbc;

import io.onramp.connect.core.config.ConnectorValidation;
import io.onramp.connect.core.connector.OnrampSinkConnector;
import io.onramp.connect.core.contract.ContractConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.Task;

/**
 * JDBC sink: writes records to PostgreSQL (INSERT ... ON CONFLICT), MariaDB/MySQL (INSERT ... ON DUPLICATE KEY
 * UPDATE) or any JDBC database, one transaction per batch, reading change envelopes and tombstones natively.
 */
public class JdbcSinkConnector extends OnrampSinkConnector {

    private Map<String, String> props;

    public JdbcSinkConnector() {
        super(JdbcSinkConfig.CONFIG_DEF, JdbcSinkConfig.PK_MODE);
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

    /** The typed config's rules between keys (key mode, write mode, deletes), and the contract must load. */
    @Override
    protected void checkCrossKeys(Map<String, String> connectorConfig, ConnectorValidation.Errors errors) {
        var parsed = new JdbcSinkConfig(connectorConfig);
        if (parsed.contractConfigured()) {
            try {
                ContractConfig.load(parsed);
            } catch (ConfigException e) {
                String key = parsed.getString(ContractConfig.FILE) != null ? ContractConfig.FILE : ContractConfig.DIR;
                errors.add(key, "'" + key + "' cannot be used: " + e.getMessage());
            }
        }
    }
}
