package io.onramp.connect.sink.jdbc;

import io.onramp.connect.core.contract.ContractConfig;
import io.onramp.connect.core.jdbc.JdbcConnectionConfig;
import io.onramp.connect.core.jdbc.JdbcConnectionSettings;
import io.onramp.connect.core.jdbc.MaskedConfigLog;
import io.onramp.connect.sink.jdbc.mapping.FieldFilter;
import io.onramp.connect.sink.jdbc.mapping.KeyMode;
import io.onramp.connect.sink.jdbc.mapping.NestedMode;
import io.onramp.connect.sink.jdbc.mapping.TableNameFormat;
import io.onramp.connect.sink.jdbc.mapping.WriteMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Typed view of the JDBC sink's configuration and the {@link ConfigDef} that documents it. Key names are those
 * users know from Confluent's and Debezium's JDBC sinks.
 */
public class JdbcSinkConfig extends AbstractConfig {

    public static final String CONNECTION_URL = JdbcConnectionConfig.URL;

    public static final String INSERT_MODE = "insert.mode";
    public static final String DELETE_ENABLED = "delete.enabled";
    public static final String PK_MODE = "primary.key.mode";
    public static final String PK_FIELDS = "primary.key.fields";
    public static final String TABLE_NAME_FORMAT = "table.name.format";
    public static final String FIELDS_INCLUDE = "fields.include.list";
    public static final String FIELDS_EXCLUDE = "fields.exclude.list";
    public static final String NESTED_MODE = "nested.struct.mode";
    public static final String FLATTEN_DELIMITER = "flatten.delimiter";

    public static final String AUTO_CREATE = "auto.create";
    public static final String AUTO_EVOLVE = "auto.evolve";

    public static final String BATCH_SIZE = "batch.size";
    public static final String MAX_RETRIES = "max.retries";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";

    static final String GROUP_WRITES = "Writes";
    static final String GROUP_DDL = "Table creation and evolution";
    static final String GROUP_RETRIES = "Batches and retries";

    public static final ConfigDef CONFIG_DEF = configDef();

    private final TableNameFormat tableNameFormat;
    private final FieldFilter fieldFilter;

    public JdbcSinkConfig(Map<String, String> props) {
        super(CONFIG_DEF, props, false); // logged below, with passwords inside the URL hidden too
        MaskedConfigLog.log(getClass(), values());
        this.tableNameFormat = TableNameFormat.parse(getString(TABLE_NAME_FORMAT));
        this.fieldFilter = new FieldFilter(getList(FIELDS_INCLUDE), getList(FIELDS_EXCLUDE));
        crossCheck();
    }

    private static ConfigDef configDef() {
        var def = new ConfigDef();
        JdbcConnectionConfig.define(def);
        int order = 0;
        def.define(INSERT_MODE, Type.STRING, "upsert", ConfigDef.CaseInsensitiveValidString.in("insert", "upsert", "update"),
                Importance.HIGH,
                "How a row is written. 'upsert' (default): insert, or update the row with the same primary key "
                        + "(PostgreSQL INSERT ... ON CONFLICT, MariaDB/MySQL INSERT ... ON DUPLICATE KEY UPDATE); "
                        + "replaying records leaves the table the same. 'insert': plain INSERT, a row whose key "
                        + "exists is a failed record. 'update': UPDATE of the row with the key, nothing when none.",
                GROUP_WRITES, ++order, Width.SHORT, "Insert mode");
        def.define(PK_MODE, Type.STRING, "record_key",
                ConfigDef.CaseInsensitiveValidString.in("none", "kafka", "record_key", "record_value"), Importance.HIGH,
                "Where the primary key comes from. 'record_key' (default): the record key (a Struct's fields, or "
                        + "one column for a primitive key); 'record_value': fields of the value (of 'before' for a "
                        + "change event's delete); 'kafka': the columns __connect_topic, __connect_partition, "
                        + "__connect_offset; 'none': no key (insert mode only).",
                GROUP_WRITES, ++order, Width.SHORT, "Primary key mode");
        def.define(PK_FIELDS, Type.LIST, "", Importance.MEDIUM,
                "Key columns, comma-separated. record_key: the key Struct's fields to use (empty: all), or the "
                        + "column name of a primitive key (default __connect_key). record_value: the value fields "
                        + "forming the key (required). kafka: three names for topic, partition and offset.",
                GROUP_WRITES, ++order, Width.LONG, "Primary key fields");
        def.define(DELETE_ENABLED, Type.BOOLEAN, true, Importance.MEDIUM,
                "Whether tombstones (records with a null value) and change events with op 'd' delete the row with "
                        + "their key. When false they are skipped. Needs primary.key.mode record_key (or "
                        + "record_value, where only change events can delete).",
                GROUP_WRITES, ++order, Width.SHORT, "Deletes");
        def.define(TABLE_NAME_FORMAT, Type.STRING, TableNameFormat.DEFAULT, TableNameFormat.validator(), Importance.MEDIUM,
                "Target table of a record. Placeholders: ${topic}, and the data product's ${domain}, ${product} and "
                        + "${version} (from the record's onramp.product and onramp.contract.version headers, else "
                        + "from a topic named <domain>.<product>.v<N>). Dots inside placeholder values become '_'; a "
                        + "dot written in the format separates schema and table, e.g. reporting.${product}_v${version}.",
                GROUP_WRITES, ++order, Width.LONG, "Table name format");
        def.define(FIELDS_INCLUDE, Type.LIST, "", Importance.MEDIUM,
                "Value fields to write, comma-separated (empty: all). An entry 'field' applies to every topic, "
                        + "'topic:field' to one topic. Key columns are always written.",
                GROUP_WRITES, ++order, Width.LONG, "Included fields");
        def.define(FIELDS_EXCLUDE, Type.LIST, "", Importance.MEDIUM,
                "Value fields not to write, comma-separated, 'field' or 'topic:field'. Cannot be combined with "
                        + FIELDS_INCLUDE + ".",
                GROUP_WRITES, ++order, Width.LONG, "Excluded fields");
        def.define(NESTED_MODE, Type.STRING, "json", ConfigDef.CaseInsensitiveValidString.in("json", "flatten"), Importance.MEDIUM,
                "How a nested Struct field is written. 'json' (default): one JSON column (jsonb on PostgreSQL, JSON "
                        + "on MariaDB); 'flatten': one column per leaf field, named parent<delimiter>child. Arrays "
                        + "and maps are always JSON columns.",
                GROUP_WRITES, ++order, Width.SHORT, "Nested structs");
        def.define(FLATTEN_DELIMITER, Type.STRING, "_", new ConfigDef.NonEmptyString(), Importance.LOW,
                "Separator between the parent and child names of a flattened column.",
                GROUP_WRITES, ++order, Width.SHORT, "Flatten delimiter");
        ContractConfig.define(def);

        order = 0;
        def.define(AUTO_CREATE, Type.BOOLEAN, false, Importance.MEDIUM,
                "Create a missing table from the record schema (CREATE TABLE IF NOT EXISTS), with the key columns "
                        + "as its primary key.",
                GROUP_DDL, ++order, Width.SHORT, "Create tables");
        def.define(AUTO_EVOLVE, Type.BOOLEAN, false, Importance.MEDIUM,
                "Add a nullable column when records carry a field the table lacks. Columns are never dropped, "
                        + "renamed or narrowed.",
                GROUP_DDL, ++order, Width.SHORT, "Evolve tables");

        order = 0;
        def.define(BATCH_SIZE, Type.INT, 3000, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                "Most rows sent in one JDBC batch. All records of one put() are written in one database "
                        + "transaction, in as many batches as needed; also set consumer.override.max.poll.records.",
                GROUP_RETRIES, ++order, Width.SHORT, "Batch size");
        def.define(MAX_RETRIES, Type.INT, 10, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                "How often a batch that failed on a transient error (connection lost, deadlock, serialization "
                        + "failure, server shutting down) is retried, whole, before the task fails.",
                GROUP_RETRIES, ++order, Width.SHORT, "Retries");
        def.define(RETRY_BACKOFF_MS, Type.LONG, 3000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                "Milliseconds to wait before retrying a batch after a transient error.",
                GROUP_RETRIES, ++order, Width.SHORT, "Retry backoff (ms)");
        return def;
    }

    /** The rules that span keys; the connector's validate() reports them under the key named first. */
    private void crossCheck() {
        KeyMode keyMode = keyMode();
        WriteMode writeMode = writeMode();
        List<String> pkFields = primaryKeyFields();
        if (keyMode == KeyMode.NONE && writeMode != WriteMode.INSERT) {
            throw new ConfigException(PK_MODE, "none", "'" + PK_MODE + "' none has no key to match rows by, so '"
                    + INSERT_MODE + "' must be insert (it is " + writeMode.name().toLowerCase(Locale.ROOT) + ")");
        }
        if (deleteEnabled() && (keyMode == KeyMode.NONE || keyMode == KeyMode.KAFKA)) {
            throw new ConfigException(DELETE_ENABLED, "true", "'" + DELETE_ENABLED + "' needs '" + PK_MODE
                    + "' record_key or record_value to find the row to delete (it is "
                    + keyMode.name().toLowerCase(Locale.ROOT) + "); set " + DELETE_ENABLED + "=false");
        }
        if (keyMode == KeyMode.RECORD_VALUE && pkFields.isEmpty()) {
            throw new ConfigException(PK_FIELDS, "", "'" + PK_FIELDS + "' must name the value fields that form the key"
                    + " when '" + PK_MODE + "' is record_value");
        }
        if (keyMode == KeyMode.KAFKA && !pkFields.isEmpty() && pkFields.size() != 3) {
            throw new ConfigException(PK_FIELDS, String.join(",", pkFields), "'" + PK_FIELDS + "' must name three"
                    + " columns (topic, partition, offset) when '" + PK_MODE + "' is kafka");
        }
        if (!getList(FIELDS_INCLUDE).isEmpty() && !getList(FIELDS_EXCLUDE).isEmpty()) {
            throw new ConfigException(FIELDS_INCLUDE, String.join(",", getList(FIELDS_INCLUDE)), "Set either '"
                    + FIELDS_INCLUDE + "' or '" + FIELDS_EXCLUDE + "', not both");
        }
        if (getString(ContractConfig.FILE) != null && getString(ContractConfig.DIR) != null) {
            throw new ConfigException(ContractConfig.FILE, getString(ContractConfig.FILE), "Set either '"
                    + ContractConfig.FILE + "' or '" + ContractConfig.DIR + "', not both");
        }
    }

    public String connectionUrl() {
        return getString(CONNECTION_URL);
    }

    /** URL, user, password (never log it), attempts and backoff of core's connection factory. */
    public JdbcConnectionSettings connectionSettings() {
        return JdbcConnectionSettings.from(this);
    }

    public WriteMode writeMode() {
        return WriteMode.valueOf(getString(INSERT_MODE).toUpperCase(Locale.ROOT));
    }

    public KeyMode keyMode() {
        return KeyMode.valueOf(getString(PK_MODE).toUpperCase(Locale.ROOT));
    }

    public List<String> primaryKeyFields() {
        return getList(PK_FIELDS).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public boolean deleteEnabled() {
        return getBoolean(DELETE_ENABLED);
    }

    public TableNameFormat tableNameFormat() {
        return tableNameFormat;
    }

    public FieldFilter fieldFilter() {
        return fieldFilter;
    }

    public NestedMode nestedMode() {
        return NestedMode.valueOf(getString(NESTED_MODE).toUpperCase(Locale.ROOT));
    }

    public String flattenDelimiter() {
        return getString(FLATTEN_DELIMITER);
    }

    public boolean contractConfigured() {
        return ContractConfig.isSet(this);
    }

    public boolean autoCreate() {
        return getBoolean(AUTO_CREATE);
    }

    public boolean autoEvolve() {
        return getBoolean(AUTO_EVOLVE);
    }

    public int batchSize() {
        return getInt(BATCH_SIZE);
    }

    public int maxRetries() {
        return getInt(MAX_RETRIES);
    }

    public long retryBackoffMs() {
        return getLong(RETRY_BACKOFF_MS);
    }
}
