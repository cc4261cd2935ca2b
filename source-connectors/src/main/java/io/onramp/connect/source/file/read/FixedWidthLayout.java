package io.onramp.connect.source.file.read;

import io.onramp.connect.core.schema.AvroSchemaMapper;
import io.onramp.connect.core.schema.OnrampSchemas;
import io.onramp.connect.core.schema.TextValueParser;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Where each field of a fixed-width record sits, and how its text becomes a Connect value.
 *
 * <p>A layout comes from one of two places:
 * <ul>
 * <li><b>The contract</b> ({@link #fromContract}): every field of the Avro record carries the properties
 * {@code "onramp.fixed.start"} (1-based column of its first character) and {@code "onramp.fixed.length"}, and
 * optionally {@code "onramp.fixed.trim"} (default {@code true}), {@code "onramp.fixed.impliedDecimals"} (default
 * 0; decimal, float and double fields only) and {@code "onramp.fixed.pattern"} (a {@link DateTimeFormatter}
 * pattern such as {@code yyyyMMdd}; date and timestamp-millis fields only). Types come from the contract.</li>
 * <li><b>Configuration</b> ({@link #parse}): comma-separated columns, each
 * {@code name:start:length:type[:option]...}, for example
 * <pre>id:1:6:long, name:7:20:string, balance:27:9:decimal(2)-implied, opened:36:8:date(yyyyMMdd):optional</pre>
 * <ul>
 * <li>{@code start} is the 1-based column of the field's first character, {@code length} its width.</li>
 * <li>{@code type} is one of {@code string}, {@code int}, {@code long}, {@code double}, {@code boolean},
 * {@code decimal(scale)} or {@code decimal(precision,scale)} (the text holds an explicit point, or none),
 * {@code decimal(scale)-implied} (digits only, the last {@code scale} of them are the fraction:
 * {@code 0001234} is 12.34), {@code date} / {@code timestamp} (ISO-8601 text) and {@code date(pattern)} /
 * {@code timestamp(pattern)} with a {@link DateTimeFormatter} pattern (a pattern may hold ':' and ',';
 * they are read as part of it inside the parentheses). Dates and timestamps are taken as UTC.</li>
 * <li>options: {@code optional} (a blank field is null; without it a blank non-string field is a bad
 * record) and {@code notrim} (a string keeps its leading and trailing spaces).</li>
 * </ul></li>
 * </ul>
 *
 * <p>Columns may leave gaps (filler) and need not be listed in order, but may not overlap. Text is cut by
 * characters after decoding, which for the single-byte charsets of mainframe extracts is the same as bytes.
 * Values are typed by core's {@link TextValueParser}, so a blank required string is {@code ""} and a blank
 * required number is a bad record, exactly as for CSV.
 */
public final class FixedWidthLayout {

    static final String START_PROP = "onramp.fixed.start";
    static final String LENGTH_PROP = "onramp.fixed.length";
    static final String TRIM_PROP = "onramp.fixed.trim";
    static final String IMPLIED_DECIMALS_PROP = "onramp.fixed.impliedDecimals";
    static final String PATTERN_PROP = "onramp.fixed.pattern";

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern TYPE = Pattern.compile("([a-z]+)(?:\\((.*)\\))?(-implied)?", Pattern.DOTALL);
    private static final Pattern SIGNED_DIGITS = Pattern.compile("[+-]?[0-9]+");
    private static final long MILLIS_PER_DAY = 86_400_000L;

    /**
     * One field of the record: {@code start} is 1-based; {@code pattern} is null unless a date or timestamp is
     * written in a non-ISO form.
     */
    record Column(String name, int start, int length, boolean trim, int impliedDecimals, Schema schema,
                  DateTimeFormatter pattern, String patternText) {

        int end() {
            return start + length - 1;
        }

        String describe() {
            return "'" + name + "' (characters " + start + "-" + end() + ")";
        }
    }

    private final List<Column> columns;
    private final Schema schema;
    private final int minRecordLength;
    private final TextValueParser parser = new TextValueParser();

    private FixedWidthLayout(List<Column> columns, Schema schema) {
        this.columns = List.copyOf(columns);
        this.schema = schema;
        this.minRecordLength = columns.stream().mapToInt(Column::end).max().orElse(0);
        checkOverlaps(this.columns);
    }

    /**
     * The layout given by configuration ({@code fixedLayout}, when not blank) or else by the contract's field
     * properties; exactly one of the two must give it.
     *
     * @throws ConfigException naming the column or the key at fault
     */
    public static FixedWidthLayout from(String fixedLayout, Path contractFile) {
        boolean configured = fixedLayout != null && !fixedLayout.isBlank();
        if (configured && contractFile != null) {
            throw new ConfigException("a fixed-width layout is given both in configuration and by the contract file; "
                    + "remove one (the contract's types are used with its own 'onramp.fixed.*' field properties)");
        }
        if (configured) {
            return parse(fixedLayout);
        }
        if (contractFile == null) {
            throw new ConfigException("fixed-width input needs a column layout: set the fixed-width layout key, or a "
                    + "contract file whose fields carry '" + START_PROP + "' and '" + LENGTH_PROP + "'");
        }
        return fromContract(AvroSchemaMapper.parseContractFile(contractFile));
    }

    /** A validator for the layout key: the value must parse (an empty value is left to the cross-key checks). */
    public static ConfigDef.Validator validator() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value == null || value.toString().isBlank()) {
                    return;
                }
                try {
                    parse(value.toString());
                } catch (ConfigException e) {
                    throw new ConfigException(name, value, "'" + name + "': " + e.getMessage());
                }
            }

            @Override
            public String toString() {
                return "comma-separated name:start:length:type[:optional][:notrim] columns";
            }
        };
    }

    /** Parses the configuration syntax described on the class. */
    static FixedWidthLayout parse(String spec) {
        var columns = new ArrayList<Column>();
        var fields = SchemaBuilder.struct();
        var names = new HashSet<String>();
        List<String> entries = split(spec, ',');
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i).strip();
            Column column = parseColumn(entry, i + 1);
            if (!names.add(column.name())) {
                throw new ConfigException("fixed-width column '" + column.name() + "' is defined twice");
            }
            columns.add(column);
            fields.field(column.name(), column.schema());
        }
        if (columns.isEmpty()) {
            throw new ConfigException("the fixed-width layout has no columns");
        }
        return new FixedWidthLayout(columns, fields.build());
    }

    /** Takes positions from the Avro fields' {@code onramp.fixed.*} properties and types from the contract. */
    static FixedWidthLayout fromContract(org.apache.avro.Schema contract) {
        if (contract.getType() != org.apache.avro.Schema.Type.RECORD) {
            throw new ConfigException("a fixed-width contract must be an Avro record, not " + contract.getType());
        }
        Schema connect = AvroSchemaMapper.toConnectSchema(contract);
        var columns = new ArrayList<Column>();
        for (var avroField : contract.getFields()) {
            String name = avroField.name();
            Schema fieldSchema = connect.field(name).schema();
            if (!fieldSchema.type().isPrimitive()) {
                throw new ConfigException("contract field '" + name + "' is a " + fieldSchema.type()
                        + "; a fixed-width column can only hold a primitive or logical type");
            }
            Integer start = intProp(avroField, START_PROP, null);
            Integer length = intProp(avroField, LENGTH_PROP, null);
            if (start == null || length == null) {
                throw new ConfigException("contract field '" + name + "' has no '" + (start == null ? START_PROP : LENGTH_PROP)
                        + "' property; every field of a fixed-width contract needs '" + START_PROP + "' and '" + LENGTH_PROP + "'");
            }
            Object trim = avroField.getObjectProp(TRIM_PROP);
            if (trim != null && !(trim instanceof Boolean) && !"true".equals(trim) && !"false".equals(trim)) {
                throw new ConfigException("contract field '" + name + "': '" + TRIM_PROP + "' must be true or false, not " + trim);
            }
            int implied = intProp(avroField, IMPLIED_DECIMALS_PROP, 0);
            Object pattern = avroField.getObjectProp(PATTERN_PROP);
            columns.add(column(name, start, length, trim == null || Boolean.parseBoolean(trim.toString()), implied,
                    fieldSchema, pattern == null ? null : pattern.toString()));
        }
        return new FixedWidthLayout(columns, connect);
    }

    public Schema schema() {
        return schema;
    }

    List<Column> columns() {
        return columns;
    }

    /** The shortest record that holds every column. */
    int minRecordLength() {
        return minRecordLength;
    }

    /**
     * Cuts one record into its fields and types them.
     *
     * @throws DataException naming the column when the record is too short, or the field and its text when a
     *     value does not fit its type
     */
    Struct toStruct(String record) {
        if (record.length() < minRecordLength) {
            Column cut = columns.stream().filter(c -> c.end() > record.length())
                    .min(Comparator.comparingInt(Column::start)).orElseThrow();
            throw new DataException("the record is " + record.length() + " characters long but the layout needs "
                    + minRecordLength + "; column " + cut.describe() + " is cut short or missing (truncated line?)");
        }
        var struct = new Struct(schema);
        for (Column column : columns) {
            String text = record.substring(column.start() - 1, column.end());
            struct.put(column.name(), value(column, column.trim() ? text.strip() : text));
        }
        struct.validate();
        return struct;
    }

    private Object value(Column column, String text) {
        Schema fieldSchema = column.schema();
        if (text.isBlank() && fieldSchema.type() != Schema.Type.STRING) {
            return parser.parse("", fieldSchema, column.name()); // default, null, or "required but empty"
        }
        if (column.impliedDecimals() > 0) {
            String digits = text.strip();
            if (!SIGNED_DIGITS.matcher(digits).matches()) {
                throw new DataException(invalid(column, "number with " + column.impliedDecimals()
                        + " implied decimals (digits only, no point)"));
            }
            text = new BigDecimal(digits).movePointLeft(column.impliedDecimals()).toPlainString();
        }
        if (column.pattern() != null) {
            return patterned(column, text.strip());
        }
        return parser.parse(text, fieldSchema, column.name());
    }

    private static Object patterned(Column column, String text) {
        try {
            if (Date.LOGICAL_NAME.equals(column.schema().name())) {
                return new java.util.Date(LocalDate.parse(text, column.pattern()).toEpochDay() * MILLIS_PER_DAY);
            }
            // A timestamp written with a date-only pattern (yyyyMMdd) is midnight UTC of that day.
            var parsed = column.pattern().parseBest(text, LocalDateTime::from, LocalDate::from);
            LocalDateTime at = parsed instanceof LocalDate day ? day.atStartOfDay() : (LocalDateTime) parsed;
            return new java.util.Date(at.toInstant(ZoneOffset.UTC).toEpochMilli());
        } catch (DateTimeException e) {
            String what = Date.LOGICAL_NAME.equals(column.schema().name()) ? "date" : "timestamp";
            throw new DataException(invalid(column, what + " of pattern " + column.patternText()), e);
        }
    }

    /** Same wording as core's TextValueParser, so every reader's reasons read alike: the field and rule, never the value. */
    private static String invalid(Column column, String what) {
        return "Field '" + column.name() + "' is not a valid " + what + " (rule type)";
    }

    private static Column parseColumn(String entry, int index) {
        List<String> parts = split(entry, ':');
        String where = "fixed-width layout entry " + index + " ('" + entry + "')";
        if (parts.size() < 4) {
            throw new ConfigException(where + " must be name:start:length:type[:optional][:notrim]");
        }
        String name = parts.get(0).strip();
        if (!NAME.matcher(name).matches()) {
            throw new ConfigException(where + ": '" + name + "' is not a valid field name (letters, digits, '_')");
        }
        int start = number(parts.get(1), "start", name);
        int length = number(parts.get(2), "length", name);
        boolean optional = false;
        boolean trim = true;
        for (String option : parts.subList(4, parts.size())) {
            switch (option.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "optional" -> optional = true;
                case "notrim" -> trim = false;
                default -> throw new ConfigException("fixed-width column '" + name + "' has the unknown option '"
                        + option.strip() + "' (known: optional, notrim)");
            }
        }
        String typeText = parts.get(3).strip();
        Matcher type = TYPE.matcher(typeText);
        if (!type.matches()) {
            throw new ConfigException(unknownType(name, typeText));
        }
        String base = type.group(1);
        String args = type.group(2);
        boolean implied = type.group(3) != null;
        if (implied && !base.equals("decimal")) {
            throw new ConfigException("fixed-width column '" + name + "': '-implied' applies to decimal(scale) only");
        }
        if (args != null && !List.of("decimal", "date", "timestamp").contains(base)) {
            throw new ConfigException(unknownType(name, typeText));
        }
        SchemaBuilder builder;
        String pattern = null;
        int impliedDecimals = 0;
        switch (base) {
            case "string" -> builder = SchemaBuilder.string();
            case "int" -> builder = SchemaBuilder.int32();
            case "long" -> builder = SchemaBuilder.int64();
            case "double" -> builder = SchemaBuilder.float64();
            case "boolean" -> builder = SchemaBuilder.bool();
            case "decimal" -> {
                if (args == null) {
                    throw new ConfigException("fixed-width column '" + name + "': decimal needs a scale, e.g. decimal(2)");
                }
                List<String> numbers = split(args, ',');
                if (numbers.size() > 2) {
                    throw new ConfigException("fixed-width column '" + name + "': decimal takes (scale) or (precision,scale)");
                }
                int scale = number(numbers.get(numbers.size() - 1), "decimal scale", name, 0);
                builder = Decimal.builder(scale);
                if (numbers.size() == 2) {
                    builder.parameter(OnrampSchemas.DECIMAL_PRECISION, String.valueOf(number(numbers.get(0), "decimal precision", name)));
                }
                impliedDecimals = implied ? scale : 0;
            }
            case "date" -> {
                builder = Date.builder();
                pattern = args;
            }
            case "timestamp" -> {
                builder = Timestamp.builder();
                pattern = args;
            }
            default -> throw new ConfigException(unknownType(name, typeText));
        }
        if (optional) {
            builder.optional();
        }
        return column(name, start, length, trim, impliedDecimals, builder.build(), pattern);
    }

    private static Column column(String name, int start, int length, boolean trim, int impliedDecimals,
                                 Schema schema, String pattern) {
        if (start < 1) {
            throw new ConfigException("fixed-width column '" + name + "' starts at " + start + "; columns count from 1");
        }
        if (length < 1) {
            throw new ConfigException("fixed-width column '" + name + "' has the length " + length + "; it must be at least 1");
        }
        if (impliedDecimals < 0) {
            throw new ConfigException("fixed-width column '" + name + "' has " + impliedDecimals + " implied decimals");
        }
        boolean fractional = Decimal.LOGICAL_NAME.equals(schema.name())
                || schema.type() == Schema.Type.FLOAT32 || schema.type() == Schema.Type.FLOAT64;
        if (impliedDecimals > 0 && !fractional) {
            throw new ConfigException("fixed-width column '" + name + "' has implied decimals but its type is "
                    + (schema.name() != null ? schema.name() : schema.type()) + "; only decimal, float and double can have them");
        }
        DateTimeFormatter formatter = null;
        if (pattern != null) {
            boolean temporal = Date.LOGICAL_NAME.equals(schema.name()) || Timestamp.LOGICAL_NAME.equals(schema.name());
            if (!temporal) {
                throw new ConfigException("fixed-width column '" + name + "' has a date pattern but is not a date or timestamp-millis");
            }
            formatter = formatter(name, pattern);
        }
        return new Column(name, start, length, trim, impliedDecimals, schema, formatter, pattern);
    }

    /** Strict, so 20240231 is an error rather than the last day of February; 'yyyy' works without an era. */
    private static DateTimeFormatter formatter(String column, String pattern) {
        try {
            return new DateTimeFormatterBuilder().appendPattern(pattern)
                    .parseDefaulting(ChronoField.ERA, 1)
                    .toFormatter(java.util.Locale.ROOT)
                    .withResolverStyle(ResolverStyle.STRICT);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("fixed-width column '" + column + "' has the invalid date pattern '" + pattern
                    + "': " + e.getMessage());
        }
    }

    private static void checkOverlaps(List<Column> columns) {
        var byStart = new ArrayList<>(columns);
        byStart.sort(Comparator.comparingInt(Column::start));
        for (int i = 1; i < byStart.size(); i++) {
            Column before = byStart.get(i - 1);
            Column after = byStart.get(i);
            if (after.start() <= before.end()) {
                throw new ConfigException("fixed-width columns " + before.describe() + " and " + after.describe() + " overlap");
            }
        }
    }

    private static String unknownType(String column, String type) {
        return "fixed-width column '" + column + "' has the unknown type '" + type + "' (known: string, int, long, double, "
                + "boolean, decimal(scale), decimal(scale)-implied, date, date(pattern), timestamp, timestamp(pattern))";
    }

    private static int number(String text, String what, String column) {
        return number(text, what, column, 1);
    }

    private static int number(String text, String what, String column, int min) {
        int value;
        try {
            value = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new ConfigException("fixed-width column '" + column + "': " + what + " '" + text.strip() + "' is not a number");
        }
        if (value < min) {
            throw new ConfigException("fixed-width column '" + column + "': " + what + " must be at least " + min + ", not " + value);
        }
        return value;
    }

    private static Integer intProp(org.apache.avro.Schema.Field field, String prop, Integer absent) {
        Object value = field.getObjectProp(prop);
        if (value == null) {
            return absent;
        }
        try {
            return value instanceof Number n && n.doubleValue() == n.intValue() ? n.intValue() : Integer.parseInt(value.toString());
        } catch (NumberFormatException e) {
            throw new ConfigException("contract field '" + field.name() + "': '" + prop + "' must be a whole number, not " + value);
        }
    }

    /** Splits on {@code separator} outside parentheses, so a date pattern may hold ':' and ','. */
    private static List<String> split(String text, char separator) {
        var parts = new ArrayList<String>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (c == separator && depth == 0) {
                parts.add(text.substring(from, i));
                from = i + 1;
            }
        }
        parts.add(text.substring(from));
        if (parts.size() == 1 && parts.get(0).isBlank()) {
            return List.of();
        }
        return parts;
    }
}
