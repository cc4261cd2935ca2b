package io.onramp.connect.core.outbox;

import io.onramp.connect.core.contract.Contract;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * The routing core of the transactional outbox: one outbox row in, one {@link RoutedEvent} out. It is the one copy
 * of the routing logic, shared by the {@code OutboxRouter} transform (which hands it the {@code after} row of a
 * Debezium change event, or a flat row) and the outbox source connector (which hands it each row it polls).
 *
 * <p>How the outbox source uses it: define the keys with {@link OutboxRoutingConfig#define(org.apache.kafka.common.config.ConfigDef)}
 * in the connector's ConfigDef, build one instance per task with {@link OutboxRoutingConfig#router}, and for each
 * row call {@code route(OutboxRow.of(rowStruct), readTimeMillis)}; build the SourceRecord from the event's topic,
 * partition, key, value, timestamp and headers (in order). When the event has a {@link RoutedEvent#violation()},
 * apply the connector's invalid-record policy to it. Instances are not thread-safe (they cache schemas and
 * topics): one per task.
 *
 * <p>Per row: the event id (column {@code table.field.event.id}) becomes the header {@value #EVENT_ID_HEADER};
 * the key is the aggregate id (column {@code table.field.event.key}) with its column schema; the topic comes from
 * the {@code route.by.field} value ({@link TopicRoute}); the timestamp from {@code table.field.event.timestamp},
 * else the caller's fallback; the payload is expanded by {@link PayloadReader}; additional columns go to headers,
 * value fields (the value is then a struct of {@value #ENVELOPE_PAYLOAD} and those fields, as in Debezium's
 * EventRouter) or the partition. A missing id, key or route column is a {@link DataException} naming the column
 * and its key; no exception text holds a column's value.
 */
public final class OutboxRouting {

    /** The header carrying the event id (Debezium's name). */
    public static final String EVENT_ID_HEADER = "id";
    /** The value field holding the payload when additional columns are placed in the envelope. */
    public static final String ENVELOPE_PAYLOAD = "payload";

    private static final int SCHEMA_CACHE_SIZE = 256;

    private final String idColumn;
    private final String keyColumn;
    private final String typeColumn;
    private final String payloadColumn;
    private final String timestampColumn;
    private final String routeColumn;
    private final TopicRoute topics;
    private final String domain;
    private final List<AdditionalField> headerFields;
    private final List<AdditionalField> envelopeFields;
    private final AdditionalField partitionField;
    private final boolean tombstoneOnEmpty;
    private final PayloadReader payloads;
    private final Map<Schema, Schema> envelopeSchemas = new IdentityHashMap<>();

    OutboxRouting(String idColumn, String keyColumn, String typeColumn, String payloadColumn, String timestampColumn,
                  String routeColumn, TopicRoute topics, String domain, List<AdditionalField> additional,
                  boolean tombstoneOnEmpty, PayloadReader payloads) {
        this.idColumn = idColumn;
        this.keyColumn = keyColumn;
        this.typeColumn = typeColumn;
        this.payloadColumn = payloadColumn;
        this.timestampColumn = timestampColumn == null || timestampColumn.isBlank() ? null : timestampColumn;
        this.routeColumn = routeColumn;
        this.topics = topics;
        this.domain = domain;
        this.headerFields = additional.stream().filter(f -> f.placement() == AdditionalField.Placement.HEADER).toList();
        this.envelopeFields = additional.stream().filter(f -> f.placement() == AdditionalField.Placement.ENVELOPE).toList();
        this.partitionField = additional.stream().filter(f -> f.placement() == AdditionalField.Placement.PARTITION)
                .findFirst().orElse(null);
        this.tombstoneOnEmpty = tombstoneOnEmpty;
        this.payloads = payloads;
    }

    /**
     * Routes one outbox row.
     *
     * @param fallbackTimestamp the record timestamp when the row has no event timestamp (Debezium's ts_ms, the
     *                          read time); may be null
     */
    public RoutedEvent route(OutboxRow row, Long fallbackTimestamp) {
        Object eventId = ColumnValues.plain(required(row, idColumn, OutboxRoutingConfig.EVENT_ID));
        Object routedByValue = required(row, routeColumn, OutboxRoutingConfig.ROUTE_BY_FIELD);
        String aggregate = routedByValue.toString();
        String type = stringOrNull(row.get(typeColumn));
        if (!row.has(keyColumn)) {
            throw missing(keyColumn, OutboxRoutingConfig.EVENT_KEY);
        }
        SchemaAndValue key = ColumnValues.of(ColumnValues.plain(row.get(keyColumn)), row.schema(keyColumn), false);
        if (!row.has(payloadColumn)) {
            throw missing(payloadColumn, OutboxRoutingConfig.EVENT_PAYLOAD);
        }
        Object raw = row.get(payloadColumn);
        Schema rawSchema = row.schema(payloadColumn);

        List<EventHeader> headers = new ArrayList<>(1 + headerFields.size());
        Schema idSchema = row.schema(idColumn);
        headers.add(new EventHeader(EVENT_ID_HEADER, idSchema == null ? ColumnValues.of(eventId, null, false).schema()
                : idSchema, eventId));
        for (AdditionalField f : headerFields) {
            SchemaAndValue v = additional(row, f);
            headers.add(new EventHeader(f.alias(), v.schema(), v.value()));
        }
        Integer partition = partition(row);
        Long timestamp = timestamp(row, fallbackTimestamp);

        if (tombstoneOnEmpty && isEmpty(raw)) {
            Contract contract = payloads.hasContracts() ? payloads.contractFor(aggregate) : null;
            return new RoutedEvent(topic(aggregate, type, contract), partition, key.schema(), key.value(), null, null,
                    timestamp, eventId, headers, null);
        }
        PayloadReader.Payload payload = payloads.read(raw, rawSchema, aggregate);
        String topic = topic(aggregate, type, payload.contract());
        if (payload.violation() != null) {
            boolean structured = PayloadReader.text(raw) == null && raw != null;
            return new RoutedEvent(topic, partition, key.schema(), key.value(),
                    structured ? rawSchema : Schema.OPTIONAL_STRING_SCHEMA, structured ? raw : PayloadReader.text(raw),
                    timestamp, eventId, headers, payload.violation());
        }
        Schema valueSchema = payload.schema();
        Object value = payload.value();
        if (!envelopeFields.isEmpty()) {
            Schema payloadSchema = valueSchema == null ? Schema.OPTIONAL_STRING_SCHEMA : valueSchema;
            Struct envelope = envelope(row, payloadSchema, value);
            valueSchema = envelope.schema();
            value = envelope;
        }
        return new RoutedEvent(topic, partition, key.schema(), key.value(), valueSchema, value, timestamp, eventId,
                headers, null);
    }

    private String topic(String aggregate, String type, Contract contract) {
        String d = contract != null ? contract.domain() : domain;
        Integer version = contract != null ? contract.version() : null;
        try {
            return topics.topic(aggregate, type, d, version);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new DataException("'" + OutboxRoutingConfig.ROUTE_TOPIC_REPLACEMENT + "' cannot be applied to the"
                    + " match of '" + OutboxRoutingConfig.ROUTE_TOPIC_REGEX + "': " + e.getMessage());
        }
    }

    private Struct envelope(OutboxRow row, Schema payloadSchema, Object payload) {
        var values = new ArrayList<SchemaAndValue>(envelopeFields.size());
        for (AdditionalField f : envelopeFields) {
            values.add(additional(row, f));
        }
        Schema schema = envelopeSchemas.get(payloadSchema);
        if (schema == null || !sameFieldSchemas(schema, values)) {
            SchemaBuilder builder = SchemaBuilder.struct().field(ENVELOPE_PAYLOAD, payloadSchema);
            for (int i = 0; i < envelopeFields.size(); i++) {
                Schema s = values.get(i).schema();
                builder.field(envelopeFields.get(i).alias(), s == null ? Schema.OPTIONAL_STRING_SCHEMA : s);
            }
            schema = builder.build();
            if (envelopeSchemas.size() >= SCHEMA_CACHE_SIZE) {
                envelopeSchemas.clear();
            }
            envelopeSchemas.put(payloadSchema, schema);
        }
        var struct = new Struct(schema).put(ENVELOPE_PAYLOAD, payload);
        for (int i = 0; i < envelopeFields.size(); i++) {
            Object v = values.get(i).value();
            struct.put(envelopeFields.get(i).alias(), values.get(i).schema() == null && v != null ? v.toString() : v);
        }
        return struct;
    }

    /** A cached envelope schema fits when each additional column still has the schema it was built with. */
    private boolean sameFieldSchemas(Schema envelope, List<SchemaAndValue> values) {
        for (int i = 0; i < values.size(); i++) {
            Schema s = values.get(i).schema();
            Schema cached = envelope.field(envelopeFields.get(i).alias()).schema();
            if (s != null && s != cached && !s.equals(cached)) {
                return false;
            }
        }
        return true;
    }

    private SchemaAndValue additional(OutboxRow row, AdditionalField f) {
        if (!row.has(f.column())) {
            throw new DataException("The outbox row has no column '" + f.column() + "', named in "
                    + OutboxRoutingConfig.ADDITIONAL_PLACEMENT + ".");
        }
        return ColumnValues.of(ColumnValues.plain(row.get(f.column())), row.schema(f.column()), true);
    }

    private Integer partition(OutboxRow row) {
        if (partitionField == null) {
            return null;
        }
        Object v = required(row, partitionField.column(), OutboxRoutingConfig.ADDITIONAL_PLACEMENT);
        if (v instanceof Number n && n.longValue() >= 0 && n.longValue() <= Integer.MAX_VALUE && !(v instanceof Double || v instanceof Float)) {
            return n.intValue();
        }
        throw new DataException("The partition column '" + partitionField.column() + "' (" + OutboxRoutingConfig.ADDITIONAL_PLACEMENT
                + ") must hold a non-negative integer.");
    }

    private Long timestamp(OutboxRow row, Long fallback) {
        if (timestampColumn == null) {
            return fallback;
        }
        if (!row.has(timestampColumn)) {
            throw missing(timestampColumn, OutboxRoutingConfig.EVENT_TIMESTAMP);
        }
        Object v = row.get(timestampColumn);
        return v == null ? fallback : ColumnValues.epochMillis(v, row.schema(timestampColumn), timestampColumn);
    }

    private static Object required(OutboxRow row, String column, String key) {
        if (!row.has(column)) {
            throw missing(column, key);
        }
        Object v = row.get(column);
        if (v == null) {
            throw new DataException("The outbox column '" + column + "' (" + key + ") is null.");
        }
        return v;
    }

    private static DataException missing(String column, String key) {
        return new DataException("The outbox row has no column '" + column + "' (" + key + ").");
    }

    private static String stringOrNull(Object v) {
        return v == null ? null : v.toString();
    }

    private static boolean isEmpty(Object raw) {
        if (raw == null) {
            return true;
        }
        if (raw instanceof String s) {
            return s.isBlank();
        }
        if (raw instanceof byte[] b) {
            return b.length == 0;
        }
        return false;
    }
}
