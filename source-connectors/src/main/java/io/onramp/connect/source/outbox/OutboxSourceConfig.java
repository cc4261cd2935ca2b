package io.onramp.connect.source.outbox;

import io.onramp.connect.core.InvalidRecordHandler;
import io.onramp.connect.core.jdbc.JdbcConnectionConfig;
import io.onramp.connect.core.jdbc.JdbcConnectionSettings;
import io.onramp.connect.core.jdbc.MaskedConfigLog;
import io.onramp.connect.core.jdbc.TableId;
import io.onramp.connect.core.outbox.OutboxRouting;
import io.onramp.connect.core.outbox.OutboxRoutingConfig;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Typed view of the outbox source's configuration: the shared {@code connection.*} keys, the outbox keys below,
 * and the routing keys shared with the {@code OutboxRouter} transform ({@code table.field.event.*}, {@code
 * route.*}, contracts).
 */
public class OutboxSourceConfig extends AbstractConfig {

    public static final String GROUP = "Outbox";

    public static final String TABLE = "outbox.table";
    public static final String POLL_INTERVAL_MS = "poll.interval.ms";
    public static final String BATCH_MAX_ROWS = "batch.max.rows";
    public static final String GAP_TIMEOUT_MS = "outbox.gap.timeout.ms";
    public static final String DELETE_AFTER_COMMIT = "outbox.delete.after.commit";
    public static final String DELETE_BATCH_SIZE = "outbox.delete.batch.size";
    public static final String ON_INVALID = InvalidRecordHandler.ON_INVALID;
    public static final String QUARANTINE_SUFFIX = InvalidRecordHandler.QUARANTINE_SUFFIX;

    /** What to do with a row whose payload cannot be read or breaks its contract. */
    public static final ConfigDef CONFIG_DEF = configDef();

    private static ConfigDef configDef() {
        var def = JdbcConnectionConfig.define(new ConfigDef());
        int order = 0;
        def.define(TABLE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, tableValidator(), Importance.HIGH,
                        "The outbox table, as table, schema.table or database.table (a part holding dots or quotes in"
                                + " double quotes). Its rows must be insert-only, with a unique event id column ("
                                + OutboxRoutingConfig.EVENT_ID + "); on MariaDB/MySQL that id must be an auto-increment"
                                + " integer, on PostgreSQL any orderable type (bigint, uuid, text).",
                        GROUP, ++order, Width.LONG, "Outbox table")
                .define(POLL_INTERVAL_MS, Type.LONG, 500L, ConfigDef.Range.atLeast(10), Importance.MEDIUM,
                        "How long to wait before reading again when a read found nothing to deliver.",
                        GROUP, ++order, Width.SHORT, "Poll interval (ms)")
                .define(BATCH_MAX_ROWS, Type.INT, 500, ConfigDef.Range.between(1, 100_000), Importance.LOW,
                        "The most rows one read takes from the table (one poll; with exactly-once, one transaction).",
                        GROUP, ++order, Width.SHORT, "Rows per read")
                .define(GAP_TIMEOUT_MS, Type.LONG, 60_000L, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                        "MariaDB/MySQL only: how long an id missing between delivered ones (its transaction not"
                                + " committed yet) is waited for before it is given up with a WARN and counted in the"
                                + " GapsGivenUp metric. A gap is passed sooner, a second after the transactions that"
                                + " could hold it have all ended (read from information_schema.INNODB_TRX, which needs"
                                + " the PROCESS privilege). Make it longer than the longest transaction that writes to the outbox: a"
                                + " row committed after its id was given up is never delivered.",
                        GROUP, ++order, Width.SHORT, "Gap timeout (ms)")
                .define(DELETE_AFTER_COMMIT, Type.BOOLEAN, false, Importance.MEDIUM,
                        "Delete delivered rows from the outbox table, in batches, once Kafka Connect has committed"
                                + " their offsets (never before: a row is deleted only when a restarted task would not"
                                + " read it again).",
                        GROUP, ++order, Width.SHORT, "Delete delivered rows")
                .define(DELETE_BATCH_SIZE, Type.INT, 1_000, ConfigDef.Range.between(1, 10_000), Importance.LOW,
                        "The most rows one DELETE statement removes when " + DELETE_AFTER_COMMIT + " is on.",
                        GROUP, ++order, Width.SHORT, "Delete batch size");
        InvalidRecordHandler.define(def, "Invalid payloads", "has a payload that is not JSON (when it is expanded) or"
                + " breaks its contract");
        return OutboxRoutingConfig.define(def);
    }

    public OutboxSourceConfig(Map<String, String> props) {
        super(CONFIG_DEF, props, false); // logged below, with passwords inside the URL hidden too
        MaskedConfigLog.log(getClass(), values());
    }

    public JdbcConnectionSettings connection() {
        return JdbcConnectionSettings.from(this);
    }

    public TableId table() {
        return TableId.parse(getString(TABLE));
    }

    public long pollIntervalMs() {
        return getLong(POLL_INTERVAL_MS);
    }

    public int batchMaxRows() {
        return getInt(BATCH_MAX_ROWS);
    }

    public long gapTimeoutMs() {
        return getLong(GAP_TIMEOUT_MS);
    }

    public boolean deleteAfterCommit() {
        return getBoolean(DELETE_AFTER_COMMIT);
    }

    public int deleteBatchSize() {
        return getInt(DELETE_BATCH_SIZE);
    }

    public String onInvalid() {
        return getString(ON_INVALID);
    }

    public String quarantineSuffix() {
        return getString(QUARANTINE_SUFFIX);
    }

    public String idColumn() {
        return getString(OutboxRoutingConfig.EVENT_ID);
    }

    /** The aggregate key column: the unit whose events keep their order. */
    public String keyColumn() {
        return getString(OutboxRoutingConfig.EVENT_KEY);
    }

    /** The routing core, built from the shared routing keys (one per task: it caches schemas and topics). */
    public OutboxRouting router() {
        return OutboxRoutingConfig.router(this);
    }

    private static ConfigDef.Validator tableValidator() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value == null) {
                    return; // NO_DEFAULT_VALUE reports the missing key itself
                }
                try {
                    TableId.parse(value.toString());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, value, "'" + name + "' is not a table name: " + e.getMessage());
                }
            }

            @Override
            public String toString() {
                return "table, schema.table or database.table";
            }
        };
    }
}
