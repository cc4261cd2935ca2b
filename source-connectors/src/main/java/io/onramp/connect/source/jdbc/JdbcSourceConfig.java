package io.onramp.connect.source.jdbc;

import io.onramp.connect.core.config.ConfigValidators;
import io.onramp.connect.core.config.KeyedConfigException;
import io.onramp.connect.core.contract.ContractConfig;
import io.onramp.connect.core.jdbc.JdbcConnectionConfig;
import io.onramp.connect.core.jdbc.JdbcConnectionSettings;
import io.onramp.connect.core.jdbc.MaskedConfigLog;
import io.onramp.connect.core.jdbc.NumericMapping;
import io.onramp.connect.source.snapshot.SnapshotKeys;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Typed view of the JDBC source's configuration. Keys are Confluent's JDBC source names where one exists
 * ({@code connection.*}, {@code mode}, {@code incrementing.column.name}, ...), the table lists are Debezium's
 * ({@code table.include.list}).
 */
public class JdbcSourceConfig extends AbstractConfig {

    public static final String MODE = "mode";
    public static final String INCREMENTING_COLUMN = "incrementing.column.name";
    public static final String TIMESTAMP_COLUMNS = "timestamp.column.name";
    public static final String TIMESTAMP_DELAY_MS = "timestamp.delay.interval.ms";
    public static final String GAP_TIMEOUT_MS = "incrementing.gap.timeout.ms";
    public static final String TRANSACTION_HORIZON = "transaction.horizon.enabled";
    public static final String TABLE_INCLUDE_LIST = "table.include.list";
    public static final String TABLE_EXCLUDE_LIST = "table.exclude.list";
    public static final String TABLE_POLL_INTERVAL_MS = "table.poll.interval.ms";
    public static final String QUERY = "query";
    public static final String TOPIC_PREFIX = "topic.prefix";
    public static final String POLL_INTERVAL_MS = "poll.interval.ms";
    public static final String BATCH_MAX_ROWS = "batch.max.rows";
    public static final String NUMERIC_MAPPING = "numeric.mapping";
    public static final String DB_TIMEZONE = "db.timezone";
    public static final String QUERY_TIMEOUT_MS = "query.timeout.ms";
    public static final String SNAPSHOT_KEY_FIELDS = SnapshotKeys.KEY_FIELDS;
    public static final String SNAPSHOT_IGNORE_FIELDS = SnapshotKeys.IGNORE_FIELDS;
    public static final String SNAPSHOT_ARCHIVE_PATH = SnapshotKeys.ARCHIVE_PATH;
    public static final String SNAPSHOT_SORT_MEMORY_BYTES = SnapshotKeys.SORT_MEMORY_BYTES;
    public static final String OUTPUT_FORMAT = SnapshotKeys.OUTPUT_FORMAT;

    private static final String GROUP_READ = "Reading";
    private static final String GROUP_MODE = "Mode";
    private static final String GROUP_OUTPUT = "Output";
    private static final String GROUP_BULK_DIFF = "Bulk-diff mode";

    public static final ConfigDef CONFIG_DEF = configDef();

    public JdbcSourceConfig(Map<String, String> props) {
        this(props, true);
    }

    /** @param crossCheck whether rules between keys throw (validate() reports them per key instead) */
    JdbcSourceConfig(Map<String, String> props, boolean crossCheck) {
        super(CONFIG_DEF, props, false); // logged below, with passwords inside the URL hidden too
        MaskedConfigLog.log(getClass(), values());
        if (crossCheck) {
            crossCheck();
        }
    }

    private static ConfigDef configDef() {
        var def = JdbcConnectionConfig.define(new ConfigDef());
        int order = 0;
        def.define(MODE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.CaseInsensitiveValidString.in(JdbcMode.configValues()),
                Importance.HIGH,
                "How rows are found: 'bulk' reads the whole table every poll interval; 'incrementing' reads new rows "
                        + "by a strictly increasing column; 'timestamp' reads new and changed rows by a timestamp column; "
                        + "'timestamp+incrementing' by timestamp with the incrementing column breaking ties; 'bulk-diff' reads "
                        + "the whole table every poll interval and emits only what changed since the previous read (inserts, "
                        + "updates, deletes), as the file source's snapshot mode does with dumps. README 'JDBC source' says "
                        + "per mode and database what is guaranteed under concurrent writers.",
                GROUP_MODE, ++order, Width.MEDIUM, "Mode");
        def.define(INCREMENTING_COLUMN, Type.STRING, "", Importance.MEDIUM,
                "The strictly increasing integer column (e.g. an auto-increment or identity primary key) of the "
                        + "'incrementing' and 'timestamp+incrementing' modes.",
                GROUP_MODE, ++order, Width.MEDIUM, "Incrementing column");
        def.define(TIMESTAMP_COLUMNS, Type.LIST, "", Importance.MEDIUM,
                "The timestamp column of the 'timestamp' modes; several, comma-separated, are COALESCEd (the first "
                        + "non-null counts, e.g. 'updated_at,created_at'). Rows whose timestamp is NULL are not read.",
                GROUP_MODE, ++order, Width.MEDIUM, "Timestamp column(s)");
        def.define(TIMESTAMP_DELAY_MS, Type.LONG, 0L, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                "Where no transaction horizon is available (MariaDB/MySQL, other databases, and a custom 'query'), a "
                        + "row is read only once its timestamp is this many milliseconds older than the database's clock: "
                        + "set it above your longest write transaction, so rows committed late are not skipped. Not needed "
                        + "for tables on PostgreSQL, which bound every read by the transaction snapshot horizon.",
                GROUP_MODE, ++order, Width.SHORT, "Timestamp delay (ms)");
        def.define(TRANSACTION_HORIZON, Type.BOOLEAN, true, Importance.LOW,
                "PostgreSQL tables in the incremental modes: true bounds each read by the transaction horizon, so no "
                        + "committed row is lost however long transactions hold ids or timestamps before committing, but "
                        + "every poll reads the whole table (a row's xmin has no index). false reads ranges of the "
                        + "incrementing/timestamp column, which its index serves, with timestamp.delay.interval.ms and "
                        + "incrementing.gap.timeout.ms as on MariaDB (README 'JDBC source' gives both guarantees). Views, "
                        + "custom queries and other databases never use the horizon.",
                GROUP_MODE, ++order, Width.SHORT, "Transaction horizon (PostgreSQL)");
        def.define(GAP_TIMEOUT_MS, Type.LONG, 60_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                "Where no transaction horizon is available, ids missing below the highest id read (a transaction that "
                        + "took an id and has not committed yet, or a rollback) are all looked for again on every poll, "
                        + "until a poll that started this many milliseconds after they went missing did not find them; a "
                        + "row whose transaction commits within that time is still emitted. At most 1000 such gaps are "
                        + "kept per table: beyond, the lowest give way with a WARN (README 'JDBC source'). 0 turns gap "
                        + "tracking off.",
                GROUP_MODE, ++order, Width.SHORT, "Id gap timeout (ms)");
        def.define(TABLE_INCLUDE_LIST, Type.LIST, "", Importance.HIGH,
                "Comma-separated Java regular expressions; a table is read when one matches its 'schema.table' "
                        + "(MariaDB: 'database.table') or its bare name entirely. Empty: every table the user can see. "
                        + "Not with 'query'.",
                GROUP_READ, ++order, Width.LONG, "Tables to include");
        def.define(TABLE_EXCLUDE_LIST, Type.LIST, "", Importance.MEDIUM,
                "Comma-separated Java regular expressions of tables not to read, matched like table.include.list.",
                GROUP_READ, ++order, Width.LONG, "Tables to exclude");
        def.define(TABLE_POLL_INTERVAL_MS, Type.LONG, 60_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                "How often, in milliseconds, the connector lists the tables again: a table created later that "
                        + "table.include.list selects is then read, and a dropped one leaves the tasks, without a restart "
                        + "(the tasks are reconfigured). 0 lists them only at start. Not used with 'query'.",
                GROUP_READ, ++order, Width.SHORT, "Table poll interval (ms)");
        def.define(QUERY, Type.STRING, "", Importance.MEDIUM,
                "A custom SELECT to read instead of tables (joins, filters, UNION, CTE, ORDER BY all allowed): Onramp "
                        + "wraps it as a subquery and adds its own WHERE/ORDER BY outside it, so the incremental modes work "
                        + "whatever it contains. Checked at validate time (it must prepare and have the mode's columns). "
                        + "Records go to topic.prefix as the topic.",
                GROUP_READ, ++order, Width.LONG, "Custom query");
        def.define(POLL_INTERVAL_MS, Type.INT, 5_000, ConfigDef.Range.atLeast(10), Importance.MEDIUM,
                "How often each table is queried for new rows (bulk: re-read), in milliseconds.",
                GROUP_READ, ++order, Width.SHORT, "Poll interval (ms)");
        def.define(BATCH_MAX_ROWS, Type.INT, 100, ConfigDef.Range.between(1, 1_000_000), Importance.LOW,
                "The most rows handed to Connect in one poll, and the JDBC fetch size of the streaming cursor.",
                GROUP_READ, ++order, Width.SHORT, "Batch size");
        def.define(QUERY_TIMEOUT_MS, Type.INT, 0, ConfigDef.Range.atLeast(0), Importance.LOW,
                "The timeout of each query in milliseconds (rounded up to whole seconds); 0 means none. A timed-out "
                        + "query is retried on the next poll.",
                GROUP_READ, ++order, Width.SHORT, "Query timeout (ms)");
        def.define(TOPIC_PREFIX, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                "The prefix of each table's topic: records of table 'orders' go to '<prefix>orders' (characters a "
                        + "topic name cannot hold become '_'); with 'query' the prefix is the whole topic name, unchanged, so it must "
                        + "be a legal one. Both are checked at validate time.",
                GROUP_OUTPUT, ++order, Width.MEDIUM, "Topic prefix");
        def.define(NUMERIC_MAPPING, Type.STRING, NumericMapping.NONE.configValue(),
                ConfigDef.CaseInsensitiveValidString.in("none", "precision_only", "best_fit"), Importance.LOW,
                "NUMERIC/DECIMAL columns: 'none' keeps Connect Decimal with the column's scale (exact); "
                        + "'precision_only' makes scale-0 columns of precision up to 18 integers; 'best_fit' also makes "
                        + "columns with a fraction and precision up to 18 FLOAT64 (inexact).",
                GROUP_OUTPUT, ++order, Width.SHORT, "Numeric mapping");
        def.define(DB_TIMEZONE, Type.STRING, "UTC", zoneId(), Importance.MEDIUM,
                "The time zone in which wall-clock columns without a zone (PostgreSQL timestamp, MariaDB DATETIME) "
                        + "are read as instants. Zoned columns (timestamptz, MariaDB TIMESTAMP) are exact instants anyway.",
                GROUP_OUTPUT, ++order, Width.SHORT, "Database time zone");
        order = 0;
        def.define(SNAPSHOT_KEY_FIELDS, Type.LIST, "", Importance.HIGH,
                "Mode 'bulk-diff': the columns that identify a row, comma-separated. Empty means the table's primary "
                        + "key; a table without one, and a custom 'query', must name them. Two rows with the same key, or "
                        + "a NULL in a key column, fail the task without emitting that run.",
                GROUP_BULK_DIFF, ++order, Width.MEDIUM, "Key columns");
        def.define(SNAPSHOT_IGNORE_FIELDS, Type.LIST, "", Importance.MEDIUM,
                "Mode 'bulk-diff': columns left out when deciding whether a row changed (e.g. a last-read timestamp); "
                        + "they are still in the records.",
                GROUP_BULK_DIFF, ++order, Width.MEDIUM, "Ignored columns");
        def.define(SNAPSHOT_ARCHIVE_PATH, Type.STRING, "", ConfigValidators.writableDirectory(), Importance.HIGH,
                "Mode 'bulk-diff': directory where the state of each table read last is kept, sorted, for the next "
                        + "diff (one file per table and connector). Put it on storage every worker reaches, so that any "
                        + "worker can take over. If it is lost, the next run emits every row as a read, never as a delete.",
                GROUP_BULK_DIFF, ++order, Width.LONG, "Archive directory");
        def.define(SNAPSHOT_SORT_MEMORY_BYTES, Type.LONG, SnapshotKeys.DEFAULT_SORT_MEMORY_BYTES,
                ConfigDef.Range.atLeast(1024 * 1024), Importance.LOW,
                "Mode 'bulk-diff': heap the external sort of a table's rows may use before it spills sorted runs to disk.",
                GROUP_BULK_DIFF, ++order, Width.SHORT, "Sort memory (bytes)");
        def.define(OUTPUT_FORMAT, Type.STRING, SnapshotKeys.ENVELOPE,
                ConfigDef.CaseInsensitiveValidString.in(SnapshotKeys.ENVELOPE, SnapshotKeys.STATE), Importance.HIGH,
                "Mode 'bulk-diff': 'envelope' emits change events (before, after, op, ts_ms, source), compatible with "
                        + "Debezium's envelope; 'state' emits the row as the value and a tombstone for a delete, for "
                        + "compacted topics. Either way the key holds the key columns.",
                GROUP_BULK_DIFF, ++order, Width.SHORT, "Output format");
        // The contract describes a row: a JSON column whose contract field is a record arrives as a Struct of it.
        return ContractConfig.define(def);
    }

    private static ConfigDef.Validator zoneId() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                try {
                    ZoneId.of(String.valueOf(value));
                } catch (DateTimeException e) {
                    throw new ConfigException(name, value, "'" + name + "' must be a time zone id such as UTC, Europe/Berlin or +02:00");
                }
            }

            @Override
            public String toString() {
                return "a time zone id (UTC, Europe/Berlin, +02:00)";
            }
        };
    }

    /** Rules between keys; the connector's validate() reports the same ones on the right key. */
    private void crossCheck() {
        for (var problem : problems(this).entrySet()) {
            throw new ConfigException(problem.getKey(), originalsStrings().get(problem.getKey()), problem.getValue());
        }
    }

    /** Key → message of every rule between keys this config breaks (ordered, so the first one is stable). */
    static Map<String, String> problems(JdbcSourceConfig config) {
        var out = new java.util.LinkedHashMap<String, String>();
        JdbcMode mode = config.mode();
        if (mode.usesIncrementing() && config.incrementingColumn() == null) {
            out.put(INCREMENTING_COLUMN, "'" + INCREMENTING_COLUMN + "' is required in mode '" + mode.configValue() + "'");
        }
        if (mode.usesTimestamp() && config.timestampColumns().isEmpty()) {
            out.put(TIMESTAMP_COLUMNS, "'" + TIMESTAMP_COLUMNS + "' is required in mode '" + mode.configValue() + "'");
        }
        if (mode == JdbcMode.BULK_DIFF) {
            if (config.getString(SNAPSHOT_ARCHIVE_PATH).isBlank()) {
                out.put(SNAPSHOT_ARCHIVE_PATH, "'" + SNAPSHOT_ARCHIVE_PATH + "' must name a directory in mode 'bulk-diff': "
                        + "it keeps each table's last read for the next diff");
            }
            if (config.query() != null && config.snapshotKeyFields().isEmpty()) {
                out.put(SNAPSHOT_KEY_FIELDS, "'" + SNAPSHOT_KEY_FIELDS + "' must name the columns that identify a row of "
                        + "the custom query in mode 'bulk-diff' (a query has no primary key)");
            }
            for (String ignored : config.snapshotIgnoreFields()) {
                if (config.snapshotKeyFields().contains(ignored)) {
                    out.putIfAbsent(SNAPSHOT_IGNORE_FIELDS, "'" + SNAPSHOT_IGNORE_FIELDS + "' names the key column '" + ignored
                            + "' of '" + SNAPSHOT_KEY_FIELDS + "': a key column identifies the row, it cannot be ignored");
                }
            }
        }
        if (config.query() != null) {
            // the prefix is the custom query's topic as it is; a table's topic has illegal characters replaced
            String problem = config.topicPrefix().isEmpty() ? "it is empty" : ConfigValidators.topicNameProblem(config.topicPrefix());
            if (problem != null) {
                out.put(TOPIC_PREFIX, "'" + TOPIC_PREFIX + "' is the topic of the custom query's records, so it must be a legal "
                        + "Kafka topic name: " + problem);
            }
        }
        if (config.query() != null && !config.getList(TABLE_INCLUDE_LIST).isEmpty()) {
            out.put(QUERY, "'" + QUERY + "' and '" + TABLE_INCLUDE_LIST + "' exclude each other: read either a custom query or tables");
        }
        if (ContractConfig.isSet(config)) {
            try {
                ContractConfig.load(config);
            } catch (KeyedConfigException e) {
                out.putIfAbsent(e.key(), e.getMessage());
            } catch (ConfigException e) {
                out.putIfAbsent(config.getString(ContractConfig.FILE) != null ? ContractConfig.FILE : ContractConfig.DIR, e.getMessage());
            }
        }
        for (String key : List.of(TABLE_INCLUDE_LIST, TABLE_EXCLUDE_LIST)) {
            for (String regex : config.getList(key)) {
                try {
                    Pattern.compile(regex);
                } catch (java.util.regex.PatternSyntaxException e) {
                    out.putIfAbsent(key, "'" + key + "' holds '" + regex + "', which is not a valid regular expression: " + e.getDescription());
                }
            }
        }
        return out;
    }

    public JdbcConnectionSettings connection() {
        return JdbcConnectionSettings.from(this);
    }

    public JdbcMode mode() {
        return JdbcMode.fromConfig(getString(MODE));
    }

    /** The incrementing column, or null. */
    public String incrementingColumn() {
        String value = getString(INCREMENTING_COLUMN).strip();
        return value.isEmpty() ? null : value;
    }

    public List<String> timestampColumns() {
        return getList(TIMESTAMP_COLUMNS).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    public long timestampDelayMs() {
        return getLong(TIMESTAMP_DELAY_MS);
    }

    public boolean transactionHorizon() {
        return getBoolean(TRANSACTION_HORIZON);
    }

    public long gapTimeoutMs() {
        return getLong(GAP_TIMEOUT_MS);
    }

    public List<Pattern> tableIncludes() {
        return getList(TABLE_INCLUDE_LIST).stream().map(Pattern::compile).toList();
    }

    public long tablePollIntervalMs() {
        return getLong(TABLE_POLL_INTERVAL_MS);
    }

    public List<Pattern> tableExcludes() {
        return getList(TABLE_EXCLUDE_LIST).stream().map(Pattern::compile).toList();
    }

    /** The custom query without a trailing semicolon, or null. */
    public String query() {
        String query = getString(QUERY).strip();
        while (query.endsWith(";")) {
            query = query.substring(0, query.length() - 1).strip();
        }
        return query.isEmpty() ? null : query;
    }

    public String topicPrefix() {
        return getString(TOPIC_PREFIX);
    }

    public int pollIntervalMs() {
        return getInt(POLL_INTERVAL_MS);
    }

    public int batchMaxRows() {
        return getInt(BATCH_MAX_ROWS);
    }

    public int queryTimeoutSeconds() {
        int ms = getInt(QUERY_TIMEOUT_MS);
        return ms == 0 ? 0 : (ms + 999) / 1000;
    }

    public NumericMapping numericMapping() {
        return NumericMapping.fromConfig(getString(NUMERIC_MAPPING));
    }

    public ZoneId dbTimeZone() {
        return ZoneId.of(getString(DB_TIMEZONE));
    }

    /** The typing of JSON columns by the configured contract, or null when no contract is configured. */
    JsonColumns jsonColumns() {
        return ContractConfig.isSet(this) ? new JsonColumns(ContractConfig.load(this)) : null;
    }

    /** Mode bulk-diff: the key columns named in the config (empty: each table's primary key). */
    public List<String> snapshotKeyFields() {
        return getList(SNAPSHOT_KEY_FIELDS).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    public List<String> snapshotIgnoreFields() {
        return getList(SNAPSHOT_IGNORE_FIELDS).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    public java.nio.file.Path snapshotArchivePath() {
        return java.nio.file.Paths.get(getString(SNAPSHOT_ARCHIVE_PATH));
    }

    public long snapshotSortMemoryBytes() {
        return getLong(SNAPSHOT_SORT_MEMORY_BYTES);
    }

    public boolean stateOutput() {
        return SnapshotKeys.STATE.equalsIgnoreCase(getString(OUTPUT_FORMAT));
    }

    static String describeKeys(String... keys) {
        return Arrays.stream(keys).map(k -> "'" + k + "'").collect(Collectors.joining(", "));
    }
}
