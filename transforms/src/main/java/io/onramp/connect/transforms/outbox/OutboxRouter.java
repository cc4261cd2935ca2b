package io.onramp.connect.transforms.outbox;

import io.onramp.connect.core.metrics.Counter;
import io.onramp.connect.core.outbox.EventHeader;
import io.onramp.connect.core.outbox.OutboxRouting;
import io.onramp.connect.core.outbox.OutboxRoutingConfig;
import io.onramp.connect.core.outbox.OutboxRow;
import io.onramp.connect.core.outbox.RoutedEvent;
import io.onramp.connect.transforms.OnrampTransform;
import io.onramp.connect.transforms.TransformMetrics;
import io.onramp.connect.transforms.cdc.ChangeEnvelopes;
import io.onramp.connect.core.InvalidRecordHandler;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes transactional-outbox rows to per-aggregate topics. See {@link #OVERVIEW_DOC}. */
public class OutboxRouter<R extends ConnectRecord<R>> extends OnrampTransform<R> {

    public static final String OVERVIEW_DOC = "Turns transactional-outbox rows into events on per-aggregate topics:"
            + " Debezium change events of an outbox table (PostgreSQL, MySQL/MariaDB connectors) and flat rows (Onramp's"
            + " outbox source, JDBC rows, already-unwrapped records). Key = aggregate id, timestamp from the event, the"
            + " event id in the header 'id', other columns to headers, value fields or the partition, the JSON payload"
            + " expanded into a Struct typed by the contract or inferred. Config keys are Debezium EventRouter's where"
            + " the meaning is the same, so moving is a rename of the class. Inserts and snapshot reads are routed; the"
            + " outbox's own updates and deletes are dropped (see " + OutboxRouter.INVALID_OP + " and "
            + OutboxRouter.DELETE_OP + "); a payload that is not JSON or breaks the contract is handled per on.invalid;"
            + " Debezium's heartbeats and schema-change records pass unchanged.";

    public static final String INVALID_OP = "table.op.invalid.behavior";
    public static final String DELETE_OP = "table.op.delete.behavior";

    private static final String GROUP_OPS = "Outbox operations";
    private static final String[] OP_BEHAVIORS = {"drop", "warn", "error", "fatal"};

    public static final ConfigDef CONFIG_DEF = TransformMetrics.defineConnectorName(InvalidRecordHandler.define(
            OutboxRoutingConfig.define(new ConfigDef())
                    .define(INVALID_OP, Type.STRING, "drop", ConfigDef.CaseInsensitiveValidString.in(OP_BEHAVIORS),
                            Importance.MEDIUM, "What to do with an UPDATE of an outbox row (outbox rows are only ever"
                                    + " inserted): 'drop' it (counted, logged at DEBUG), drop it and log at 'warn' or"
                                    + " 'error' level (as Debezium's EventRouter does), or 'fatal': fail the task.",
                            GROUP_OPS, 1, Width.SHORT, "On outbox update")
                    .define(DELETE_OP, Type.STRING, "drop", ConfigDef.CaseInsensitiveValidString.in(OP_BEHAVIORS),
                            Importance.MEDIUM, "What to do with a DELETE of an outbox row (routinely done to keep the"
                                    + " table small): 'drop' it (counted, logged at DEBUG), drop it and log at 'warn' or"
                                    + " 'error' level, or 'fatal': fail the task. Tombstones are always dropped.",
                            GROUP_OPS, 2, Width.SHORT, "On outbox delete"),
            "Invalid payloads", "has a payload that is not JSON or breaks the contract"), "Invalid payloads", 3);

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRouter.class);

    private enum OpBehavior { DROP, WARN, ERROR, FATAL }

    private OutboxRouting routing;
    private InvalidRecordHandler invalid;
    private OpBehavior onUpdate;
    private OpBehavior onDelete;
    private final ChangeEnvelopes envelopes = new ChangeEnvelopes();
    private Counter routedCount;
    private Counter droppedOps;

    public OutboxRouter() {
        super(CONFIG_DEF);
    }

    /** Across keys: contracts found, placements and routes usable. */
    @Override
    protected void load(AbstractConfig config) {
        routing = OutboxRoutingConfig.router(config);
        var metrics = newMetrics("Onramp OutboxRouter transform");
        routedCount = metrics.counter("RecordsRouted", "Outbox rows routed to their topic");
        droppedOps = metrics.counter("OutboxOperationsDropped", "Updates and deletes of the outbox table dropped");
        invalid = new InvalidRecordHandler(config.getString(InvalidRecordHandler.ON_INVALID),
                config.getString(InvalidRecordHandler.QUARANTINE_SUFFIX), LOG,
                "has an outbox payload that is not JSON or breaks its contract", metrics);
        onUpdate = OpBehavior.valueOf(config.getString(INVALID_OP).toUpperCase(Locale.ROOT));
        onDelete = OpBehavior.valueOf(config.getString(DELETE_OP).toUpperCase(Locale.ROOT));
    }

    @Override
    public R apply(R record) {
        Object value = record.value();
        if (value == null) {
            return null; // a tombstone of the outbox table (after a delete)
        }
        if (value instanceof Struct struct) {
            Schema schema = struct.schema();
            if (envelopes.isEnvelope(schema)) {
                return fromEnvelope(record, struct.getString(ChangeEnvelopes.OP), struct.getStruct(ChangeEnvelopes.AFTER),
                        struct.schema().field(ChangeEnvelopes.TS_MS) == null ? null : struct.get(ChangeEnvelopes.TS_MS));
            }
            if (schema.name() != null && schema.name().startsWith("io.debezium.")) {
                return record; // heartbeats, schema changes, transaction metadata
            }
            return routed(record, OutboxRow.of(struct), record.timestamp());
        }
        if (value instanceof Map<?, ?> map) {
            if (ChangeEnvelopes.isEnvelope(map)) {
                Object after = map.get(ChangeEnvelopes.AFTER);
                return fromEnvelope(record, (String) map.get(ChangeEnvelopes.OP), after, map.get(ChangeEnvelopes.TS_MS));
            }
            return routed(record, OutboxRow.of(stringKeys(map)), record.timestamp());
        }
        throw new DataException("OutboxRouter needs a Struct or Map value (a change event or an outbox row); the record"
                + " for topic '" + record.topic() + "' holds a " + value.getClass().getSimpleName() + ".");
    }

    private R fromEnvelope(R record, String op, Object after, Object tsMs) {
        switch (op) {
            case "c", "r" -> {
                Long ts = tsMs instanceof Number n ? n.longValue() : record.timestamp();
                OutboxRow row = after instanceof Struct s ? OutboxRow.of(s) : OutboxRow.of(stringKeys((Map<?, ?>) after));
                return routed(record, row, ts);
            }
            case "u" -> {
                return unexpected(record, onUpdate, "an UPDATE", INVALID_OP);
            }
            case "d" -> {
                return unexpected(record, onDelete, "a DELETE", DELETE_OP);
            }
            default -> {
                return unexpected(record, onUpdate, "operation '" + op + "'", INVALID_OP);
            }
        }
    }

    private R unexpected(R record, OpBehavior behavior, String what, String key) {
        droppedOps.increment();
        switch (behavior) {
            case DROP -> LOG.debug("Dropped {} of the outbox table (topic '{}')", what, record.topic());
            case WARN -> LOG.warn("Dropped {} of the outbox table (topic '{}', {} dropped so far)", what, record.topic(), droppedOps.get());
            case ERROR -> LOG.error("Dropped {} of the outbox table (topic '{}', {} dropped so far)", what, record.topic(), droppedOps.get());
            case FATAL -> throw new DataException("Received " + what + " of the outbox table on topic '" + record.topic()
                    + "', and " + key + " is 'fatal'. Outbox rows should only be inserted (and deleted).");
        }
        return null;
    }

    private R routed(R record, OutboxRow row, Long timestamp) {
        RoutedEvent event = routing.route(row, timestamp);
        routedCount.increment();
        Headers headers = new ConnectHeaders(record.headers());
        for (EventHeader h : event.headers()) {
            headers.add(h.name(), h.value(), h.schema());
        }
        R out = record.newRecord(event.topic(), event.partition(), event.keySchema(), event.key(), event.valueSchema(),
                event.value(), event.timestamp(), headers);
        return event.violation() == null ? out : invalid.handle(out, event.violation());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> stringKeys(Map<?, ?> map) {
        return (Map<String, ?>) map;
    }

    /** Outbox updates and deletes dropped (or logged) since configure. */
    public long droppedOperations() {
        return droppedOps.get();
    }

    /** Records with invalid payloads dropped since configure. */
    public long droppedInvalid() {
        return invalid.dropped();
    }

    /** Records with invalid payloads quarantined since configure. */
    public long quarantined() {
        return invalid.quarantined();
    }
}
