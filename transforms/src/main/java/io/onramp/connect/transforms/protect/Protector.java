package io.onramp.connect.transforms.protect;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import javax.crypto.Mac;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Applies one {@link ProtectMode} to a primitive value, with or without a Connect schema, and says
 * what the output schema becomes. Knows nothing of records or paths. Holds a {@link Mac}, so an
 * instance serves one task thread (as a transform instance does).
 */
final class Protector {

    /** The options of the modes, from the transform's config. */
    record Options(String maskReplacement, char maskChar, int truncateLength, long bucketWidth,
                   boolean dateToYear, int prefixLength, boolean base64) {
    }

    private final Options options;
    private final Mac mac;
    private final io.onramp.connect.core.metrics.Counter protectedValues;

    Protector(Options options, Mac mac, io.onramp.connect.core.metrics.Counter protectedValues) {
        this.options = options;
        this.mac = mac;
        this.protectedValues = protectedValues;
    }

    /** The schema a field of schema {@code in} has after {@code mode}; fails when the mode does not apply. */
    Schema outputSchema(ProtectMode mode, Schema in, String path) {
        requirePrimitive(in, path, mode);
        return switch (mode) {
            case MASK, REDACT -> in;
            case TRUNCATE -> {
                if (in.type() != Schema.Type.STRING) {
                    throw unsupported(mode, path, in.type().name());
                }
                yield in;
            }
            case GENERALIZE -> {
                if (isDate(in)) {
                    yield in;
                }
                if (Time.LOGICAL_NAME.equals(in.name()) || in.type() == Schema.Type.BOOLEAN
                        || in.type() == Schema.Type.BYTES && !Decimal.LOGICAL_NAME.equals(in.name())) {
                    throw unsupported(mode, path, in.name() != null ? in.name() : in.type().name());
                }
                yield in.type() == Schema.Type.STRING ? in : string(in);
            }
            case HASH -> in.type() == Schema.Type.STRING && in.name() == null && in.parameters() == null ? in : string(in);
        };
    }

    /** Applies {@code mode} to a non-null primitive {@code value}; {@code schema} is null for schemaless records. */
    Object apply(ProtectMode mode, Object value, Schema schema, String path) {
        protectedValues.increment();
        return switch (mode) {
            case MASK -> empty(value, schema, path, false);
            case REDACT -> schema == null || schema.isOptional() ? null : empty(value, schema, path, true);
            case TRUNCATE -> {
                if (!(value instanceof String s)) {
                    throw unsupported(mode, path, value.getClass().getSimpleName());
                }
                yield s.length() <= options.truncateLength() ? s : s.substring(0, options.truncateLength());
            }
            case GENERALIZE -> generalize(value, path);
            case HASH -> hash(value);
        };
    }

    private Object empty(Object value, Schema schema, String path, boolean redact) {
        if (value instanceof String s) {
            if (redact) {
                return "";
            }
            return options.maskReplacement() != null ? options.maskReplacement()
                    : String.valueOf(options.maskChar()).repeat(s.length());
        }
        if (value instanceof Integer) {
            return 0;
        }
        if (value instanceof Long) {
            return 0L;
        }
        if (value instanceof Double) {
            return 0.0d;
        }
        if (value instanceof Float) {
            return 0.0f;
        }
        if (value instanceof Short) {
            return (short) 0;
        }
        if (value instanceof Byte) {
            return (byte) 0;
        }
        if (value instanceof BigDecimal d) {
            return BigDecimal.ZERO.setScale(d.scale(), RoundingMode.UNNECESSARY);
        }
        if (value instanceof Boolean) {
            return Boolean.FALSE;
        }
        if (value instanceof Date) {
            return new Date(0L);
        }
        if (value instanceof byte[] b) {
            return new byte[redact ? 0 : b.length];
        }
        if (value instanceof ByteBuffer bb) {
            return ByteBuffer.allocate(redact ? 0 : bb.remaining());
        }
        throw unsupported(redact ? ProtectMode.REDACT : ProtectMode.MASK, path, value.getClass().getSimpleName());
    }

    private Object generalize(Object value, String path) {
        if (value instanceof String s) {
            return s.length() <= options.prefixLength() ? s : s.substring(0, options.prefixLength());
        }
        if (value instanceof Date d) {
            LocalDate day = Instant.ofEpochMilli(d.getTime()).atZone(ZoneOffset.UTC).toLocalDate();
            LocalDate first = options.dateToYear() ? day.withDayOfYear(1) : day.withDayOfMonth(1);
            return new Date(first.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
        }
        long width = options.bucketWidth();
        long low;
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            low = Math.floorDiv(((Number) value).longValue(), width) * width;
        } else if (value instanceof BigDecimal d) {
            low = d.divide(BigDecimal.valueOf(width), 0, RoundingMode.FLOOR).longValueExact() * width;
        } else if (value instanceof Double || value instanceof Float) {
            low = (long) Math.floor(((Number) value).doubleValue() / width) * width;
        } else {
            throw unsupported(ProtectMode.GENERALIZE, path, value.getClass().getSimpleName());
        }
        return low + "-" + (low + width - 1);
    }

    private String hash(Object value) {
        byte[] input;
        if (value instanceof byte[] b) {
            input = b;
        } else if (value instanceof ByteBuffer bb) {
            input = new byte[bb.remaining()];
            bb.duplicate().get(input);
        } else if (value instanceof Date d) {
            input = Long.toString(d.getTime()).getBytes(StandardCharsets.UTF_8);
        } else if (value instanceof BigDecimal d) {
            input = d.toPlainString().getBytes(StandardCharsets.UTF_8);
        } else {
            input = value.toString().getBytes(StandardCharsets.UTF_8);
        }
        byte[] digest = mac.doFinal(input);
        return options.base64() ? Base64.getEncoder().encodeToString(digest) : HexFormat.of().formatHex(digest);
    }

    private static boolean isDate(Schema s) {
        return org.apache.kafka.connect.data.Date.LOGICAL_NAME.equals(s.name()) || Timestamp.LOGICAL_NAME.equals(s.name());
    }

    private static Schema string(Schema in) {
        SchemaBuilder b = SchemaBuilder.string();
        if (in.isOptional()) {
            b.optional();
        }
        if (in.doc() != null) {
            b.doc(in.doc());
        }
        return b.build();
    }

    private static void requirePrimitive(Schema in, String path, ProtectMode mode) {
        if (!in.type().isPrimitive()) {
            throw new DataException("Field '" + path + "' is a " + in.type() + "; " + mode.name().toLowerCase()
                    + " applies to primitive fields, so name the fields inside it (e.g. '" + path + ".<field>').");
        }
    }

    private static DataException unsupported(ProtectMode mode, String path, String type) {
        return new DataException("Field '" + path + "' is of type " + type + ", which "
                + mode.name().toLowerCase() + " does not apply to.");
    }
}
