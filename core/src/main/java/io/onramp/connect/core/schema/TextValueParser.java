package io.onramp.connect.core.schema;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Converts one text field (a CSV cell, a fixed-width column) to the Connect value of its field
 * schema, including the logical types of {@link AvroSchemaMapper}; bad text is a {@link DataException}.
 *
 * <p>Empty text (blank, for non-string types) means "no value": the schema default if there is one,
 * else null for an optional field, else {@code ""} for a required STRING, else an error.
 * Surrounding whitespace is ignored for every type except STRING, which is kept verbatim.
 */
public final class TextValueParser {

    private static final long MILLIS_PER_DAY = 86_400_000L;
    private static final long MICROS_PER_DAY = MILLIS_PER_DAY * 1_000L;

    public Object parse(String text, Schema schema, String fieldPath) {
        boolean empty = text == null || (schema.type() == Schema.Type.STRING ? text.isEmpty() : text.isBlank());
        if (empty) {
            if (schema.defaultValue() != null) {
                return schema.defaultValue();
            }
            if (schema.isOptional()) {
                return null;
            }
            if (schema.type() == Schema.Type.STRING && text != null) {
                return checkString(text, schema, fieldPath);
            }
            throw new DataException("Field '" + fieldPath + "' is required but empty");
        }
        return parseNonEmpty(text, schema, fieldPath);
    }

    /** The conversion proper, for text known to hold a value; shared with {@link JsonValueConverter}. */
    Object parseNonEmpty(String text, Schema schema, String fieldPath) {
        if (schema.type() == Schema.Type.STRING) {
            return checkString(text, schema, fieldPath);
        }
        String s = text.strip();
        try {
            String name = schema.name();
            if (name != null) {
                Object logical = switch (name) {
                    case Decimal.LOGICAL_NAME -> decimal(new BigDecimal(s), schema, fieldPath, s);
                    case Date.LOGICAL_NAME -> new java.util.Date(date(s).toEpochDay() * MILLIS_PER_DAY);
                    case Time.LOGICAL_NAME -> new java.util.Date(exactDivide(LocalTime.parse(s).toNanoOfDay(), 1_000_000L));
                    case Timestamp.LOGICAL_NAME -> new java.util.Date(epochMillis(instant(s)));
                    case OnrampSchemas.MICRO_TIME -> microTime(s);
                    case OnrampSchemas.MICRO_TIMESTAMP -> isIso(s) ? epochMicros(instant(s)) : Long.parseLong(s);
                    case OnrampSchemas.NANO_TIMESTAMP -> isIso(s) ? epochNanos(instant(s)) : Long.parseLong(s);
                    default -> null;
                };
                if (logical != null) {
                    return logical;
                }
            }
            return switch (schema.type()) {
                case INT8 -> (byte) integer(s, Byte.MIN_VALUE, Byte.MAX_VALUE);
                case INT16 -> (short) integer(s, Short.MIN_VALUE, Short.MAX_VALUE);
                case INT32 -> (int) integer(s, Integer.MIN_VALUE, Integer.MAX_VALUE);
                case INT64 -> integer(s, Long.MIN_VALUE, Long.MAX_VALUE);
                case FLOAT32 -> float32(s);
                case FLOAT64 -> float64(s);
                case BOOLEAN -> bool(s);
                case BYTES -> bytes(s, schema);
                default -> throw new DataException("Field '" + fieldPath + "' has the type " + schema.type()
                        + ", which cannot be read from text");
            };
        } catch (DateTimeException | IllegalArgumentException | ArithmeticException | InvalidText e) {
            // NumberFormatException is an IllegalArgumentException
            throw new DataException(invalid(fieldPath, describe(schema)), e);
        }
    }

    /** Checks a string against its enum symbols or UUID form; returns it unchanged. */
    String checkString(String text, Schema schema, String fieldPath) {
        Map<String, String> params = schema.parameters();
        String symbols = params == null ? null : params.get(OnrampSchemas.ENUM_SYMBOLS);
        if (symbols != null && !isSymbol(text, symbols)) {
            throw new DataException(invalid(fieldPath, "symbol of " + schema.name() + " (one of " + symbols + ")"));
        }
        if (OnrampSchemas.UUID.equals(schema.name()) && !isUuid(text)) {
            throw new DataException(invalid(fieldPath, "UUID"));
        }
        return text;
    }

    /** Fits a decimal to the schema's scale without losing digits, and to its precision if declared. */
    BigDecimal decimal(BigDecimal value, Schema schema, String fieldPath, String text) {
        int scale = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
        BigDecimal exact = value;
        if (exact.scale() > scale) {
            exact = exact.stripTrailingZeros();
            if (exact.scale() > scale) {
                throw new DataException(invalid(fieldPath, "decimal with at most " + scale + " decimal places"));
            }
        }
        BigDecimal result = exact.setScale(scale);
        String precision = schema.parameters().get(OnrampSchemas.DECIMAL_PRECISION);
        if (precision != null && result.precision() > Integer.parseInt(precision)) {
            throw new DataException(invalid(fieldPath, "decimal of precision " + precision + " and scale " + scale));
        }
        return result;
    }

    /**
     * Why a field's text does not parse, naming the field and the rule, never the value: values may be personal
     * data, and this text goes to logs, {@code <file>.error.txt} and quarantine headers (the quarantined record
     * itself carries the raw value).
     */
    static String invalid(String fieldPath, String what) {
        return "Field '" + fieldPath + "' is not a valid " + what + " (rule type)";
    }

    static String describe(Schema schema) {
        return schema.name() != null ? schema.name() : schema.type().toString();
    }

    /** Thrown inside this class for text that parses but does not fit; turned into a DataException above. */
    private static final class InvalidText extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidText() {
            super(null, null, false, false);
        }
    }

    private static long integer(String s, long min, long max) {
        long value = Long.parseLong(s);
        if (value < min || value > max) {
            throw new InvalidText();
        }
        return value;
    }

    private static float float32(String s) {
        rejectJavaSuffix(s);
        float value = Float.parseFloat(s);
        if (Float.isInfinite(value) && !s.endsWith("Infinity")) {
            throw new InvalidText(); // overflow would otherwise become Infinity silently
        }
        return value;
    }

    private static double float64(String s) {
        rejectJavaSuffix(s);
        double value = Double.parseDouble(s);
        if (Double.isInfinite(value) && !s.endsWith("Infinity")) {
            throw new InvalidText();
        }
        return value;
    }

    private static void rejectJavaSuffix(String s) {
        char last = s.charAt(s.length() - 1);
        if (last == 'd' || last == 'D' || last == 'f' || last == 'F') {
            throw new InvalidText(); // Java's parser accepts "1.5f"; a data file should not
        }
    }

    private static boolean bool(String s) {
        if (s.equalsIgnoreCase("true") || s.equals("1") || s.equalsIgnoreCase("yes")) {
            return true;
        }
        if (s.equalsIgnoreCase("false") || s.equals("0") || s.equalsIgnoreCase("no")) {
            return false;
        }
        throw new InvalidText();
    }

    private static byte[] bytes(String s, Schema schema) {
        byte[] value = Base64.getDecoder().decode(s);
        Map<String, String> params = schema.parameters();
        String size = params == null ? null : params.get(OnrampSchemas.FIXED_SIZE);
        if (size != null && value.length != Integer.parseInt(size)) {
            throw new InvalidText();
        }
        return value;
    }

    private static LocalDate date(String s) {
        if (s.length() != 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
            throw new InvalidText();
        }
        return LocalDate.of(digits(s, 0, 4), digits(s, 5, 7), digits(s, 8, 10));
    }

    private static int digits(String s, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new InvalidText();
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** ISO date-time with Z or an offset, else a local date-time (or date) taken as UTC; a space may replace the T. */
    private static Instant instant(String s) {
        Instant fast = commonInstant(s);
        if (fast != null) {
            return fast;
        }
        if (s.length() == 10) {
            return date(s).atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        String iso = s.length() > 10 && s.charAt(10) == ' ' ? s.substring(0, 10) + 'T' + s.substring(11) : s;
        return hasOffset(iso) ? OffsetDateTime.parse(iso).toInstant() : LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
    }

    /**
     * The shapes exports use, parsed by hand (java.time's parsers cost a microsecond a value):
     * {@code yyyy-MM-dd[T or space]HH:mm:ss[.f{1,9}][Z or +HH:MM or -HH:MM]}, no offset meaning UTC.
     * Anything else, valid or not, returns null and goes to the java.time parsers, which decide.
     */
    private static Instant commonInstant(String s) {
        int n = s.length();
        if (n < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) != 'T' && s.charAt(10) != ' ')
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digitsOrMinus(s, 0, 4);
        int month = digitsOrMinus(s, 5, 7);
        int day = digitsOrMinus(s, 8, 10);
        int hour = digitsOrMinus(s, 11, 13);
        int minute = digitsOrMinus(s, 14, 16);
        int second = digitsOrMinus(s, 17, 19);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > java.time.Month.of(month).length(java.time.Year.isLeap(year))) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (i < n && s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i == start || i - start > 9) {
                return null;
            }
            nanos = digitsOrMinus(s, start, i);
            for (int k = i - start; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offset;
        if (i == n || (i + 1 == n && s.charAt(i) == 'Z')) {
            offset = 0;
        } else if (i + 6 == n && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int hours = digitsOrMinus(s, i + 1, i + 3);
            int minutes = digitsOrMinus(s, i + 4, i + 6);
            if (hours < 0 || hours > 18 || minutes < 0 || minutes > 59) {
                return null;
            }
            offset = (hours * 3600 + minutes * 60) * (s.charAt(i) == '-' ? -1 : 1);
        } else {
            return null;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400L + hour * 3600L + minute * 60L + second - offset, nanos);
    }

    /** The decimal digits of {@code s[from, to)} as an int, or -1 when one is not a digit. */
    private static int digitsOrMinus(String s, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean hasOffset(String s) {
        char last = s.charAt(s.length() - 1);
        if (last == 'Z' || last == 'z') {
            return true;
        }
        for (int i = s.length() - 1; i > 10; i--) {
            char c = s.charAt(i);
            if (c == '+' || c == '-') {
                return true;
            }
        }
        return false;
    }

    private static boolean isIso(String s) {
        return s.indexOf(':') >= 0 || s.indexOf('-', 1) >= 0;
    }

    private static long epochMillis(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000L), exactDivide(instant.getNano(), 1_000_000L));
    }

    private static long epochMicros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), exactDivide(instant.getNano(), 1_000L));
    }

    private static long epochNanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    private static long microTime(String s) {
        long micros = s.indexOf(':') >= 0 ? exactDivide(LocalTime.parse(s).toNanoOfDay(), 1_000L) : Long.parseLong(s);
        if (micros < 0 || micros >= MICROS_PER_DAY) {
            throw new InvalidText();
        }
        return micros;
    }

    /** Divides only when nothing is lost: finer precision than the target type holds is an error. */
    private static long exactDivide(long value, long divisor) {
        if (value % divisor != 0) {
            throw new InvalidText();
        }
        return value / divisor;
    }

    private static boolean isSymbol(String text, String symbols) {
        if (text.isEmpty() || text.indexOf(',') >= 0) {
            return false;
        }
        int from = 0;
        while (true) {
            int at = symbols.indexOf(text, from);
            if (at < 0) {
                return false;
            }
            int end = at + text.length();
            if ((at == 0 || symbols.charAt(at - 1) == ',') && (end == symbols.length() || symbols.charAt(end) == ',')) {
                return true;
            }
            from = at + 1;
        }
    }

    private static boolean isUuid(String s) {
        if (s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean ok = (i == 8 || i == 13 || i == 18 || i == 23)
                    ? c == '-'
                    : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
