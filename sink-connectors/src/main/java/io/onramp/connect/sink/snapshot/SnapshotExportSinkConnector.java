package io.onramp.connect.sink.snapshot;

import io.onramp.connect.core.config.ConnectorValidation;
import io.onramp.connect.core.connector.OnrampSinkConnector;
import io.onramp.connect.core.contract.Contract;
import io.onramp.connect.core.contract.ContractConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.Task;

/**
 * Snapshot export sink: keeps the latest row of every key of a data product's topic in a local store and, on a
 * schedule, writes the whole state as one file (CSV, JSON Lines or Avro) with a manifest, for batch consumers
 * that cannot read Kafka. One task: a full snapshot of a topic needs every partition in one place.
 */
public class SnapshotExportSinkConnector extends OnrampSinkConnector {

    static final String TOPICS = "topics";
    static final String TOPICS_REGEX = "topics.regex";

    private Map<String, String> props;

    public SnapshotExportSinkConnector() {
        super(SnapshotExportSinkConfig.CONFIG_DEF, TOPICS);
    }

    @Override
    public void start(Map<String, String> props) {
        this.props = Map.copyOf(props);
        new SnapshotExportSinkConfig(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return SnapshotExportSinkTask.class;
    }

    /** Always one task, whatever tasks.max says: each snapshot must see all partitions of its topic. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(new HashMap<>(props));
    }

    /** Topics listed (not a regex), the contract loads, key fields are its fields, one file name per topic. */
    @Override
    protected void checkCrossKeys(Map<String, String> connectorConfigs, ConnectorValidation.Errors errors) {
        String regex = connectorConfigs.get(TOPICS_REGEX);
        if (regex != null && !regex.isBlank()) {
            errors.add(TOPICS_REGEX, "'" + TOPICS_REGEX + "' is not supported by the snapshot export: list"
                    + " the product topics in '" + TOPICS + "', each gets its own snapshot file");
        }
        String topics = connectorConfigs.get(TOPICS);
        if (topics == null || topics.isBlank()) {
            errors.add(TOPICS, "'" + TOPICS + "' must list the topics to export");
        }
        SnapshotExportSinkConfig parsed = new SnapshotExportSinkConfig(connectorConfigs);
        Contract contract = null;
        if (ContractConfig.isSet(parsed)) {
            try {
                contract = ContractConfig.load(parsed);
            } catch (ConfigException e) {
                String key = parsed.getString(ContractConfig.FILE) != null ? ContractConfig.FILE : ContractConfig.DIR;
                errors.add(key, e.getMessage());
            }
        }
        if ("avro".equals(parsed.format()) && !ContractConfig.isSet(parsed)) {
            errors.add(SnapshotExportSinkConfig.FORMAT, "'" + SnapshotExportSinkConfig.FORMAT
                    + "' is avro, which writes the contract's schema: set " + ContractConfig.FILE + " or "
                    + ContractConfig.DIR);
        }
        if (contract != null) {
            var fields = contract.schema().getFields().stream().map(org.apache.avro.Schema.Field::name).toList();
            for (String key : parsed.keyFields()) {
                if (!fields.contains(key)) {
                    errors.add(SnapshotExportSinkConfig.KEY_FIELDS, "'" + SnapshotExportSinkConfig.KEY_FIELDS
                            + "' names '" + key + "', which is not a field of contract " + contract + " " + fields);
                }
            }
        }
        if (!parsed.fileNamePattern().contains(SnapshotExportSinkConfig.TOPIC_TOKEN) && topics != null
                && topics.split(",").length > 1) {
            errors.add(SnapshotExportSinkConfig.FILE_NAME, "'" + SnapshotExportSinkConfig.FILE_NAME
                    + "' must contain ${topic} when several topics are exported, or their files would overwrite"
                    + " each other");
        }
        char delimiter = parsed.csvDelimiter();
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            errors.add(SnapshotExportSinkConfig.CSV_DELIMITER, "'" + SnapshotExportSinkConfig.CSV_DELIMITER
                    + "' cannot be a quote or a line break");
        }
    }
}
