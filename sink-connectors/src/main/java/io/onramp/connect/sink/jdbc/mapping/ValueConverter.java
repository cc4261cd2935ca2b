package io.onramp.connect.sink.jdbc.mapping;

import io.onramp.connect.core.schema.OnrampSchemas;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Maps a Connect field schema to its column type, and a field value to the Java value bound for that column.
 * Connect's logical types, Onramp's and Debezium's time and decimal types are read by their schema names;
 * times become UTC wall-clock values ({@link LocalDateTime}) so that no JVM or session time zone shifts them.
 */
public final class ValueConverter {

    // Debezium's semantic types (io.debezium.time.*, io.debezium.data.*), read without depending on Debezium.
    static final String DBZ_DATE = "io.debezium.time.Date";
    static final String DBZ_TIME = "io.debezium.time.Time";
    static final String DBZ_MICRO_TIME = "io.debezium.time.MicroTime";
    static final String DBZ_NANO_TIME = "io.debezium.time.NanoTime";
    static final String DBZ_TIMESTAMP = "io.debezium.time.Timestamp";
    static final String DBZ_MICRO_TIMESTAMP = "io.debezium.time.MicroTimestamp";
    static final String DBZ_NANO_TIMESTAMP = "io.debezium.time.NanoTimestamp";
    static final String DBZ_ZONED_TIMESTAMP = "io.debezium.time.ZonedTimestamp";
    static final String DBZ_JSON = "io.debezium.data.Json";
    static final String DBZ_VARIABLE_DECIMAL = "io.debezium.data.VariableScaleDecimal";

    private ValueConverter() {
    }

    /** The column type of a scalar field, or null for STRUCT, ARRAY and MAP (handled by the row mapper). */
    public static ColumnSpec column(String name, Schema schema) {
        boolean optional = schema.isOptional();
        String logical = schema.name();
        if (logical != null) {
            switch (logical) {
                case Decimal.LOGICAL_NAME -> {
                    int scale = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
                    String p = schema.parameters().get(OnrampSchemas.DECIMAL_PRECISION);
                    return new ColumnSpec(name, SinkType.DECIMAL, scale, p == null ? -1 : Integer.parseInt(p), optional);
                }
                case DBZ_VARIABLE_DECIMAL -> {
                    return new ColumnSpec(name, SinkType.DECIMAL, -1, -1, optional);
                }
                case Date.LOGICAL_NAME, DBZ_DATE -> {
                    return ColumnSpec.of(name, SinkType.DATE, optional);
                }
                case Time.LOGICAL_NAME, DBZ_TIME, DBZ_MICRO_TIME, DBZ_NANO_TIME, OnrampSchemas.MICRO_TIME -> {
                    return ColumnSpec.of(name, SinkType.TIME, optional);
                }
                case Timestamp.LOGICAL_NAME, DBZ_TIMESTAMP, DBZ_MICRO_TIMESTAMP, DBZ_NANO_TIMESTAMP, DBZ_ZONED_TIMESTAMP,
                        OnrampSchemas.MICRO_TIMESTAMP, OnrampSchemas.NANO_TIMESTAMP -> {
                    return ColumnSpec.of(name, SinkType.TIMESTAMP, optional);
                }
                case DBZ_JSON -> {
                    return ColumnSpec.of(name, SinkType.JSON, optional);
                }
                default -> { }
            }
        }
        SinkType type = switch (schema.type()) {
            case BOOLEAN -> SinkType.BOOLEAN;
            case INT8, INT16 -> SinkType.INT16;
            case INT32 -> SinkType.INT32;
            case INT64 -> SinkType.INT64;
            case FLOAT32 -> SinkType.FLOAT32;
            case FLOAT64 -> SinkType.FLOAT64;
            case STRING -> SinkType.STRING;
            case BYTES -> SinkType.BYTES;
            case STRUCT, ARRAY, MAP -> null;
        };
        return type == null ? null : ColumnSpec.of(name, type, optional);
    }

    /** The value to bind for a field of {@code schema} (already mapped by {@link #column}); {@code field} names it in errors. */
    public static Object bindValue(Object value, Schema schema, String field) {
        if (value == null) {
            return null;
        }
        String logical = schema.name();
        if (logical != null) {
            switch (logical) {
                case Decimal.LOGICAL_NAME -> {
                    return value instanceof BigDecimal d ? d : Decimal.toLogical(schema, (byte[]) value);
                }
                case DBZ_VARIABLE_DECIMAL -> {
                    Struct s = (Struct) value;
                    byte[] bytes = asBytes(s.get("value"));
                    return new BigDecimal(new BigInteger(bytes), ((Number) s.get("scale")).intValue());
                }
                case Date.LOGICAL_NAME -> {
                    return LocalDate.ofEpochDay(Math.floorDiv(((java.util.Date) value).getTime(), 86_400_000L));
                }
                case DBZ_DATE -> {
                    return LocalDate.ofEpochDay(((Number) value).longValue());
                }
                case Time.LOGICAL_NAME -> {
                    return LocalTime.ofNanoOfDay(Math.floorMod(((java.util.Date) value).getTime(), 86_400_000L) * 1_000_000L);
                }
                case DBZ_TIME -> {
                    return LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000_000L);
                }
                case DBZ_MICRO_TIME, OnrampSchemas.MICRO_TIME -> {
                    return LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000L);
                }
                case DBZ_NANO_TIME -> {
                    return LocalTime.ofNanoOfDay(((Number) value).longValue());
                }
                case Timestamp.LOGICAL_NAME -> {
                    return utc(Instant.ofEpochMilli(((java.util.Date) value).getTime()));
                }
                case DBZ_TIMESTAMP -> {
                    return utc(Instant.ofEpochMilli(((Number) value).longValue()));
                }
                case DBZ_MICRO_TIMESTAMP, OnrampSchemas.MICRO_TIMESTAMP -> {
                    long micros = ((Number) value).longValue();
                    return utc(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L));
                }
                case DBZ_NANO_TIMESTAMP, OnrampSchemas.NANO_TIMESTAMP -> {
                    long nanos = ((Number) value).longValue();
                    return utc(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)));
                }
                case DBZ_ZONED_TIMESTAMP -> {
                    try {
                        return utc(OffsetDateTime.parse(value.toString()).toInstant());
                    } catch (DateTimeParseException e) {
                        throw new DataException("Field '" + field + "' is not an ISO-8601 timestamp with offset");
                    }
                }
                default -> { }
            }
        }
        return switch (schema.type()) {
            case INT8 -> (short) (byte) (Byte) value;
            case INT16 -> (Short) value;
            case BYTES -> asBytes(value);
            default -> value;
        };
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static byte[] asBytes(Object value) {
        if (value instanceof ByteBuffer buffer) {
            var copy = new byte[buffer.remaining()];
            buffer.duplicate().get(copy);
            return copy;
        }
        return (byte[]) value;
    }
}
