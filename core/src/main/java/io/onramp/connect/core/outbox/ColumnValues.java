package io.onramp.connect.core.outbox;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/** Column values as Connect sees them: schemas for schemaless rows, and event timestamps of every common kind. */
final class ColumnValues {

    /** Debezium's temporal schema names (Debezium is not a dependency of Onramp). */
    static final String DBZ_TIMESTAMP = "io.debezium.time.Timestamp";
    static final String DBZ_MICRO_TIMESTAMP = "io.debezium.time.MicroTimestamp";
    static final String DBZ_NANO_TIMESTAMP = "io.debezium.time.NanoTimestamp";
    static final String DBZ_ZONED_TIMESTAMP = "io.debezium.time.ZonedTimestamp";

    /** Connect's schemas of a Java type that is a Connect primitive as it is, required and optional. */
    private record Primitive(Schema required, Schema optional) {
    }

    /** Keyed by exact class: every key is a final class (or byte[]), so no subclass can miss its entry. */
    private static final Map<Class<?>, Primitive> PRIMITIVES = Map.of(
            Long.class, new Primitive(Schema.INT64_SCHEMA, Schema.OPTIONAL_INT64_SCHEMA),
            Integer.class, new Primitive(Schema.INT32_SCHEMA, Schema.OPTIONAL_INT32_SCHEMA),
            Short.class, new Primitive(Schema.INT16_SCHEMA, Schema.OPTIONAL_INT16_SCHEMA),
            Byte.class, new Primitive(Schema.INT8_SCHEMA, Schema.OPTIONAL_INT8_SCHEMA),
            Boolean.class, new Primitive(Schema.BOOLEAN_SCHEMA, Schema.OPTIONAL_BOOLEAN_SCHEMA),
            Double.class, new Primitive(Schema.FLOAT64_SCHEMA, Schema.OPTIONAL_FLOAT64_SCHEMA),
            Float.class, new Primitive(Schema.FLOAT32_SCHEMA, Schema.OPTIONAL_FLOAT32_SCHEMA),
            byte[].class, new Primitive(Schema.BYTES_SCHEMA, Schema.OPTIONAL_BYTES_SCHEMA));

    private ColumnValues() {
    }

    /**
     * The value with its schema: the row's own schema when it has one; for a schemaless row the Connect schema of
     * the plain Java value (UUIDs become strings, JDBC and java.time timestamps Connect Timestamps), or a null
     * schema for a value Connect has no type for.
     */
    static SchemaAndValue of(Object value, Schema schema, boolean optional) {
        if (schema != null) {
            return new SchemaAndValue(schema, value);
        }
        if (value == null) {
            return new SchemaAndValue(optional ? Schema.OPTIONAL_STRING_SCHEMA : null, null);
        }
        if (value instanceof String || value instanceof UUID || value instanceof Character) {
            return new SchemaAndValue(optional ? Schema.OPTIONAL_STRING_SCHEMA : Schema.STRING_SCHEMA, value.toString());
        }
        Primitive primitive = PRIMITIVES.get(value.getClass());
        if (primitive != null) {
            return new SchemaAndValue(optional ? primitive.optional() : primitive.required(), value);
        }
        if (value instanceof BigDecimal d) {
            var b = Decimal.builder(d.scale());
            return new SchemaAndValue((optional ? b.optional() : b).build(), d);
        }
        if (value instanceof Date || value instanceof Instant || value instanceof OffsetDateTime
                || value instanceof ZonedDateTime || value instanceof LocalDateTime) {
            var b = Timestamp.builder();
            return new SchemaAndValue((optional ? b.optional() : b).build(), new Date(epochMillis(value, null, null)));
        }
        return new SchemaAndValue(null, value);
    }

    /** The key or header form of an id: UUIDs as text, everything else as it is. */
    static Object plain(Object value) {
        return value instanceof UUID ? value.toString() : value;
    }

    /**
     * Epoch milliseconds of a timestamp column: Connect Timestamp / java.util.Date (and java.sql.Timestamp),
     * Debezium's Timestamp, MicroTimestamp, NanoTimestamp (int64) and ZonedTimestamp (ISO text), plain epoch
     * milliseconds, java.time instants (a LocalDateTime is read as UTC) and ISO-8601 text.
     */
    static long epochMillis(Object value, Schema schema, String column) {
        String name = schema == null ? null : schema.name();
        if (value instanceof Long || value instanceof Integer) {
            long n = ((Number) value).longValue();
            if (DBZ_MICRO_TIMESTAMP.equals(name)) {
                return Math.floorDiv(n, 1_000L);
            }
            if (DBZ_NANO_TIMESTAMP.equals(name)) {
                return Math.floorDiv(n, 1_000_000L);
            }
            return n; // io.debezium.time.Timestamp, or plain epoch milliseconds
        }
        if (value instanceof Date d) {
            return d.getTime();
        }
        if (value instanceof Instant i) {
            return i.toEpochMilli();
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant().toEpochMilli();
        }
        if (value instanceof ZonedDateTime z) {
            return z.toInstant().toEpochMilli();
        }
        if (value instanceof LocalDateTime l) {
            return l.toInstant(ZoneOffset.UTC).toEpochMilli();
        }
        if (value instanceof String s) {
            try {
                return OffsetDateTime.parse(s).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                try {
                    return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC).toEpochMilli();
                } catch (DateTimeParseException e2) {
                    throw new DataException("The event timestamp column '" + column + "' (" + OutboxRoutingConfig.EVENT_TIMESTAMP
                            + ") holds text that is not an ISO-8601 timestamp.");
                }
            }
        }
        throw new DataException("The event timestamp column '" + column + "' (" + OutboxRoutingConfig.EVENT_TIMESTAMP
                + ") holds a " + value.getClass().getSimpleName() + ", not a timestamp.");
    }
}
