package io.onramp.connect.source.file;

import io.onramp.connect.core.config.ConnectorValidation;
import io.onramp.connect.core.connector.OnrampSourceConnector;
import io.onramp.connect.core.schema.AvroSchemaMapper;
import io.onramp.connect.source.file.read.FileReaders;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;

/**
 * Spool-directory file source: takes complete CSV or JSON Lines files from a directory, turns every record
 * into an event on one topic, and moves each file away once all its records are committed.
 */
public class FileSourceConnector extends OnrampSourceConnector {

    private Map<String, String> props;

    public FileSourceConnector() {
        super(FileSourceConfig.CONFIG_DEF, FileSourceConfig.MODE);
    }

    @Override
    public void start(Map<String, String> props) {
        this.props = Map.copyOf(props);
        new FileSourceConfig(props); // fail fast on a config that validate would have refused
    }

    @Override
    public Class<? extends Task> taskClass() {
        return FileSourceTask.class;
    }

    /**
     * Every task gets the whole config plus its index; files are shared out by name. In snapshot mode one
     * task does all: the dumps of a table must be applied one after the other.
     */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        int tasks = "snapshot".equalsIgnoreCase(props.get(FileSourceConfig.MODE)) ? 1 : maxTasks;
        var configs = new ArrayList<Map<String, String>>(tasks);
        for (int i = 0; i < tasks; i++) {
            var task = new HashMap<>(props);
            task.put(FileSourceTask.TASK_INDEX, Integer.toString(i));
            task.put(FileSourceTask.TASK_COUNT, Integer.toString(tasks));
            configs.add(task);
        }
        return configs;
    }

    /** The contract must load and fit the format; snapshot key and ignored fields must be columns of the rows. */
    @Override
    protected void checkCrossKeys(Map<String, String> connectorConfig, ConnectorValidation.Errors errors) {
        var parsed = new FileSourceConfig(connectorConfig);
        String archiveOverlap = parsed.archiveOverlap();
        if (archiveOverlap != null) {
            errors.add(FileSourceConfig.SNAPSHOT_ARCHIVE_PATH, archiveOverlap);
        }
        if (parsed.inputFormat() == FileSourceConfig.InputFormat.FIXED && parsed.mode() == FileSourceConfig.Mode.SNAPSHOT) {
            checkKeyFields(parsed, parsed.fixedLayout().schema(), errors);
        }
        if (parsed.contractFile() != null) {
            try {
                var schema = AvroSchemaMapper.fromContractFile(parsed.contractFile());
                if (parsed.inputFormat() == FileSourceConfig.InputFormat.CSV) {
                    FileReaders.csvMappers(schema);
                }
                if (parsed.mode() == FileSourceConfig.Mode.SNAPSHOT && parsed.inputFormat() != FileSourceConfig.InputFormat.FIXED) {
                    checkKeyFields(parsed, schema, errors);
                }
            } catch (ConfigException | DataException e) {
                errors.add(FileSourceConfig.CONTRACT_FILE, "'" + FileSourceConfig.CONTRACT_FILE + "' cannot be used: " + e.getMessage());
            }
        }
    }

    /** Key and ignored fields must be columns of the rows, known from the layout or the contract. */
    private static void checkKeyFields(FileSourceConfig parsed, Schema schema, ConnectorValidation.Errors errors) {
        checkFieldsExist(FileSourceConfig.SNAPSHOT_KEY_FIELDS, parsed.snapshotKeyFields(), schema, errors);
        checkFieldsExist(FileSourceConfig.SNAPSHOT_IGNORE_FIELDS, parsed.snapshotIgnoreFields(), schema, errors);
    }

    private static void checkFieldsExist(String configKey, List<String> fields, Schema schema, ConnectorValidation.Errors errors) {
        for (String field : fields) {
            if (schema.field(field) == null) {
                errors.add(configKey, "'" + configKey + "' names '" + field + "', which the record schema "
                        + "lacks; its fields are " + schema.fields().stream().map(f -> f.name()).toList());
            }
        }
    }

    /** Each record carries its own offset, so a transaction per poll batch never duplicates a line. */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    /**
     * The file source defines its own transaction boundaries when asked to ({@code transaction.boundary=connector}):
     * a whole file in append mode, a whole snapshot's change events in snapshot mode.
     */
    @Override
    public org.apache.kafka.connect.source.ConnectorTransactionBoundaries canDefineTransactionBoundaries(
            Map<String, String> connectorConfig) {
        return org.apache.kafka.connect.source.ConnectorTransactionBoundaries.SUPPORTED;
    }

    /** Offsets may be reset, or set to a record position, through the REST API (KIP-875). */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
        for (var entry : offsets.entrySet()) {
            String problem = FileOffsets.problem(entry.getKey(), entry.getValue());
            if (problem != null) {
                throw new ConnectException("Cannot alter offsets of the file source: " + problem);
            }
        }
        return true;
    }
}
