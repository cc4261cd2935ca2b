package io.onramp.connect.source.file.snapshot;

import io.onramp.connect.core.schema.OnrampSchemas;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Timestamp;

/**
 * Recognises, on a field's UTF-8 bytes, values that are already their own canonical text under a contract
 * field's type, so the byte path can keep them without parsing: the text parses (with
 * {@code TextValueParser}) and {@code FlatStructText.text} writes it back unchanged. Only the plainest shapes
 * are recognised; anything else returns false and goes through the parser, which decides.
 */
public final class CanonicalBytes {

    /** What can be recognised for one field. */
    enum Kind {
        /** A string without logical type or enum symbols: any non-empty text. */
        PLAIN_STRING,
        /** INT64 without logical type: {@code -?(0|[1-9][0-9]{0,17})}, not {@code -0}. */
        INT64,
        /** Decimal: {@code -?(0|[1-9][0-9]*)\.[0-9]{scale}} within the precision, not negative zero. */
        DECIMAL,
        /** Timestamp (millis): {@code yyyy-MM-ddTHH:mm:ssZ}, a valid date and time, years 0000 to 9999. */
        TIMESTAMP,
        OTHER
    }

    private final Kind kind;
    private final int scale;
    private final int precision;

    private CanonicalBytes(Kind kind, int scale, int precision) {
        this.kind = kind;
        this.scale = scale;
        this.precision = precision;
    }

    static CanonicalBytes of(Schema schema) {
        String name = schema.name();
        var params = schema.parameters();
        if (schema.type() == Schema.Type.STRING) {
            boolean plain = name == null && (params == null || params.isEmpty());
            return new CanonicalBytes(plain ? Kind.PLAIN_STRING : Kind.OTHER, 0, 0);
        }
        if (schema.type() == Schema.Type.INT64 && name == null) {
            return new CanonicalBytes(Kind.INT64, 0, 0);
        }
        if (schema.type() == Schema.Type.INT64 && Timestamp.LOGICAL_NAME.equals(name)) {
            return new CanonicalBytes(Kind.TIMESTAMP, 0, 0);
        }
        if (schema.type() == Schema.Type.BYTES && Decimal.LOGICAL_NAME.equals(name) && params != null) {
            try {
                int scale = Integer.parseInt(params.get(Decimal.SCALE_FIELD));
                String precision = params.get(OnrampSchemas.DECIMAL_PRECISION);
                if (scale > 0) {
                    int digits = precision == null ? Integer.MAX_VALUE : Integer.parseInt(precision);
                    return new CanonicalBytes(Kind.DECIMAL, scale, digits);
                }
            } catch (NumberFormatException e) {
                // the parser reports it
            }
        }
        return new CanonicalBytes(Kind.OTHER, 0, 0);
    }

    Kind kind() {
        return kind;
    }

    /** True when the bytes {@code a[start, start + length)} are a value in its canonical text. */
    boolean isCanonical(byte[] a, int start, int length) {
        return switch (kind) {
            case PLAIN_STRING -> length > 0;
            case INT64 -> isInteger(a, start, length);
            case DECIMAL -> isDecimal(a, start, length);
            case TIMESTAMP -> isTimestamp(a, start, length);
            case OTHER -> false;
        };
    }

    private static boolean isInteger(byte[] a, int start, int length) {
        int p = start;
        int end = start + length;
        if (p < end && a[p] == '-') {
            p++;
        }
        int digits = end - p;
        if (digits < 1 || digits > 18 || (a[p] == '0' && (digits > 1 || p > start))) {
            return false; // empty, too long for certain, a leading zero, or -0
        }
        for (; p < end; p++) {
            if (a[p] < '0' || a[p] > '9') {
                return false;
            }
        }
        return true;
    }

    private boolean isDecimal(byte[] a, int start, int length) {
        int p = start;
        int end = start + length;
        boolean negative = p < end && a[p] == '-';
        if (negative) {
            p++;
        }
        int point = end - scale - 1;
        int integerDigits = point - p;
        if (integerDigits < 1 || a[point] != '.' || integerDigits + scale > precision || integerDigits + scale > 36) {
            return false;
        }
        if (a[p] == '0' && integerDigits > 1) {
            return false;
        }
        boolean zero = true;
        for (int i = p; i < end; i++) {
            if (i == point) {
                continue;
            }
            byte x = a[i];
            if (x < '0' || x > '9') {
                return false;
            }
            zero &= x == '0';
        }
        return !(negative && zero);
    }

    private static boolean isTimestamp(byte[] a, int start, int length) {
        if (length != 20 || a[start + 4] != '-' || a[start + 7] != '-' || a[start + 10] != 'T' || a[start + 13] != ':'
                || a[start + 16] != ':' || a[start + 19] != 'Z') {
            return false;
        }
        int year = digits(a, start, 4);
        int month = digits(a, start + 5, 2);
        int day = digits(a, start + 8, 2);
        int hour = digits(a, start + 11, 2);
        int minute = digits(a, start + 14, 2);
        int second = digits(a, start + 17, 2);
        return year >= 0 && month >= 1 && month <= 12 && day >= 1
                && day <= java.time.Month.of(month).length(java.time.Year.isLeap(year))
                && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59;
    }

    /** The decimal digits of {@code a[from, from + count)}, or -1 when one is not a digit. */
    private static int digits(byte[] a, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            byte x = a[i];
            if (x < '0' || x > '9') {
                return -1;
            }
            value = value * 10 + (x - '0');
        }
        return value;
    }
}
